"""The versions the center's cached overdue list and the hire checklists are keyed by.

The open-step snapshot changes only through services.checklist_steps_refresh and procedure
edits (titles): both bump this version. What the rows show of the hire, its
school and teacher is versioned with the bureau's "employments" part (apps/schools/caching.py,
bumped by every save, delete and audited status move of those rows).
"""

from apps.core.cache_versions import rows_watched, version_get, versions_bump
from apps.schools.caching import bureau_cache_key

STEPS_VERSION_KEY = "guidance:open-steps-version"
# Every checklist page reads the same published procedures and the policy settings their time
# limits come from: any save or delete of either retires them.
CHECKLIST_REFERENCE_VERSION_KEY = "guidance:checklist-reference-version"
CHECKLIST_REFERENCE_SOURCES = ("guidance.procedure", "core.policysettings")
# A second safety net behind the exact invalidation.
OVERDUE_CACHE_SECONDS = 5 * 60
CHECKLIST_REFERENCE_SECONDS = 5 * 60


def overdue_version() -> str:
    """Return the version of the overdue lists' rows: open steps, hires, schools, teachers."""
    # Not a bureau viewer's scope (that part of the key reads "none"): only its versions count.
    hires = bureau_cache_key(user=None, parts=("employments",))
    return f"{version_get(STEPS_VERSION_KEY)}:{hires}"


def open_steps_changed() -> None:
    """Retire the cached overdue lists and counts (now and after commit)."""
    versions_bump([STEPS_VERSION_KEY])


def checklist_reference_version() -> int:
    """Return the current version of the checklists' cached procedures and policy."""
    return version_get(CHECKLIST_REFERENCE_VERSION_KEY)


def _checklist_reference_written(row, pk, happened: str) -> None:
    versions_bump([CHECKLIST_REFERENCE_VERSION_KEY])


def connect_receivers() -> None:
    """Bump the checklist version on every write of a procedure or the policy (apps.ready)."""
    for label in CHECKLIST_REFERENCE_SOURCES:
        rows_watched(label, _checklist_reference_written, audited=False)
