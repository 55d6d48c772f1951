"""The teacher's own pages, cached: today's admission result, suggestions and other parts.

The teacher's dashboard and suggestions page read them on every visit. They are keyed by the
teacher, the language, the local date, the teacher's version (apps.admission.caching: every
write to their profile, documents, credit, applications, employments, recommendations), the
policy and reference versions, the public vacancies' version (a vacancy edited, closed or
filled) and the teacher pages' version here (a finished run, a school renamed, rows pruned).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_save
from django.utils.translation import get_language

from apps.admission.caching import (
    POLICY_VERSION_KEY,
    admission_frozen,
    teacher_rows_tracked,
    teacher_version_key,
    teachers_changed,
)
from apps.admission.selectors import AdmissionResult, evaluate_admission
from apps.core.cache_versions import rows_watched, versions_bump, versions_get
from apps.core.selectors import REFERENCE_VERSION_KEY
from apps.teachers.models import Teacher
from apps.vacancies.caching import SEARCH_VERSION_KEY

from .models import MatchRun, MatchSuggestion, RunKind, RunStatus
from .selectors.suggestions import SUGGESTIONS_SHOWN, SuggestionCard, teacher_suggestion_cards

# Every teacher's cached pages at once: a finished run, a school renamed, old rows pruned.
TEACHER_PAGES_VERSION_KEY = "matching:teacher-pages-version"
# A second safety net behind the versions: nothing cached here outlives five minutes.
SNAPSHOT_SECONDS = 300
# Raise it when the cached classes change shape: a release never reads its predecessor's.
SNAPSHOT_SCHEMA = 1


@dataclass(frozen=True)
class TeacherMatching:
    """What the teacher's pages show of matching: the admission result and the suggestions."""

    admission: AdmissionResult  # messages rendered in the snapshot's language
    suggestions: list[SuggestionCard]  # invitations first, up to SUGGESTIONS_SHOWN

    def suggested(self, limit: int) -> list[SuggestionCard]:
        """Return the first `limit` suggestions, and every pushed or invited one."""
        pushed = sum(1 for card in self.suggestions if card.recommendation is not None)
        return self.suggestions[: max(limit, pushed)]


def _versions(teacher_id: int) -> list[int]:
    return versions_get(
        [
            teacher_version_key(teacher_id),
            POLICY_VERSION_KEY,
            TEACHER_PAGES_VERSION_KEY,
            REFERENCE_VERSION_KEY,
            SEARCH_VERSION_KEY,
        ]
    )


def teacher_pages_get(
    *, teacher: Teacher, on: date, parts: dict[str, Callable[[dict[str, Any]], Any]]
) -> dict[str, Any]:
    """Return named parts of the teacher's own pages from the cache, building missing ones.

    Each part is plain data in the active language about this teacher on this date, built
    only from inputs the versions above follow (two cache round trips when all are cached).
    A builder is passed the parts before it, cached or just built.
    """
    versions = ".".join(str(version) for version in _versions(teacher.pk))
    prefix = (
        f"matching:teacher:{SNAPSHOT_SCHEMA}:{teacher.pk}:{get_language()}:{on.isoformat()}:"
        f"{versions}"
    )
    keys = {name: f"{prefix}:{name}" for name in parts}
    found = cache.get_many(list(keys.values()))
    out, built = {}, {}
    for name, build in parts.items():
        key = keys[name]
        if key in found:
            out[name] = found[key]
        else:
            out[name] = built[key] = build(out)
    if built:
        cache.set_many(built, SNAPSHOT_SECONDS)
    return out


def teacher_matching_build(
    *, teacher: Teacher, on: date, applied: Iterable[int] | None = None
) -> TeacherMatching:
    """Evaluate the teacher's admission on the date and list their suggestions (uncached).

    ``applied``: the ids of the vacancies the teacher applied to, when the page holds them.
    """
    admission = admission_frozen(evaluate_admission([teacher], on=on)[teacher.pk])
    cards = teacher_suggestion_cards(
        teacher=teacher, admission=admission, applied=applied, limit=SUGGESTIONS_SHOWN
    )
    return TeacherMatching(admission, cards)


def teacher_matching_get(*, teacher: Teacher, on: date) -> TeacherMatching:
    """Return the teacher's admission result on the date and their suggestions (cached)."""
    parts = {"matching": lambda _before: teacher_matching_build(teacher=teacher, on=on)}
    return teacher_pages_get(teacher=teacher, on=on, parts=parts)["matching"]


def teacher_pages_changed() -> None:
    """Retire every teacher's cached pages (now and after commit)."""
    versions_bump([TEACHER_PAGES_VERSION_KEY])


# --- Receivers that only bump versions ------------------------------------------------------


def _run_finished(run_id: Any) -> None:
    run = MatchRun.objects.filter(pk=run_id).values("kind", "status").first()
    if run is None or run["status"] != RunStatus.DONE:
        return
    if run["kind"] == RunKind.INCREMENTAL:
        # A shortlist of one teacher or one vacancy: only the teachers it ranked see it.
        rows = MatchSuggestion.objects.filter(run_id=run_id).order_by()
        teachers_changed(rows.values_list("teacher_id", flat=True))
    else:
        teacher_pages_changed()


def run_changed(row: MatchRun | None, pk: Any, happened: str) -> None:
    """A run saved as done, or moved to done by a conditional update (its audit event)."""
    if (row is not None and happened != "deleted" and row.status == RunStatus.DONE) or (
        row is None and happened == f"matching.run_{RunStatus.DONE}"
    ):
        _run_finished(pk)


def school_saved(sender, created: bool = False, **kwargs: Any) -> None:
    if not created:  # a new school is on no page yet
        teacher_pages_changed()  # cards and applications show the school's name


def receivers_connect() -> None:
    """Connect the version receivers for what suggestions read (MatchingConfig.ready)."""
    from apps.applications.models import Application
    from apps.schools.models import School

    from .models import Recommendation

    # The vacancies a teacher applied to leave their suggestions; the rest is theirs alone.
    teacher_rows_tracked(Application)
    teacher_rows_tracked(Recommendation)
    rows_watched("matching.matchrun", run_changed)
    post_save.connect(school_saved, sender=School, dispatch_uid="matching-school-version")
