"""The versions the center's cached overdue list and the hire checklists are keyed by.

The open-step snapshot changes only through services.checklist_steps_refresh and procedure
edits (titles): both bump this version. What the rows show of the hire, its
school and teacher is versioned with the bureau's "employments" part (apps/schools/caching.py,
bumped by every save, delete and audited status move of those rows).

A checklist page reads the hire's own row live and its register changes and marks from the
cache, under the hire's version: every save and delete of either bumps it (they are written
one by one, by services and the admin; only the seed inserts them in bulk, into new hires).
"""

import hashlib
from datetime import date

from apps.core.cache_versions import rows_watched, version_get, versions_bump, versions_get
from apps.schools.caching import bureau_cache_key

STEPS_VERSION_KEY = "guidance:open-steps-version"
# Every checklist page reads the same published procedures and the policy settings their time
# limits come from: any save or delete of either retires them.
CHECKLIST_REFERENCE_VERSION_KEY = "guidance:checklist-reference-version"
CHECKLIST_REFERENCE_SOURCES = ("guidance.procedure", "core.policysettings")
# A second safety net behind the exact invalidation.
OVERDUE_CACHE_SECONDS = 5 * 60
CHECKLIST_REFERENCE_SECONDS = 5 * 60
HIRE_VERSION_KEY = "guidance:hire-version:{}"
HIRE_ROWS_SOURCES = ("employment.employmentchange", "guidance.checklistentry")
HIRE_ROWS_SECONDS = 5 * 60
# A checklist's rendered rows are keyed by everything they show: the time only bounds the
# memory a hire's old rows hold after they changed.
CHECKLIST_ROWS_SECONDS = 10 * 60


def overdue_version() -> str:
    """Return the version of the overdue lists' rows: open steps, hires, schools, teachers."""
    # Not a bureau viewer's scope (that part of the key reads "none"): only its versions count.
    hires = bureau_cache_key(user=None, parts=("employments",))
    return f"{version_get(STEPS_VERSION_KEY)}:{hires}"


def open_steps_changed() -> None:
    """Retire the cached overdue lists and counts (now and after commit)."""
    versions_bump([STEPS_VERSION_KEY])


def checklist_versions(*, employment_pk: int) -> tuple[int, int]:
    """Return the versions of the checklists' procedures and policy and of the hire's rows."""
    reference, hire = versions_get(
        [CHECKLIST_REFERENCE_VERSION_KEY, HIRE_VERSION_KEY.format(employment_pk)]
    )
    return reference, hire


def checklist_rows_key(*, checklist, may_mark: bool, today: date) -> str:
    """Return the cache key of a checklist's rows: a digest of all they show but the language.

    `today` is the blank mark form's initial date; the procedures' texts are in the language
    the fragment is cached under.
    """
    shown = [
        (
            step.procedure.pk,
            step.procedure.code,
            step.procedure.slug,
            step.procedure.title,
            step.procedure.applicant,
            step.procedure.authority,
            step.procedure.limit_uncertain,
            str(step.limit_text),
            step.status,
            step.due,
            step.time_assumed,
            str(step.waiting_for),
            step.done_on,
            step.closed_by_register,
            str(step.reason),
            step.entry is not None and bool(step.entry.file),
            step.entry is not None,
            step.overdue,
        )
        for step in checklist.steps
    ]
    fingerprint = repr((checklist.employment.code, may_mark, today, shown))
    return f"guidance:checklist-rows:{hashlib.sha256(fingerprint.encode()).hexdigest()}"


def _checklist_reference_written(row, pk, happened: str) -> None:
    versions_bump([CHECKLIST_REFERENCE_VERSION_KEY])


def _hire_row_written(row, pk, happened: str) -> None:
    versions_bump([HIRE_VERSION_KEY.format(row.employment_id)])


def connect_receivers() -> None:
    """Bump the checklist versions on every write of what they read (apps.ready)."""
    for label in CHECKLIST_REFERENCE_SOURCES:
        rows_watched(label, _checklist_reference_written, audited=False)
    for label in HIRE_ROWS_SOURCES:
        rows_watched(label, _hire_row_written, audited=False)
