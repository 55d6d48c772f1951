"""Nominations for a long-term work permit or the Friendship Award (center staff)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record
from apps.core.transitions import transition

from ..models import Nomination, NominationKind, NominationStatus
from ..selectors.recognition import recognition_candidates


@transaction.atomic
def nomination_propose(*, actor: Any, teacher: Any, kind: str, note: str = "") -> Nomination:
    """Nominate a teacher who meets the recognition rules today; audited."""
    require_center_staff(actor)
    if kind not in NominationKind.values:
        raise ValidationError(gettext("Unknown kind of nomination."))
    eligible = {c.teacher_id for c in recognition_candidates(kind=kind, on=timezone.localdate())}
    if teacher.pk not in eligible:
        raise ValidationError(gettext("This teacher does not meet the rules for this list."))
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                teacher=teacher, kind=kind, note=note.strip(), proposed_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError(gettext("This teacher is already nominated.")) from exc
    audit_record(actor=actor, action="credit.nomination.proposed", target=nomination)
    return nomination


@transaction.atomic
def nomination_submit(*, actor: Any, nomination: Nomination) -> Nomination:
    """Record that a nomination went to the education bureau; audited."""
    require_center_staff(actor)
    return transition(
        nomination,
        NominationStatus.SUBMITTED,
        actor=actor,
        transitions=Nomination.TRANSITIONS,
        action="credit.nomination.submitted",
        extra={"submitted_at": timezone.now()},
    )


@transaction.atomic
def nomination_withdraw(*, actor: Any, nomination: Nomination, reason: str) -> Nomination:
    """Withdraw a nomination with the reason; audited."""
    require_center_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason.")})
    return transition(
        nomination,
        NominationStatus.WITHDRAWN,
        actor=actor,
        transitions=Nomination.TRANSITIONS,
        action="credit.nomination.withdrawn",
        reason=reason.strip(),
    )
