"""The versions cached evaluation figures are keyed by; a write to what they show retires them.

Survey tables aggregate every answer of their scope (a municipal bureau's: all the city's), so
they are cached per scope (a school, a teacher, a district, the city) under two versions:
- the scope's answers version, bumped when a survey about an evaluation in the scope is
  recorded (a new response: survey_submit; its answers are bulk-created in the same
  transaction), so a new answer retires only the tables it shows in;
- the survey frame version, bumped by every other save or delete of a row a table reads:
  questions, rounds (which quarters are shown), the policy settings (the privacy threshold),
  schools (a school moved to another district moves its answers between bureaus), and any
  response or answer edited or deleted (an evaluation deleted with its responses).

The center's list of schools to assess shows each school's evaluations and objective
indicators, read from the register; it is cached per query under the assessment-list version,
bumped by every save or delete of a row it reads and by the audit event of every status move
made with an UPDATE (transition()) or rows bulk-created (a round's evaluations) about them.

Every bump happens now and again once the transaction commits: now, so the writer's next
page shows the change; after commit, so what another request computed from the old rows in
between is retired too.
"""

from functools import partial
from typing import Any

from apps.core.cache_versions import rows_watched, version_get, versions_bump, versions_get

SURVEY_VERSION_KEY = "evaluations:survey-version"
ASSESSMENT_LIST_VERSION_KEY = "evaluations:assessment-list-version"
# A second safety net behind the exact invalidation.
SURVEY_CACHE_SECONDS = 5 * 60
ASSESSMENT_LIST_CACHE_SECONDS = 5 * 60

# The rows (lower-case model labels) each version's cached figures read.
SOURCES: dict[str, tuple[str, ...]] = {
    SURVEY_VERSION_KEY: (
        "evaluations.surveyanswer",
        "evaluations.surveyquestion",
        "evaluations.evaluationround",
        "core.policysettings",
        "schools.school",
    ),
    ASSESSMENT_LIST_VERSION_KEY: (
        "evaluations.evaluation",
        "evaluations.evaluationround",
        "evaluations.schoolassessment",
        "schools.school",
        "schools.schoolmembership",
        "core.district",
        "core.policysettings",
        "employment.employment",
        "employment.employmentchange",
        "employment.employmentschool",
        "employment.exchangevisit",
    ),
}
_VERSIONS_READING: dict[str, tuple[str, ...]] = {}
for _key, _labels in SOURCES.items():
    for _label in _labels:
        _VERSIONS_READING[_label] = (*_VERSIONS_READING.get(_label, ()), _key)


def _answers_key(scope: str) -> str:
    return f"evaluations:survey-answers:{scope}"


def survey_versions(scope: str | None) -> str:
    """Return the survey frame's version and the scope's answers version (one round trip).

    `scope`: "school:<id>", "teacher:<id>", "district:<id>" or "city"; None for the frame only.
    """
    keys = [SURVEY_VERSION_KEY, *([_answers_key(scope)] if scope else [])]
    return ".".join(str(version) for version in versions_get(keys))


def assessment_list_version() -> int:
    """Return the current version of the center's cached list of schools to assess."""
    return version_get(ASSESSMENT_LIST_VERSION_KEY)


def survey_results_changed() -> None:
    """Retire every cached survey table (the frame: questions, rounds, threshold, …)."""
    versions_bump([SURVEY_VERSION_KEY])


def survey_answers_changed(*, school_id: int, teacher_id: int, district_id: int) -> None:
    """Retire the cached survey tables a new answer about this school and teacher shows in."""
    scopes = (f"school:{school_id}", f"teacher:{teacher_id}", f"district:{district_id}", "city")
    versions_bump(_answers_key(scope) for scope in scopes)


def _row_written(row: Any, pk: Any, happened: str, *, label: str) -> None:
    versions_bump(_VERSIONS_READING[label])


def _response_written(response: Any, pk: Any, happened: str) -> None:
    if happened != "created":  # edited or deleted: whichever tables held it
        survey_results_changed()
        return
    from .models import Evaluation

    found = (
        Evaluation.objects.filter(pk=response.evaluation_id)
        .values_list("school_id", "teacher_id", "school__district_id")
        .first()
    )
    if found is None:
        survey_results_changed()
    else:
        survey_answers_changed(school_id=found[0], teacher_id=found[1], district_id=found[2])


def connect_receivers() -> None:
    """Bump the versions on every write of a row their cached figures read (apps.ready)."""
    for label in _VERSIONS_READING:
        rows_watched(label, partial(_row_written, label=label))
    rows_watched("evaluations.surveyresponse", _response_written, audited=False)
