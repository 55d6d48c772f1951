"""Services behind the center's admin actions: a direct reminder, rubric versions, top-ups."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record
from apps.notifications.services import notify
from apps.schools.selectors import school_contacts

from ..models import (
    Evaluation,
    EvaluationRound,
    EvaluationStatus,
    ReminderKind,
    Rubric,
    RubricLevel,
)
from ..notices import REMINDER_TEXTS
from .rounds import RoundOpened, evaluation_round_open


def evaluation_remind(*, actor: Any, evaluation: Evaluation) -> int:
    """Remind the school's liaison of one open evaluation now (center staff); audited."""
    require_center_staff(actor)
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(_("This evaluation was already submitted."))
    contacts = school_contacts(school=evaluation.school)
    if not contacts:
        raise ValidationError(_("The school has no active foreign-affairs liaison to remind."))
    for user in contacts:
        notify(
            recipient=user,
            kind="evaluations",
            title=REMINDER_TEXTS[ReminderKind.BEFORE_DEADLINE],
            params={
                "count": 1,
                "quarter": evaluation.round.quarter,
                "deadline": evaluation.round.deadline.isoformat(),
            },
            url=evaluation.get_absolute_url(),
        )
    audit_record(actor=actor, action="evaluations.evaluation.reminded", target=evaluation)
    return len(contacts)


def evaluation_round_top_up(*, actor: Any, round: EvaluationRound) -> RoundOpened:
    """Create the evaluations a round is missing (e.g. after a late registration)."""
    require_center_staff(actor)
    return evaluation_round_open(quarter=round.period, actor=actor)


@transaction.atomic
def rubric_copy(*, actor: Any, rubric: Rubric) -> Rubric:
    """Copy a rubric as the next, unpublished version to edit; old evaluations keep theirs."""
    require_center_staff(actor)
    version = (Rubric.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    copy = Rubric.objects.create(version=version, copied_from_version=rubric.version)
    RubricLevel.objects.bulk_create(
        RubricLevel(
            rubric=copy,
            dimension=level.dimension,
            score=level.score,
            description_en=level.description_en,
            description_zh_hans=level.description_zh_hans,
        )
        for level in rubric.levels.all()
    )
    audit_record(
        actor=actor,
        action="evaluations.rubric.copied",
        target=copy,
        after={"from_version": rubric.version},
    )
    return copy
