"""Reads for the center's "explain a pair" page: find a teacher and a vacancy by search."""

from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.permissions import require_center_staff
from apps.core.fields import keyed_hash
from apps.teachers.models import Teacher
from apps.vacancies.models import Vacancy

PAIR_SEARCH_MIN_LENGTH = 2
PAIR_SEARCH_LIMIT = 10


def pair_teacher_search(*, user: Any, query: str, chosen: UUID | None = None) -> list[Teacher]:
    """Return teachers whose name, email or passport number matches (center staff only)."""
    require_center_staff(user)
    found: list[Teacher] = []
    query = query.strip()
    if len(query) >= PAIR_SEARCH_MIN_LENGTH:
        found = list(
            Teacher.objects.select_related("user")
            .filter(
                Q(legal_name__icontains=query)
                | Q(user__email__icontains=query)
                | Q(passport_number_hash=keyed_hash(query))
            )
            .order_by("legal_name", "pk")[:PAIR_SEARCH_LIMIT]
        )
    return _keep_chosen(found, Teacher.objects.select_related("user"), chosen)


def pair_vacancy_search(*, user: Any, query: str, chosen: UUID | None = None) -> list[Vacancy]:
    """Return vacancies whose title or school matches (center staff only), newest first."""
    require_center_staff(user)
    found: list[Vacancy] = []
    query = query.strip()
    if len(query) >= PAIR_SEARCH_MIN_LENGTH:
        found = list(
            Vacancy.objects.select_related("school")
            .filter(
                Q(title_en__icontains=query)
                | Q(title_zh_hans__icontains=query)
                | Q(school__name_en__icontains=query)
                | Q(school__name_zh_hans__icontains=query)
            )
            .order_by("-created_at", "-pk")[:PAIR_SEARCH_LIMIT]
        )
    return _keep_chosen(found, Vacancy.objects.select_related("school"), chosen)


def _keep_chosen(found: list, queryset: QuerySet, chosen: UUID | None) -> list:
    # The one already picked stays on the list even when the search text changed since.
    if chosen is None or any(row.code == chosen for row in found):
        return found
    picked = queryset.filter(code=chosen).first()
    return [picked, *found] if picked else found


def pair_teacher_get(*, user: Any, code: UUID) -> Teacher:
    """Return the teacher a center "why" page asks about (center staff only); 404 if unknown."""
    require_center_staff(user)
    return get_object_or_404(Teacher, code=code)


def pair_vacancy_get(*, user: Any, code: UUID) -> Vacancy:
    """Return the vacancy (with its school) a center "why" page asks about; 404 if unknown."""
    require_center_staff(user)
    return get_object_or_404(Vacancy.objects.select_related("school"), code=code)
