"""Writes for the employment register: dated change rows and expiry reminders."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.dates import add_months
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.core.transitions import transition
from apps.notifications.services import notify
from apps.schools.selectors import school_contacts_prefetch
from apps.teachers.uploads import inspect_upload

from ..models import (
    ChangeKind,
    Employment,
    EmploymentChange,
    EmploymentReminder,
    EmploymentStatus,
    ReminderSubject,
)
from ..selectors import employment_school_is_lead, employment_state
from ..signals import announce_employment_changed

K = ChangeKind
# Changes that end the employment (the derived state; status is kept in step for the constraint).
ENDING_KINDS = {K.EARLY_TERMINATION, K.DEPARTURE, K.TRANSFER}
# Facts that have happened: they cannot be dated in the future.
PAST_ONLY_KINDS = {K.ARRIVAL, K.WORK_PERMIT, K.RESIDENCE_PERMIT, K.DEPARTURE}
CLUSTER_KINDS = {K.TEACHING_PLAN_FILED, K.HIRE_REPORTED}
# Still recordable after the employment ended (paperwork catches up).
AFTER_END_KINDS = {K.DEPARTURE, K.TEACHING_PLAN_FILED, K.HIRE_REPORTED}
CHANGE_FIELDS = (
    "arrival_time",
    "permit_number",
    "expires_on",
    "new_contract_end",
    "transfer_to",
    "termination_reason",
    "reference",
    "file",
    "note",
)
EXPIRY_REMINDER = gettext_lazy("%(teacher)s: %(subject)s expires on %(date)s (%(days)s days)")


def _ensure_lead_staff(actor: Any, employment: Employment) -> None:
    if actor is None or not employment_school_is_lead(user=actor, employment=employment):
        raise PermissionDenied


def _validate(employment: Employment, kind: str, effective_on: date, values: dict) -> None:
    state = employment_state(employment=employment)
    today = timezone.localdate()
    if employment.status == EmploymentStatus.ENDED and kind not in AFTER_END_KINDS:
        raise ValidationError(_("This employment has ended; only its departure can be recorded."))
    if kind in PAST_ONLY_KINDS and effective_on > today:
        raise ValidationError({"effective_on": _("This date cannot be in the future.")})
    if values.get("arrival_time") is not None and kind != K.ARRIVAL:
        raise ValidationError({"arrival_time": _("A time of arrival belongs to an arrival.")})
    if kind in {K.WORK_PERMIT, K.RESIDENCE_PERMIT} and not values.get("permit_number", "").strip():
        raise ValidationError({"permit_number": _("Give the permit number.")})
    if kind in CLUSTER_KINDS and not employment.is_cluster:
        raise ValidationError(_("Filing and reporting steps are recorded for cluster contracts."))
    if kind == K.TEACHING_PLAN_FILED and not values.get("file"):
        raise ValidationError({"file": _("Attach the filed teaching plan.")})
    if values.get("file"):
        try:
            inspect_upload(values["file"])
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
    if kind == K.HIRE_REPORTED and not values.get("reference", "").strip():
        raise ValidationError({"reference": _("Give the reference of the report.")})
    if kind == K.RENEWAL:
        if employment.is_intern:
            raise ValidationError(_("An internship is extended, not renewed."))
        new_end = values.get("new_contract_end")
        if new_end is not None and new_end <= state.contract_end:
            raise ValidationError(
                {"new_contract_end": _("The new end must come after the current end.")}
            )
    if kind == K.INTERNSHIP_EXTENDED:
        if not employment.is_intern:
            raise ValidationError(_("Only an internship can be extended this way."))
        policy = policy_settings_get()
        limit = add_months(employment.contract_start, policy.intern_max_months)
        new_end = values.get("new_contract_end")
        if new_end is not None and new_end > limit:
            raise ValidationError(
                {
                    "new_contract_end": _(
                        "An internship lasts at most %(months)s months in all: until %(date)s."
                    )
                    % {"months": policy.intern_max_months, "date": limit.isoformat()}
                }
            )
    if kind == K.TRANSFER:
        target = values.get("transfer_to")
        if target is None or target.pk == employment.school_id:
            raise ValidationError({"transfer_to": _("Choose the receiving school.")})
    if kind in ENDING_KINDS and effective_on < employment.contract_start:
        raise ValidationError({"effective_on": _("The contract had not started on that date.")})


@transaction.atomic
def employment_change_record(
    *, actor: Any, employment: Employment, kind: str, effective_on: date, **values: Any
) -> EmploymentChange:
    """Record a dated change (arrival, permit, renewal, …); ending changes end the employment."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    _ensure_lead_staff(actor, employment)
    values = {key: value for key, value in values.items() if key in CHANGE_FIELDS}
    _validate(employment, kind, effective_on, values)
    change = EmploymentChange(
        employment=employment,
        kind=kind,
        effective_on=effective_on,
        recorded_by=actor,
        **{key: value for key, value in values.items() if value is not None},
    )
    change.full_clean()
    change.save()
    # The employment's API representation includes its changes: partners sync on updated_at.
    Employment.objects.filter(pk=employment.pk).update(updated_at=timezone.now())
    if kind in ENDING_KINDS and employment.status == EmploymentStatus.ACTIVE:
        transition(
            employment,
            EmploymentStatus.ENDED,
            actor=actor,
            transitions=Employment.TRANSITIONS,
            action="employment.ended",
            reason=kind,
            extra={"ended_on": effective_on},
            audit_fields=["ended_on"],
        )
    audit_record(
        actor=actor,
        action=f"employment.{kind}",
        target=employment,
        after={"effective_on": effective_on.isoformat()},
        reason=values.get("note", ""),
    )
    announce_employment_changed(employment.pk)
    return change


def employments_remind_expiry(*, today: date) -> int:
    """Remind the hiring school (and teacher) 60/30/7 days before a contract or permit expires."""
    thresholds = policy_settings_get().document_reminder_day_list
    if not thresholds:
        return 0
    sent = 0
    active = (
        Employment.objects.filter(status=EmploymentStatus.ACTIVE)
        .select_related("teacher", "teacher__user", "school")
        .prefetch_related("changes", school_contacts_prefetch(lookup="school__memberships"))
    )
    for employment in active.iterator(chunk_size=500):
        state = employment_state(employment=employment)
        dates = {
            ReminderSubject.CONTRACT: state.contract_end,
            ReminderSubject.WORK_PERMIT: state.work_permit_expires,
            ReminderSubject.RESIDENCE_PERMIT: state.residence_permit_expires,
        }
        for subject, expires_on in dates.items():
            left = None if expires_on is None else (expires_on - today).days
            if left is None or left < 0 or left > max(thresholds):
                continue
            # The nearest threshold only: a missed run or a permit recorded late still sends
            # one reminder, and the unique constraint keeps it to one per threshold.
            due = min(threshold for threshold in thresholds if left <= threshold)
            try:
                with transaction.atomic():
                    EmploymentReminder.objects.create(
                        employment=employment,
                        subject=subject,
                        expires_on=expires_on,
                        days_before=due,
                    )
            except IntegrityError:
                continue  # already sent: the job is safe to run twice
            params = {
                "teacher": employment.teacher.legal_name or employment.teacher,
                "subject": ReminderSubject(subject).label,
                "date": expires_on.isoformat(),
                "days": left,
            }
            recipients = [m.user for m in employment.school.contact_memberships]
            if employment.teacher.user is not None:
                recipients.append(employment.teacher.user)
            for user in recipients:
                notify(
                    recipient=user,
                    kind="employment",
                    title=EXPIRY_REMINDER,
                    params=params,
                    url=employment.get_absolute_url() if not user.is_teacher else "",
                )
            sent += 1
    return sent
