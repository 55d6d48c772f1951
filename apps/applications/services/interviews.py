"""Writes for interviews: the school proposes slots, the teacher picks one, reminders."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.zones import user_timezone
from apps.admission.selectors import evaluate_admission
from apps.core.services import audit_record

from ..models import (
    Application,
    ApplicationNote,
    ApplicationStatus,
    InterviewMode,
    InterviewSlot,
)
from .pipeline import (
    application_transition,
    ensure_applicant,
    ensure_available,
    ensure_school_owner,
    ensure_vacancy_open,
    locked,
    tell_school,
)
from .pipeline import tell_teacher as _tell_teacher

S = ApplicationStatus


def _ensure_not_restricted(teacher) -> None:
    # An interview does not re-check the whole standard, but a credit restriction in force
    # still stops it; the admission standard says so, with its one message.
    result = evaluate_admission([teacher], on=timezone.localdate()).get(teacher.pk)
    failed = [rule for rule in result.failed if rule.code == "blacklisted"] if result else []
    if failed:
        raise ValidationError(failed[0].text)


SLOT_CHOSEN = gettext_lazy("%(teacher)s chose an interview time for %(vacancy)s: %(time)s")
INTERVIEW_REMINDER = gettext_lazy("Interview tomorrow for %(vacancy)s: %(time)s")
VIDEO_NEEDS_LINK = gettext_lazy("For a video call, give the link (https://…).")


@dataclass(frozen=True)
class SlotProposal:
    """One interview time the school offers."""

    starts_at: datetime
    mode: str
    location: str
    duration_minutes: int = 30


@transaction.atomic
def interview_propose(
    *, actor: Any, application: Application, slots: list[SlotProposal]
) -> list[InterviewSlot]:
    """Propose interview times (replacing unchosen ones); the teacher is told."""
    application = locked(application)
    ensure_school_owner(actor, application)
    if application.status not in {S.SHORTLISTED, S.INTERVIEW}:
        raise ValidationError(_("Shortlist the applicant before proposing an interview."))
    ensure_vacancy_open(application.vacancy)
    ensure_available(application.teacher, application.vacancy)
    _ensure_not_restricted(application.teacher)
    if not slots:
        raise ValidationError(_("Propose at least one time."))
    now = timezone.now()
    if any(slot.starts_at <= now for slot in slots):
        raise ValidationError(_("Interview times must be in the future."))
    # The teacher's page renders a video location as a link: only a web address is safe there.
    if any(
        slot.mode == InterviewMode.VIDEO
        and not slot.location.strip().lower().startswith(("https://", "http://"))
        for slot in slots
    ):
        raise ValidationError({"location": VIDEO_NEEDS_LINK})
    application.interview_slots.filter(chosen=False).delete()
    created = []
    for proposal in slots:
        slot = InterviewSlot(
            application=application,
            starts_at=proposal.starts_at,
            mode=proposal.mode,
            location=proposal.location,
            duration_minutes=proposal.duration_minutes,
        )
        slot.full_clean()
        slot.save()
        created.append(slot)
    audit_record(
        actor=actor,
        action="application.interview_proposed",
        target=application,
        after={"slots": [slot.starts_at.isoformat() for slot in created]},
    )
    if application.status == S.SHORTLISTED:
        application_transition(
            application,
            S.INTERVIEW,
            actor=actor,
            note_code=ApplicationNote.INTERVIEW_PROPOSED,
        )
    return created


@transaction.atomic
def interview_choose(*, actor: Any, slot: InterviewSlot) -> InterviewSlot:
    """Pick one of the proposed times (changing an earlier pick); the school is told."""
    application = locked(slot.application)
    ensure_applicant(actor, application)
    if application.status != S.INTERVIEW:
        raise ValidationError(_("This application has no interview to schedule."))
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk, application=application)
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This time has passed; ask the school for another."))
    application.interview_slots.exclude(pk=slot.pk).update(chosen=False)
    slot.chosen = True
    slot.save(update_fields=["chosen"])
    audit_record(actor=actor, action="application.interview_chosen", target=application)
    # notify() writes the time in each recipient's own zone.
    tell_school(application, title=SLOT_CHOSEN, params={"time": slot.starts_at})
    return slot


def interviews_remind(*, now: datetime) -> int:
    """Remind each side once, on the day before the interview in its own zone; return how many
    interviews had a reminder sent."""
    count = 0
    # Only interviews still going ahead and still to come (a withdrawn applicant gets nothing).
    due = InterviewSlot.objects.filter(
        Q(reminded_at__isnull=True) | Q(teacher_reminded_at__isnull=True),
        chosen=True,
        application__status=S.INTERVIEW,
        starts_at__gt=now,
    ).select_related("application__vacancy__school", "application__teacher__user")
    for slot in due:
        params = {"time": slot.starts_at}
        sent = False
        teacher_zone = user_timezone(slot.application.teacher.user)
        if _is_tomorrow(slot, now, teacher_zone) and _claim(slot, "teacher_reminded_at", now):
            _tell_teacher(slot.application, title=INTERVIEW_REMINDER, params=params)
            sent = True
        # School staff read times in the portal's zone (accounts.zones.user_timezone).
        school_zone = timezone.get_default_timezone()
        if _is_tomorrow(slot, now, school_zone) and _claim(slot, "reminded_at", now):
            tell_school(slot.application, title=INTERVIEW_REMINDER, params=params)
            sent = True
        count += sent
    return count


def _is_tomorrow(slot: InterviewSlot, now: datetime, zone) -> bool:
    return (slot.starts_at.astimezone(zone).date() - now.astimezone(zone).date()).days == 1


def _claim(slot: InterviewSlot, field: str, now: datetime) -> bool:
    # A conditional update claims the reminder, so a second run sends nothing.
    claimed = InterviewSlot.objects.filter(pk=slot.pk, **{f"{field}__isnull": True})
    return bool(claimed.update(**{field: now}))
