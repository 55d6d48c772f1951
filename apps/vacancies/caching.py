"""The version that cached public-search figures are keyed by; a vacancy change retires them."""

from django.core.cache import cache
from django.db import transaction

SEARCH_VERSION_KEY = "vacancies:search-version"


def search_version() -> int:
    """Return the current version of the public search results."""
    return cache.get_or_set(SEARCH_VERSION_KEY, 1, timeout=None)


def search_results_changed() -> None:
    """Retire every cached search figure once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(SEARCH_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value retires the old keys
        cache.add(SEARCH_VERSION_KEY, 2, timeout=None)
