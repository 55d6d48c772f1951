"""The version that cached public-search figures are keyed by; a vacancy change retires them."""

from typing import NamedTuple

from apps.core.cache_versions import versions_bump, versions_get
from apps.core.selectors import REFERENCE_VERSION_KEY

SEARCH_VERSION_KEY = "vacancies:search-version"


class SearchCacheVersions(NamedTuple):
    """What a cached search page is keyed by: the vacancies' and the filter lists' versions."""

    results: int
    reference: int


def search_cache_versions() -> SearchCacheVersions:
    """Return both versions in one cache round trip (the search page is the busiest page)."""
    return SearchCacheVersions(*versions_get([SEARCH_VERSION_KEY, REFERENCE_VERSION_KEY]))


def search_results_changed() -> None:
    """Retire every cached search figure (now and after commit)."""
    versions_bump([SEARCH_VERSION_KEY])
