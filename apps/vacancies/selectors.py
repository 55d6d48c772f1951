"""Reads for vacancies; who may see which vacancy is decided here, once."""

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404, QueryDict

from apps.admission.pairs import PostPairFacts, pair_failures, teacher_pair_facts
from apps.admission.rules import RuleResult
from apps.admission.selectors import evaluate_admission
from apps.core.models import Language
from apps.core.selectors import policy_settings_get
from apps.schools.models import GroupKind, SchoolGroup
from apps.schools.selectors import bureau_jurisdiction_q, school_for_user
from apps.teachers.models import Teacher

from .filters import PublicVacancyFilter
from .models import SavedSearch, Vacancy, VacancySchool, VacancyStatus, category_bit

PUBLIC_STATUSES = (VacancyStatus.PUBLISHED,)
# Query parameters that do not change how many vacancies a search finds.
UNCOUNTED_PARAMS = {"page", "sort", "qualify"}
SEARCH_COUNT_SECONDS = 10 * 60


def _with_details(vacancies: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    return vacancies.select_related("school", "school__district", "cluster").prefetch_related(
        "subjects",
        "levels",
        Prefetch(
            "cluster_schools",
            queryset=VacancySchool.objects.select_related("school").order_by("id"),
        ),
    )


def school_vacancy_ids(school: Any) -> QuerySet:
    """Return (as a subquery) the ids of the school's own vacancies and the cluster vacancies
    naming it: a UNION of two index scans, not an OR across a join that scans every vacancy."""
    own = Vacancy.objects.filter(school=school).order_by().values("pk")
    shared = VacancySchool.objects.filter(school=school).order_by().values("vacancy_id")
    return own.union(shared)


def _school_vacancies(school: Any) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(pk__in=school_vacancy_ids(school))


def vacancy_list_for_school(*, user: Any) -> QuerySet[Vacancy]:
    """Return the vacancies of the user's school and the cluster vacancies naming it."""
    school = school_for_user(user)
    if school is None:
        return Vacancy.objects.none()
    return _with_details(_school_vacancies(school)).order_by("-created_at", "-id")


def vacancy_owned_by(*, user: Any, vacancy: Vacancy) -> bool:
    """Access rule: only staff of the vacancy's own (lead) school act on it and its applicants;
    the member schools of a cluster vacancy read. `vacancy_get_for_school` filters the same way."""
    school = school_for_user(user)
    return school is not None and school.pk == vacancy.school_id


def vacancy_get_for_school(
    *, user: Any, code: Any, owner_only: bool = False, details: bool = True
) -> Vacancy:
    """Return one vacancy the user's school owns (or, read-only, is a cluster member of).

    ``details=False``: the vacancy row alone, for pages about its applicants or candidates.
    """
    school = school_for_user(user)
    if school is None:
        raise Http404
    # Read by its code, then checked: the own school's vacancy needs no more, a cluster
    # member's is found in the union the lists filter by (school_vacancy_ids).
    vacancies = _with_details(Vacancy.objects.all()) if details else Vacancy.objects.all()
    try:
        vacancy = vacancies.get(code=code)
    except Vacancy.DoesNotExist:
        raise Http404 from None
    if vacancy.school_id == school.pk:
        return vacancy
    if owner_only or not _school_vacancies(school).filter(pk=vacancy.pk).exists():
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


def vacancy_public_search_count(*, search: PublicVacancyFilter, version: int) -> int:
    """Count a public search's results; cached per query until a vacancy changes (≤ 10 min).

    Every anonymous visitor asks the same few searches; ``version`` is the search version
    (caching.search_cache_versions) the caller read for the rest of the page.
    """
    data = search.data if isinstance(search.data, QueryDict) else QueryDict()
    params = sorted(
        (name, value)
        for name, values in data.lists()
        if name not in UNCOUNTED_PARAMS
        for value in values
        if value
    )
    digest = hashlib.sha256(urlencode(params).encode()).hexdigest()
    key = f"vacancies:search-count:{version}:{digest}"
    count = cache.get(key)
    if count is None:
        count = search.qs.count()
        # School names are searched too and change elsewhere: the timeout bounds that case.
        cache.set(key, count, SEARCH_COUNT_SECONDS)
    return count


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
    vacancies = Vacancy.objects.filter(bureau_jurisdiction_q(user))
    # The id breaks ties (vacancies written together), so pages neither repeat nor skip rows.
    return _with_details(vacancies).order_by("-created_at", "-id")


def vacancy_filter_for_bureau(*, user: Any, data: Any):
    """Return the bureau's vacancies filtered and sorted as asked (a FilterSet)."""
    from .filters import BureauVacancyFilter

    # The list shows no subjects, levels, cluster or its schools (the CSV does) and none of the
    # long texts: no prefetches, two joins.
    vacancies = (
        vacancy_list_for_bureau(user=user)
        .prefetch_related(None)
        .select_related(None)
        .select_related("school", "school__district")
        .defer("description", "description_en", "description_zh_hans", "benefits", "return_reason")
    )
    return BureauVacancyFilter(data, queryset=vacancies)


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
    """Evaluate the admission standard (passport valid past the start), the teacher's
    availability for hiring (their commitment to this very vacancy aside) and the pair rules."""
    admission = evaluate_admission(
        [teacher], on=on, passport_valid_until=vacancy.contract_start, vacancy_id=vacancy.pk
    )[teacher.pk]
    failures = admission.failed + ([] if admission.available else [admission.availability])
    return Qualification(
        admission_failures=failures,
        pair_failures=pair_failures(
            _teacher_facts(teacher),
            post_pair_facts(vacancy),
            start_tolerance_days=policy_settings_get().start_tolerance_days,
        ),
    )


def vacancies_qualifying(
    *, teacher: Teacher, vacancies: QuerySet[Vacancy], on: date
) -> QuerySet[Vacancy]:
    """Narrow vacancies to those the teacher qualifies for now (none while not admitted, or
    while employed or holding an accepted offer)."""
    if not evaluate_admission([teacher], on=on)[teacher.pk].may_be_hired:
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
    tolerance = policy_settings_get().start_tolerance_days
    qualifying = [
        vacancy.pk
        for vacancy in candidates.order_by()
        if not pair_failures(facts, post_pair_facts(vacancy), start_tolerance_days=tolerance)
    ]
    return vacancies.filter(pk__in=qualifying)
