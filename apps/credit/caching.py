"""The version the center's cached recognition candidates are keyed by.

A candidate list reads star levels (written in bulk: each change leaves a StarLevelHistory
row and its audit event), evaluation results, the star rules, credit records (restrictions
and commendations), nominations, the policy's thresholds and the teachers' names and
nationalities: a save, delete or audited status move of any of them bumps the version.
"""

from typing import Any

from apps.core.cache_versions import rows_watched, version_get, versions_bump

RECOGNITION_VERSION_KEY = "credit:recognition-version"
RECOGNITION_SOURCES = (
    "credit.teacherstarlevel",
    "credit.starlevelhistory",
    "credit.evaluationresult",
    "credit.starrule",
    "credit.creditrecord",
    "credit.nomination",
    "core.policysettings",
    "teachers.teacher",
)
# A second safety net behind the exact invalidation.
RECOGNITION_SECONDS = 5 * 60


def recognition_version() -> int:
    return version_get(RECOGNITION_VERSION_KEY)


def _source_written(row: Any, pk: Any, happened: str) -> None:
    versions_bump([RECOGNITION_VERSION_KEY])


def connect_receivers() -> None:
    """Bump the version on every write of a row the candidates read (CreditConfig.ready)."""
    for label in RECOGNITION_SOURCES:
        rows_watched(label, _source_written)
