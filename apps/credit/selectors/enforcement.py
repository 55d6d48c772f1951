"""The one place other apps ask whether a teacher may be hired or a school may post or hire.

A restriction (an active negative credit record) is in force from its start date to its
display end. The older "black list" names are kept for their callers: a teacher or school is
"black-listed" on a date exactly when a restriction on them is in force then.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from apps.schools.selectors import school_can_post

from ..models import CreditRecord, RecordKind, RecordStatus, Severity


def restriction_in_force_q(*, on: date) -> Q:
    """Return the filter for restrictions in force on the date."""
    return Q(
        kind=RecordKind.NEGATIVE,
        status=RecordStatus.ACTIVE,
        starts_on__lte=on,
        display_until__gte=on,
    )


def restrictions_in_force(*, on: date) -> QuerySet[CreditRecord]:
    """Return the restrictions (teachers and schools) in force on the date."""
    return CreditRecord.objects.filter(restriction_in_force_q(on=on))


# Names kept for existing callers (admission, tests of other apps).
blacklist_active_q = restriction_in_force_q
blacklist_entries_active = restrictions_in_force


def blacklisted_teacher_ids(*, on: date, among: Iterable[int] | None = None) -> set[int]:
    """Return the ids of teachers restricted on the date (optionally only among some ids)."""
    records = restrictions_in_force(on=on).filter(teacher__isnull=False)
    if among is not None:
        records = records.filter(teacher_id__in=list(among))
    return set(records.values_list("teacher_id", flat=True))


def teacher_is_blacklisted(teacher, *, on: date) -> bool:
    """Return whether a restriction on the teacher is in force on the date."""
    return restrictions_in_force(on=on).filter(teacher=teacher).exists()


def teacher_may_be_hired(teacher, *, on: date) -> bool:
    """Return whether credit lets the teacher apply, be matched, offered or hired on the date."""
    return not teacher_is_blacklisted(teacher, on=on)


def blacklisted_school_ids(*, on: date, among: Iterable[int] | None = None) -> set[int]:
    """Return the ids of schools restricted on the date (optionally only among some ids)."""
    records = restrictions_in_force(on=on).filter(school__isnull=False)
    if among is not None:
        records = records.filter(school_id__in=list(among))
    return set(records.values_list("school_id", flat=True))


def school_is_blacklisted(school, *, on: date) -> bool:
    """Return whether a restriction on the school is in force on the date."""
    return restrictions_in_force(on=on).filter(school=school).exists()


# Why a school may not post or hire (vacancies, exchange visits, hiring); None when it may.
POST_BLOCK_UNVERIFIED = "unverified"
POST_BLOCK_BLACKLISTED = "blacklisted"
POST_BLOCK_RESTRICTED = POST_BLOCK_BLACKLISTED


def school_post_block(school, *, on: date) -> str | None:
    """Return why the school may not post on the date (unverified, restricted) or None."""
    if not school_can_post(school):
        return POST_BLOCK_UNVERIFIED
    if school_is_blacklisted(school, on=on):
        return POST_BLOCK_RESTRICTED
    return None


def school_may_hire(school, *, on: date) -> bool:
    """Return whether credit lets the school hire (offer, hire) on the date."""
    return not school_is_blacklisted(school, on=on)


def teacher_credit_caps(teacher_ids: Iterable[int], *, on: date) -> dict[int, str]:
    """Return {teacher id: "serious" | "general"} for teachers whose restrictions cap stars."""
    caps: dict[int, str] = {}
    rows = (
        restrictions_in_force(on=on)
        .filter(teacher_id__in=list(teacher_ids), severity__in=[Severity.SERIOUS, Severity.GENERAL])
        .values_list("teacher_id", "severity")
    )
    for teacher_id, severity in rows:
        if caps.get(teacher_id) != Severity.SERIOUS:
            caps[teacher_id] = str(severity)
    return caps


def commendation_in_force_q(*, on: date) -> Q:
    """Return the filter for commendations in force on the date."""
    return Q(
        kind=RecordKind.COMMENDATION,
        status=RecordStatus.ACTIVE,
        starts_on__lte=on,
        display_until__gte=on,
    )


def commended_teacher_ids(*, on: date, among: Iterable[int] | None = None) -> set[int]:
    """Return the ids of teachers with a commendation in force on the date (the red list)."""
    records = CreditRecord.objects.filter(commendation_in_force_q(on=on), teacher__isnull=False)
    if among is not None:
        records = records.filter(teacher_id__in=list(among))
    return set(records.values_list("teacher_id", flat=True))
