"""Whether a teacher is free to be hired: the one definition every caller asks.

A teacher with an active employment, or holding an accepted offer, is out of play everywhere
(not suggested, shortlisted, invited, interviewed or offered elsewhere) until it ends. The rows
that commit a teacher live in higher layers (applications, employment), which this app may not
import: each of those apps registers a queryset of its committing rows here in its
AppConfig.ready(), as teachers' document-access rules are registered. The codes and the one
message per code live here.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.teachers.models import Teacher

from .rules import RuleResult

EMPLOYED = "employed"
OFFER_ACCEPTED = "offer_accepted"
# In the order a reader is told: an employment outweighs an offer accepted meanwhile.
AVAILABILITY_CODES = (EMPLOYED, OFFER_ACCEPTED)
AVAILABILITY_MESSAGES = {
    EMPLOYED: _("Employed by a school: not available for another post until that employment ends."),
    OFFER_ACCEPTED: _("Holds an accepted offer for another post: not available while it stands."),
}
AVAILABLE_MESSAGE = _("Available: no active employment or accepted offer for another post.")

# code → callable returning the committing rows (each with `teacher` and `vacancy` foreign keys).
CommitmentRows = Callable[[], QuerySet]
_commitments: dict[str, CommitmentRows] = {}


def register_commitment(code: str, rows: CommitmentRows) -> None:
    """Register the rows that commit a teacher under one availability code (AppConfig.ready)."""
    if code not in AVAILABILITY_CODES:
        raise ValueError(f"unknown availability code {code!r}")
    _commitments[code] = rows
    # A cached admission result must follow every change to these rows (a late import:
    # caching reads the selectors, which import this module).
    from .caching import teacher_rows_tracked

    teacher_rows_tracked(rows().model)


def availability_annotations(*, vacancy_id: int | None = None) -> dict[str, Any]:
    """Return Exists() annotations, one per code, for a Teacher queryset.

    A commitment to ``vacancy_id`` itself does not count: the hire of an accepted offer, or the
    vacancy page of the post a teacher already holds, is about that very post.
    """
    annotations = {}
    for code in AVAILABILITY_CODES:
        if code not in _commitments:
            continue
        rows = _commitments[code]().filter(teacher=OuterRef("pk"))
        if vacancy_id is not None:
            rows = rows.exclude(vacancy_id=vacancy_id)
        annotations[f"availability_{code}"] = Exists(rows)
    return annotations


def availability_result(teacher: Teacher) -> RuleResult:
    """Read the annotations of `availability_annotations` on one teacher into a result."""
    for code in AVAILABILITY_CODES:
        if getattr(teacher, f"availability_{code}", False):
            return RuleResult(code, False, AVAILABILITY_MESSAGES[code])
    return RuleResult("available", True, AVAILABLE_MESSAGE)


def hiring_availability(
    teachers: Iterable[Teacher | int], *, vacancy_id: int | None = None
) -> dict[int, RuleResult]:
    """Say, for each teacher, whether they are available for hiring (one query).

    The one selector for "available for hiring". `evaluate_admission` reads the same
    annotations inside its own query, so the matching loader, suggestion pages and the
    pipeline's apply, shortlist, offer and hire checks get the same answer with no extra
    query; the accept and interview steps, which do not re-check the whole standard, call this.
    ``vacancy_id`` is the post being considered: its own accepted offer does not count.
    """
    ids = [t.pk if isinstance(t, Teacher) else int(t) for t in teachers]
    if not ids:
        return {}
    rows = Teacher.objects.filter(pk__in=ids).only("pk")
    rows = rows.annotate(**availability_annotations(vacancy_id=vacancy_id))
    return {teacher.pk: availability_result(teacher) for teacher in rows}
