"""Versions the bureau's cached lists and counts are keyed by; a write of what they show bumps them.

The bureau's lists (schools, vacancies, employments, late evaluations) and its dashboard's
counts are the same for everyone of one jurisdiction asking the same question, so their
counts and rendered rows are cached under the jurisdiction, the query and these versions.
A version is bumped after the commit of any write to a row its part shows, counts or filters
on: saves and deletes (the admin's too) through the receivers below, and status moves, which
are conditional UPDATEs that skip post_save, through the audit event every transition() and
every other service write records about its row.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.utils.functional import SimpleLazyObject

from apps.core.cache_versions import rows_watched, versions_bump, versions_get
from apps.core.pagination import page_of, query_without_page
from apps.core.selectors import REFERENCE_VERSION_KEY

from .selectors import bureau_membership_for_user

# A second safety net behind the exact invalidation.
BUREAU_CACHE_SECONDS = 5 * 60

# The rows (lower-case model labels) each cached part of the bureau's pages reads.
SOURCES: dict[str, tuple[str, ...]] = {
    "schools": ("schools.school",),
    "groups": ("schools.school", "schools.schoolgroup", "schools.schoolgroupmember"),
    "vacancies": ("schools.school", "vacancies.vacancy"),
    "employments": (
        "schools.school",
        "employment.employment",
        "employment.employmentschool",
        "teachers.teacher",
    ),
    # The bureau's late list names no teacher.
    "evaluations": ("schools.school", "evaluations.evaluation", "evaluations.evaluationround"),
}
_PARTS_READING: dict[str, tuple[str, ...]] = {}
for _part, _labels in SOURCES.items():
    for _label in _labels:
        _PARTS_READING[_label] = (*_PARTS_READING.get(_label, ()), _part)


def _version_key(part: str) -> str:
    return f"schools:bureau-version:{part}"


def bureau_cache_key(*, user: Any, parts: tuple[str, ...]) -> str:
    """Return the key prefix of a cached bureau part: jurisdiction, versions, reference data.

    One cache round trip. A bureau viewer without a jurisdiction sees nothing and gets "none".
    """
    membership = bureau_membership_for_user(user)
    if membership is None:
        scope = "none"
    elif membership.district_id is None:
        scope = "city"
    else:
        scope = f"d{membership.district_id}"
    versions = versions_get([*(_version_key(part) for part in parts), REFERENCE_VERSION_KEY])
    return f"{scope}:{'.'.join(str(version) for version in versions)}"


def bureau_list_cache_key(*, request: Any, parts: tuple[str, ...]) -> str:
    """Return the cache key of a bureau list page's form and rows: the key above plus the query."""
    return f"{bureau_cache_key(user=request.user, parts=parts)}:{request.GET.urlencode()}"


def bureau_list_context(
    request: Any, *, parts: tuple[str, ...], filterset: Callable[[], Any]
) -> dict[str, Any]:
    """Return the context of a bureau list whose form, count, rows and pager are one cached
    fragment: the filter and the page are built only when that fragment misses."""
    lazy_filter = SimpleLazyObject(filterset)
    return {
        "filter": lazy_filter,
        "page": SimpleLazyObject(lambda: page_of(request, lazy_filter.qs)),
        "query": query_without_page(request),
        "cache_key": bureau_list_cache_key(request=request, parts=parts),
        "cache_seconds": BUREAU_CACHE_SECONDS,
    }


def bureau_parts_changed(*parts: str) -> None:
    """Retire the cached bureau parts (now and after commit)."""
    versions_bump(_version_key(part) for part in parts)


def _row_written(row: Any, pk: Any, happened: str, *, label: str) -> None:
    bureau_parts_changed(*_PARTS_READING[label])


def connect_receivers() -> None:
    """Bump the versions on every write of a row a cached bureau part reads (apps.ready)."""
    for label in _PARTS_READING:
        rows_watched(label, partial(_row_written, label=label))
