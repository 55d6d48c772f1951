"""Writes for guidance: procedures (center staff), checklist marks, situation and reminders."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.permissions import require_center_staff
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record, model_snapshot
from apps.employment.models import Employment, EmploymentStatus
from apps.notifications.services import notify
from apps.schools.selectors import school_contacts_prefetch
from apps.teachers.uploads import inspect_upload

from .caching import open_steps_changed
from .models import (
    Checklist,
    ChecklistEntry,
    ChecklistReminder,
    EntryStatus,
    LimitUnit,
    OpenStep,
    Procedure,
)
from .selectors import (
    IN_CHINA_STAGES,
    TODO,
    checklist_may_mark,
    hire_checklist_get,
    hire_checklists,
)

PROCEDURE_AUDIT_FIELDS = [
    "slug",
    "title_en",
    "title_zh_hans",
    "stage",
    "applicant",
    "categories",
    "situation",
    "link",
    "limit_setting",
    "limit_unit",
    "limit_starts_from",
    "limit_uncertain",
    "completed_by",
    "is_published",
    "last_checked_on",
]
STEP_DUE = gettext_lazy("%(teacher)s: “%(procedure)s” is due by %(date)s (%(days)s days left)")
STEP_DUE_AT = gettext_lazy("%(teacher)s: “%(procedure)s” is due by %(moment)s")
REFRESH_BATCH = 1000  # hires per transaction of the nightly refresh


# --- Procedures (center staff, in admin) ------------------------------------------------------


@transaction.atomic
def procedure_save(*, actor: Any, procedure: Procedure, before: dict | None = None) -> Procedure:
    """Validate and save a procedure edited by center staff; audited. Raises ValidationError."""
    require_center_staff(actor)
    procedure.full_clean()
    created = procedure.pk is None
    procedure.save()
    audit_record(
        actor=actor,
        action="guidance.procedure_created" if created else "guidance.procedure_changed",
        target=procedure,
        before=before,
        after=model_snapshot(procedure, PROCEDURE_AUDIT_FIELDS),
    )
    # Limits, categories and publication decide every hire's steps: recompute them all.
    from .tasks import refresh_checklist_steps

    refresh_checklist_steps.delay_on_commit()
    open_steps_changed()  # the overdue lists show the title at once
    return procedure


@transaction.atomic
def procedure_mark_checked(*, actor: Any, procedure: Procedure, on: date | None = None) -> None:
    """Record that center staff checked the procedure against the authority today; audited."""
    require_center_staff(actor)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("The check date cannot be in the future."))
    before = procedure.last_checked_on
    Procedure.objects.filter(pk=procedure.pk).update(last_checked_on=on)
    audit_record(
        actor=actor,
        action="guidance.procedure_checked",
        target=procedure,
        before={"last_checked_on": before.isoformat() if before else None},
        after={"last_checked_on": on.isoformat()},
    )


# --- Checklists (the school and the teacher) --------------------------------------------------


def _ensure_may_mark(actor: Any, employment: Employment) -> None:
    if actor is None or not checklist_may_mark(user=actor, employment=employment):
        raise PermissionDenied


@transaction.atomic
def checklist_step_mark(
    *,
    actor: Any,
    employment: Employment,
    procedure: Procedure,
    status: str,
    done_on: date | None = None,
    reason: str = "",
    file: File | None = None,
) -> ChecklistEntry:
    """Mark a step done (with its date, optional file) or not applicable (with a reason).

    Raises PermissionDenied unless the actor is the lead school's staff or the teacher, and
    ValidationError for a step that is not on the hire's checklist or a date that cannot be.
    """
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    _ensure_may_mark(actor, employment)
    checklist = hire_checklist_get(employment=employment)
    step = next((s for s in checklist.steps if s.procedure.pk == procedure.pk), None)
    if step is None:
        raise ValidationError(_("This procedure is not a step of this hire's checklist."))
    if step.closed_by_register:
        raise ValidationError(_("The register already shows this step as done."))
    reason = (reason or "").strip()
    if status == EntryStatus.DONE:
        if done_on is None:
            raise ValidationError({"done_on": _("Give the date the step was done.")})
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": _("The date cannot be in the future.")})
        arrival = checklist.state.arrival
        if arrival and procedure.stage in IN_CHINA_STAGES and done_on < arrival:
            raise ValidationError(
                {
                    "done_on": _(
                        "This step is done in China: the date cannot be before the arrival "
                        "on %(date)s."
                    )
                    % {"date": arrival.isoformat()}
                }
            )
        reason = ""
    elif status == EntryStatus.NOT_APPLICABLE:
        if not reason:
            raise ValidationError({"reason": _("Say why the step does not apply.")})
        done_on, file = None, None
    else:
        raise ValidationError({"status": _("Choose done or not applicable.")})
    if file:
        try:
            inspect_upload(file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
    entry = ChecklistEntry.objects.filter(employment=employment, procedure=procedure).first()
    before = model_snapshot(entry, ["status", "done_on", "reason"]) if entry else None
    entry = entry or ChecklistEntry(employment=employment, procedure=procedure)
    entry.status, entry.done_on, entry.reason, entry.recorded_by = status, done_on, reason, actor
    # A renewal mark belongs to the expiry it answers; the next permit brings a new step.
    entry.anchor_on = step.anchor_on if procedure.limit_unit == LimitUnit.BEFORE_EXPIRY else None
    if file:
        entry.file = file
    elif status == EntryStatus.NOT_APPLICABLE:
        entry.file = ""
    entry.full_clean()
    entry.save()
    checklist_steps_refresh(employment_ids=[employment.pk])
    audit_record(
        actor=actor,
        action="guidance.step_marked",
        target=employment,
        before=before,
        after={
            "procedure": procedure.slug,
            "status": status,
            "done_on": done_on.isoformat() if done_on else None,
        },
        reason=reason,
    )
    return entry


@transaction.atomic
def checklist_step_reopen(*, actor: Any, employment: Employment, procedure: Procedure) -> None:
    """Remove a person's mark so the step is to do again; audited. Raises PermissionDenied."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    _ensure_may_mark(actor, employment)
    entry = ChecklistEntry.objects.filter(employment=employment, procedure=procedure).first()
    if entry is None:
        raise ValidationError(_("This step has no mark to remove."))
    before = model_snapshot(entry, ["status", "done_on", "reason"])
    entry.delete()
    checklist_steps_refresh(employment_ids=[employment.pk])
    audit_record(
        actor=actor,
        action="guidance.step_reopened",
        target=employment,
        before={"procedure": procedure.slug, **before},
    )


@transaction.atomic
def checklist_situation_set(
    *, actor: Any, employment: Employment, already_in_china: bool
) -> Checklist:
    """Say whether the teacher was already in China at hire (lead school only); audited."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if (
        actor is None
        or not actor.is_school_staff
        or not checklist_may_mark(user=actor, employment=employment)
    ):
        raise PermissionDenied
    checklist, _created = Checklist.objects.get_or_create(employment=employment)
    before = checklist.already_in_china
    checklist.already_in_china = already_in_china
    checklist.full_clean()
    checklist.save()
    checklist_steps_refresh(employment_ids=[employment.pk])
    audit_record(
        actor=actor,
        action="guidance.situation_set",
        target=employment,
        before={"already_in_china": before},
        after={"already_in_china": already_in_china},
    )
    return checklist


def checklist_steps_refresh(*, employment_ids: Iterable[int] | None = None) -> int:
    """Recompute the open dated steps of the given hires (every hire when None); rows written.

    Each batch replaces its hires' rows in one transaction under the employments' row locks,
    so the nightly job and an event's refresh are safe to run together and twice.
    """
    if employment_ids is not None:
        return _steps_refresh(Employment.objects.filter(pk__in=list(employment_ids)))
    ids = list(Employment.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        batch = ids[start : start + REFRESH_BATCH]
        written += _steps_refresh(Employment.objects.filter(pk__gte=batch[0], pk__lte=batch[-1]))
    return written


@transaction.atomic
def _steps_refresh(employments: QuerySet[Employment]) -> int:
    locked = list(employments.select_for_update().order_by("pk").values_list("pk", flat=True))
    active = Employment.objects.filter(pk__in=locked, status=EmploymentStatus.ACTIVE)
    rows = [
        OpenStep(
            employment=checklist.employment,
            procedure=step.procedure,
            due_on=step.due.on,
            due_at=step.due.at,
            time_assumed=step.time_assumed,
        )
        for checklist in hire_checklists(active)
        for step in checklist.steps
        if step.status == TODO and step.due is not None
    ]
    # Ended hires keep no rows: only active hires have steps to chase.
    OpenStep.objects.filter(employment_id__in=locked).delete()
    OpenStep.objects.bulk_create(rows, batch_size=REFRESH_BATCH)
    open_steps_changed()
    return len(rows)


def checklists_remind_due(*, now: datetime | None = None) -> int:
    """Remind the school's contacts and the teacher before each open step's due date.

    Each (step, due date, threshold) is sent once, so the daily job is safe to run twice; the
    nearest threshold only, so a step that appears late still gets one reminder.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    thresholds = policy_settings_get().guidance_reminder_day_list
    if not thresholds:
        return 0
    employments = (
        Employment.objects.filter(status=EmploymentStatus.ACTIVE)
        .select_related("teacher__user", "school")
        .prefetch_related(school_contacts_prefetch(lookup="school__memberships"))
        .order_by("id")
    )
    sent = 0
    for checklist in hire_checklists(employments, now=now):
        employment = checklist.employment
        for step in checklist.steps:
            if step.status != TODO or step.due is None or step.overdue:
                continue
            left = step.due.days_left(today)
            if left < 0 or left > max(thresholds):
                continue
            due_threshold = min(threshold for threshold in thresholds if left <= threshold)
            try:
                with transaction.atomic():
                    ChecklistReminder.objects.create(
                        employment=employment,
                        procedure=step.procedure,
                        due_on=step.due.on,
                        days_before=due_threshold,
                    )
            except IntegrityError:
                continue  # already sent
            sent += _notify_step(employment, step, left)
    return sent


def _notify_step(employment: Employment, step: Any, left: int) -> int:
    teacher = employment.teacher
    procedure = step.procedure
    recipients = [membership.user for membership in employment.school.contact_memberships]
    if teacher.user is not None:
        recipients.append(teacher.user)
    url = reverse("guidance:checklist", args=[employment.code])
    for user in recipients:
        # The procedure's title in the recipient's language; an hour limit as a moment, which
        # notify writes in the recipient's own time zone.
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title = str(procedure.title)
        params = {"teacher": teacher.legal_name or str(teacher), "procedure": title}
        if step.due.at is not None:
            notify(
                recipient=user,
                kind="guidance",
                title=STEP_DUE_AT,
                params=params | {"moment": step.due.at},
                url=url,
            )
        else:
            notify(
                recipient=user,
                kind="guidance",
                title=STEP_DUE,
                params=params | {"date": step.due.on.isoformat(), "days": left},
                url=url,
            )
    return 1
