"""Reads for vacancies; who may see which vacancy is decided here, once."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict

from apps.admission.pairs import PostPairFacts, pair_failures, teacher_pair_facts
from apps.admission.rules import RuleResult
from apps.admission.selectors import evaluate_admission
from apps.core.models import Language
from apps.schools.models import GroupKind, SchoolGroup
from apps.schools.selectors import school_for_user, schools_visible_to_bureau
from apps.teachers.models import Teacher

from .filters import PublicVacancyFilter
from .models import SavedSearch, Vacancy, VacancySchool, VacancyStatus, category_bit

PUBLIC_STATUSES = (VacancyStatus.PUBLISHED,)


def _with_details(vacancies: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    return vacancies.select_related("school", "school__district", "cluster").prefetch_related(
        "subjects",
        "levels",
        Prefetch(
            "cluster_schools",
            queryset=VacancySchool.objects.select_related("school").order_by("id"),
        ),
    )


def _school_vacancies(school: Any) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(Q(school=school) | Q(cluster_schools__school=school)).distinct()


def vacancy_list_for_school(*, user: Any) -> QuerySet[Vacancy]:
    """Return the vacancies of the user's school and the cluster vacancies naming it."""
    school = school_for_user(user)
    if school is None:
        return Vacancy.objects.none()
    return _with_details(_school_vacancies(school)).order_by("-created_at")


def vacancy_get_for_school(*, user: Any, code: Any, owner_only: bool = False) -> Vacancy:
    """Return one vacancy the user's school owns (or, read-only, is a cluster member of)."""
    school = school_for_user(user)
    if school is None:
        raise Http404
    vacancies = Vacancy.objects.filter(school=school) if owner_only else _school_vacancies(school)
    vacancy = _with_details(vacancies).filter(code=code).first()
    if vacancy is None:
        raise Http404
    return vacancy


def clusters_led_by(*, school: Any) -> list[SchoolGroup]:
    """Return the clusters the school leads, with their member schools (for cluster posts)."""
    if school is None:
        return []
    return list(
        SchoolGroup.objects.filter(kind=GroupKind.CLUSTER, lead_school=school)
        .select_related("lead_school")
        .prefetch_related("members__school")
    )


def vacancy_public_search(*, params: QueryDict) -> PublicVacancyFilter:
    """Return the bound public search over published vacancies (readable without login)."""
    published = _with_details(Vacancy.objects.filter(status__in=PUBLIC_STATUSES))
    search = PublicVacancyFilter(params, queryset=published.order_by("-published_at", "-id"))
    return search


def vacancy_public_get(*, code: Any) -> Vacancy:
    """Return a published vacancy for its public page; 404 for anything else."""
    vacancy = _with_details(Vacancy.objects.filter(status__in=PUBLIC_STATUSES, code=code)).first()
    if vacancy is None:
        raise Http404
    return vacancy


def vacancy_matches_query(*, vacancy: Vacancy, query: str) -> bool:
    """Say whether one vacancy satisfies a saved search's query string."""
    search = PublicVacancyFilter(QueryDict(query), queryset=Vacancy.objects.filter(pk=vacancy.pk))
    return search.is_valid() and search.qs.exists()


def vacancy_list_for_bureau(*, user: Any) -> QuerySet[Vacancy]:
    """Return every vacancy in the bureau user's jurisdiction (read-only lists and CSV)."""
    schools = schools_visible_to_bureau(user)
    return _with_details(Vacancy.objects.filter(school__in=schools)).order_by("-created_at")


def vacancies_waiting_for_approval_count() -> int:
    """Count vacancies waiting for the center's approval (center dashboard queue)."""
    return Vacancy.objects.filter(status=VacancyStatus.SUBMITTED).count()


def saved_search_list(*, user: Any) -> QuerySet[SavedSearch]:
    """Return the user's own saved searches."""
    return SavedSearch.objects.filter(user=user)


# --- "Vacancies I qualify for" -----------------------------------------------------------------


@dataclass(frozen=True)
class Qualification:
    """Why a teacher may or may not apply to a vacancy: the standard, then the pair rules."""

    admission_failures: list[RuleResult]
    pair_failures: list[RuleResult]

    @property
    def qualifies(self) -> bool:
        return not self.admission_failures and not self.pair_failures


def post_pair_facts(vacancy: Vacancy) -> PostPairFacts:
    """Describe a vacancy for the pair rules (subjects and levels prefetched)."""
    subjects = list(vacancy.subjects.all())
    return PostPairFacts(
        subject_ids=frozenset(subject.pk for subject in subjects),
        level_ids=frozenset(level.pk for level in vacancy.levels.all()),
        subject_languages={subject.pk: subject.language_id for subject in subjects},
        accepted_categories=frozenset(vacancy.accepted_category_values),
        contract_start=vacancy.contract_start,
    )


def _teacher_facts(teacher: Teacher):
    teacher = Teacher.objects.prefetch_related("subjects", "levels").get(pk=teacher.pk)
    return teacher_pair_facts(teacher, languages=Language.objects.all())


def vacancy_qualification(*, teacher: Teacher, vacancy: Vacancy, on: date) -> Qualification:
    """Evaluate the admission standard (passport valid past the start) and the pair rules."""
    admission = evaluate_admission([teacher], on=on, passport_valid_until=vacancy.contract_start)
    return Qualification(
        admission_failures=admission[teacher.pk].failed,
        pair_failures=pair_failures(_teacher_facts(teacher), post_pair_facts(vacancy)),
    )


def vacancies_qualifying(
    *, teacher: Teacher, vacancies: QuerySet[Vacancy], on: date
) -> QuerySet[Vacancy]:
    """Narrow vacancies to those the teacher qualifies for now (none while not admitted)."""
    if not evaluate_admission([teacher], on=on)[teacher.pk].eligible:
        return vacancies.none()
    facts = _teacher_facts(teacher)
    if facts.category is None:
        return vacancies.none()
    # The database narrows cheaply; the pair rules in Python have the final word.
    candidates = (
        vacancies.filter(subjects__in=facts.subject_ids, levels__in=facts.level_ids)
        .alias(category_hit=F("accepted_categories").bitand(category_bit(facts.category)))
        .filter(category_hit__gt=0)
        .distinct()
        .prefetch_related("subjects", "levels")
    )
    qualifying = [
        vacancy.pk
        for vacancy in candidates.order_by()
        if not pair_failures(facts, post_pair_facts(vacancy))
    ]
    return vacancies.filter(pk__in=qualifying)
