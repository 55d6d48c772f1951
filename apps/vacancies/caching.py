"""The version that cached public-search figures are keyed by; a vacancy change retires them."""

from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction

from apps.core.selectors import REFERENCE_VERSION_KEY, reference_version

SEARCH_VERSION_KEY = "vacancies:search-version"


class SearchCacheVersions(NamedTuple):
    """What a cached search page is keyed by: the vacancies' and the filter lists' versions."""

    results: int
    reference: int


def search_version() -> int:
    """Return the current version of the public search results."""
    return cache.get_or_set(SEARCH_VERSION_KEY, 1, timeout=None)


def search_cache_versions() -> SearchCacheVersions:
    """Return both versions in one cache round trip (the search page is the busiest page)."""
    found = cache.get_many([SEARCH_VERSION_KEY, REFERENCE_VERSION_KEY])
    return SearchCacheVersions(
        results=found.get(SEARCH_VERSION_KEY) or search_version(),
        reference=found.get(REFERENCE_VERSION_KEY) or reference_version(),
    )


def search_results_changed() -> None:
    """Retire every cached search figure once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(SEARCH_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value retires the old keys
        cache.add(SEARCH_VERSION_KEY, 2, timeout=None)
