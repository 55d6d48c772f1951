"""The one place other apps ask whether a teacher or school is black-listed."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from apps.schools.selectors import school_can_post

from .models import BlackListEntry


def blacklist_active_q(*, on: date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def blacklist_entries_active(*, on: date) -> QuerySet[BlackListEntry]:
    """Return the entries in force on the date."""
    return BlackListEntry.objects.filter(blacklist_active_q(on=on))


def blacklisted_teacher_ids(*, on: date, among: Iterable[int] | None = None) -> set[int]:
    """Return the ids of teachers black-listed on the date (optionally only among some ids)."""
    entries = blacklist_entries_active(on=on).filter(teacher__isnull=False)
    if among is not None:
        entries = entries.filter(teacher_id__in=list(among))
    return set(entries.values_list("teacher_id", flat=True))


def teacher_is_blacklisted(teacher, *, on: date) -> bool:
    """Return whether the teacher is on the black list on the date."""
    return blacklist_entries_active(on=on).filter(teacher=teacher).exists()


def blacklisted_school_ids(*, on: date, among: Iterable[int] | None = None) -> set[int]:
    """Return the ids of schools black-listed on the date (optionally only among some ids)."""
    entries = blacklist_entries_active(on=on).filter(school__isnull=False)
    if among is not None:
        entries = entries.filter(school_id__in=list(among))
    return set(entries.values_list("school_id", flat=True))


def school_is_blacklisted(school, *, on: date) -> bool:
    """Return whether the school is on the black list on the date."""
    return blacklist_entries_active(on=on).filter(school=school).exists()


# Why a school may not post (vacancies, exchange visits); None when it may.
POST_BLOCK_UNVERIFIED = "unverified"
POST_BLOCK_BLACKLISTED = "blacklisted"


def school_post_block(school, *, on: date) -> str | None:
    """Return why the school may not post on the date (unverified, black-listed) or None."""
    if not school_can_post(school):
        return POST_BLOCK_UNVERIFIED
    if school_is_blacklisted(school, on=on):
        return POST_BLOCK_BLACKLISTED
    return None
