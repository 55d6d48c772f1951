"""Writes of the matching weights: center staff tune them; the next run uses them."""

from typing import Any

from django.db import transaction

from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record, model_snapshot

from ..models import WEIGHT_FIELDS, MatchingWeights
from ..selectors.weights import matching_weights_row


@transaction.atomic
def matching_weights_update(*, actor: Any, **values: float) -> MatchingWeights:
    """Change component weights (center staff); raises ValidationError if none stays positive;
    audited. Runs queued from now on record and use them."""
    require_center_staff(actor)
    unknown = set(values) - set(WEIGHT_FIELDS)
    if unknown:
        raise ValueError(f"unknown matching weights: {', '.join(sorted(unknown))}")
    stored = MatchingWeights.objects.select_for_update().get(pk=matching_weights_row().pk)
    before = model_snapshot(stored, list(WEIGHT_FIELDS))
    for name, value in values.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save()
    audit_record(
        actor=actor,
        action="matching.weights.update",
        target=stored,
        before=before,
        after=model_snapshot(stored, list(WEIGHT_FIELDS)),
    )
    return stored
