"""Opening a quarter's round and reminding people of what is due in it."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.core.dates import Quarter
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.employment.models import EmploymentSchool, EmploymentStatus
from apps.notifications.services import notify
from apps.schools.models import SchoolMembership

from ..models import (
    Evaluation,
    EvaluationReminder,
    EvaluationRound,
    EvaluationStatus,
    ReminderKind,
    SurveyDirection,
)
from ..notices import REMINDER_TEXTS, SURVEY_INVITATION
from ..selectors.evaluations import rubric_current

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoundOpened:
    round: EvaluationRound
    created: int
    existing: int


def shares_employed_in(quarter: Quarter):
    """(employment, school) shares of every employment active on any day of the quarter."""
    return EmploymentSchool.objects.filter(
        Q(employment__status=EmploymentStatus.ACTIVE) | Q(employment__ended_on__gte=quarter.start),
        employment__contract_start__lte=quarter.end,
    )


def round_deadline(quarter: Quarter, *, extension_days: int = 0) -> date:
    """The end of the first month of the next quarter, plus the policy's extension in days."""
    first_month = quarter.next().start
    month_end = date(first_month.year, first_month.month + 1, 1) - timedelta(days=1)
    return month_end + timedelta(days=extension_days)


@transaction.atomic
def evaluation_round_open(*, quarter: Quarter, actor: Any = None) -> RoundOpened:
    """Open (or top up) the quarter's round: one evaluation per employment and school.

    Safe to run twice and after employments changed: the unique constraint plus an insert
    that ignores conflicts never creates an evaluation twice. Reminders go after commit.
    """
    policy = policy_settings_get()
    round_, round_created = EvaluationRound.objects.get_or_create(
        quarter=str(quarter),
        defaults={
            "starts_on": quarter.start,
            "ends_on": quarter.end,
            "deadline": round_deadline(quarter, extension_days=policy.evaluation_deadline_days),
            "opened_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    before = Evaluation.objects.filter(round=round_).count()
    rubric = rubric_current()
    shares = shares_employed_in(quarter).values_list(
        "employment_id", "school_id", "employment__teacher_id"
    )
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                round=round_,
                employment_id=employment_id,
                school_id=school_id,
                teacher_id=teacher_id,
                rubric=rubric,
            )
            for employment_id, school_id, teacher_id in shares.iterator(chunk_size=2000)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    total = Evaluation.objects.filter(round=round_).count()
    created = total - before
    if round_created or created:
        audit_record(
            actor=actor,
            action="evaluations.round.opened" if round_created else "evaluations.round.topped_up",
            target=round_,
            after={"quarter": str(quarter), "created": created, "existing": before},
        )
    if created:
        from ..tasks import send_evaluation_reminders

        send_evaluation_reminders.delay_on_commit()
    return RoundOpened(round=round_, created=created, existing=before)


def evaluation_round_open_due(*, today: date, actor: Any = None) -> RoundOpened:
    """Open the round of the quarter that ended before `today` (the periodic job)."""
    return evaluation_round_open(quarter=Quarter.containing(today).previous(), actor=actor)


def _kind_due(round_: EvaluationRound, *, today: date, window: int) -> str | None:
    if today < round_.ends_on or today > round_.deadline:
        return None
    if today == round_.deadline:
        return ReminderKind.DEADLINE
    if today >= round_.deadline - timedelta(days=window):
        return ReminderKind.BEFORE_DEADLINE
    return ReminderKind.OPENED


def _claim(round_: EvaluationRound, kind: str, user_ids: set[int]) -> set[int]:
    """Record the reminders as sent; return the recipients not reminded before (run twice: none)."""
    if not user_ids:
        return set()
    already = set(
        EvaluationReminder.objects.filter(
            round=round_, kind=kind, recipient_id__in=user_ids
        ).values_list("recipient_id", flat=True)
    )
    fresh = user_ids - already
    EvaluationReminder.objects.bulk_create(
        [EvaluationReminder(round=round_, kind=kind, recipient_id=pk) for pk in fresh],
        ignore_conflicts=True,
    )
    return fresh


@transaction.atomic
def evaluation_reminders_send(*, today: date) -> int:
    """Remind schools of open evaluations (opening, N days before, deadline day) once each.

    Teachers are invited to the satisfaction survey when the round opens. The opening notice
    goes out the first time a round is seen, even when that is already inside the reminder
    window. Returns how many notifications were sent; a second run the same day sends none.
    """
    window = policy_settings_get().evaluation_reminder_days
    sent = 0
    for round_ in EvaluationRound.objects.filter(deadline__gte=today, ends_on__lte=today):
        due = _kind_due(round_, today=today, window=window)
        if due is None:
            continue
        # A round opened late (inside the window) still owes everyone its opening notice.
        kinds = [ReminderKind.OPENED] if due == ReminderKind.OPENED else [ReminderKind.OPENED, due]
        open_per_school: dict[int, int] = {}
        for school_id in Evaluation.objects.filter(
            round=round_, status=EvaluationStatus.DRAFT
        ).values_list("school_id", flat=True):
            open_per_school[school_id] = open_per_school.get(school_id, 0) + 1
        contacts = SchoolMembership.objects.filter(
            school_id__in=open_per_school, is_active=True, is_liaison=True
        ).select_related("user")
        by_user = {m.user_id: m for m in contacts}
        for kind in kinds:
            for user_id in sorted(_claim(round_, kind, set(by_user))):
                membership = by_user[user_id]
                notify(
                    recipient=membership.user,
                    kind="evaluations",
                    title=REMINDER_TEXTS[kind],
                    params={
                        "count": open_per_school[membership.school_id],
                        "quarter": round_.quarter,
                        "deadline": round_.deadline.isoformat(),
                    },
                    url=reverse("evaluations:school_list"),
                )
                sent += 1
        sent += _invite_teachers(round_)
    return sent


def _invite_teachers(round_: EvaluationRound) -> int:
    answered = Evaluation.objects.filter(
        round=round_, survey_responses__direction=SurveyDirection.TEACHER_ABOUT_SCHOOL
    ).values("pk")
    teacher_users = set(
        Evaluation.objects.filter(round=round_, teacher__user__isnull=False)
        .exclude(pk__in=answered)
        .values_list("teacher__user_id", flat=True)
    )
    fresh = _claim(round_, ReminderKind.OPENED, teacher_users)
    for user in User.objects.filter(pk__in=fresh, role=Role.TEACHER, is_active=True):
        notify(
            recipient=user,
            kind="evaluations",
            title=SURVEY_INVITATION,
            params={"quarter": round_.quarter, "deadline": round_.deadline.isoformat()},
            url=reverse("evaluations:teacher_list"),
        )
    return len(fresh)
