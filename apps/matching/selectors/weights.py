"""Reads of the matching weights every run uses."""

from ..engine import Weights
from ..models import MatchingWeights


def matching_weights_row() -> MatchingWeights:
    """Return the weights row, creating it with the engine's defaults on first use."""
    row, _created = MatchingWeights.objects.get_or_create(pk=MatchingWeights.SINGLETON_PK)
    return row


def matching_weights_get() -> Weights:
    """Return the current weights as the engine takes them."""
    return matching_weights_row().as_weights()
