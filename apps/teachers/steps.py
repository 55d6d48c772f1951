"""The profile form's steps, in order; the progress bar and the checklist links use them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise


PROFILE_STEPS = [
    Step("personal", _("About you")),
    Step("category", _("Your category")),
    Step("education", _("Degree and certificates")),
    Step("experience", _("Teaching experience")),
    Step("preferences", _("What and where you teach")),
]
STEP_SLUGS = [step.slug for step in PROFILE_STEPS]
# Documents and submitting for review count as the last two parts of the meter.
METER_PARTS = len(PROFILE_STEPS) + 2
