"""Writes for interviews: the school proposes slots, the teacher picks one, reminders."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.services import audit_record

from ..models import Application, ApplicationStatus, InterviewMode, InterviewSlot
from .pipeline import (
    _transition,
    ensure_applicant,
    ensure_school_owner,
    ensure_vacancy_open,
    locked,
    tell_school,
)
from .pipeline import tell_teacher as _tell_teacher

S = ApplicationStatus
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
        _transition(
            application,
            S.INTERVIEW,
            actor=actor,
            note=gettext_lazy("Please choose an interview time."),
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
    when = timezone.localtime(slot.starts_at, timezone=timezone.get_default_timezone())
    tell_school(
        application, title=SLOT_CHOSEN, params={"time": f"{when:%Y-%m-%d %H:%M} (Asia/Shanghai)"}
    )
    return slot


def interviews_remind(*, now: datetime) -> int:
    """Remind both sides the day before a chosen interview (once per interview)."""
    local_today = timezone.localtime(now).date()
    count = 0
    # Only interviews still going ahead and still to come (a withdrawn applicant gets nothing).
    due = InterviewSlot.objects.filter(
        chosen=True,
        reminded_at__isnull=True,
        application__status=S.INTERVIEW,
        starts_at__gt=now,
    ).select_related("application__vacancy__school", "application__teacher__user")
    for slot in due:
        if (timezone.localtime(slot.starts_at).date() - local_today).days != 1:
            continue
        # A conditional update claims the reminder, so a second run sends nothing.
        if not InterviewSlot.objects.filter(pk=slot.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue
        when = timezone.localtime(slot.starts_at)
        params = {"time": f"{when:%Y-%m-%d %H:%M} (Asia/Shanghai)"}
        _tell_teacher(slot.application, title=INTERVIEW_REMINDER, params=params)
        tell_school(slot.application, title=INTERVIEW_REMINDER, params=params)
        count += 1
    return count
