"""Notification texts (lazy, with named placeholders) so each recipient reads their language."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import ReminderKind

REMINDER_TEXTS = {
    ReminderKind.OPENED: ngettext_lazy(
        "%(count)d foreign-teacher evaluation for %(quarter)s is due by %(deadline)s",
        "%(count)d foreign-teacher evaluations for %(quarter)s are due by %(deadline)s",
        "count",
    ),
    ReminderKind.BEFORE_DEADLINE: ngettext_lazy(
        "Reminder: %(count)d evaluation for %(quarter)s is still open; deadline %(deadline)s",
        "Reminder: %(count)d evaluations for %(quarter)s are still open; deadline %(deadline)s",
        "count",
    ),
    ReminderKind.DEADLINE: ngettext_lazy(
        "Today is the deadline: %(count)d evaluation for %(quarter)s is still open",
        "Today is the deadline: %(count)d evaluations for %(quarter)s are still open",
        "count",
    ),
}
SURVEY_INVITATION = _(
    "Please tell us how satisfied you were with your school in %(quarter)s (by %(deadline)s)"
)
EVALUATION_SUBMITTED = _("%(school)s submitted your evaluation for %(quarter)s")
EVALUATION_REOPENED = _("The service center reopened the evaluation of %(teacher)s for %(quarter)s")
SERIOUS_INCIDENT = _("Serious incident reported by %(school)s about %(teacher)s (%(quarter)s)")
TEACHER_RESPONDED = _("%(teacher)s responded to the evaluation for %(quarter)s")
