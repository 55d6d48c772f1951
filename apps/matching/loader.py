"""Read teachers and vacancy posts from the database and encode them for the matching engine.

A fixed number of queries whatever the data size: one per table, never one per teacher or post.
Teachers enter only when verified, opted in to suggestions, passing the admission standard, not
black-listed and available for hiring (no active employment or accepted offer); the engine's own
hard-rule flags are set from the same facts as a safeguard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from apps.admission.pairs import native_language_ids
from apps.admission.selectors import AdmissionResult, evaluate_admission
from apps.core.models import District, Language, Subject, TeachingLevel
from apps.core.selectors import policy_settings_get
from apps.credit.selectors import teacher_matching_credit
from apps.teachers.experience import experience_years
from apps.teachers.models import Experience, Teacher, TeacherStatus, TeachingCertificate
from apps.vacancies.models import Vacancy, VacancySchool, VacancyStatus

from .engine import UNSET, Catalog, Posts, Teachers, encode_posts, encode_teachers
from .engine.encoding import NO_LANGUAGE


@dataclass(frozen=True, eq=False)
class Bits:
    """Reference rows → bit positions, in a stable order (by id)."""

    subjects: dict[int, int]
    levels: dict[int, int]
    districts: dict[int, int]
    languages: dict[int, int]
    catalog: Catalog
    all_languages: list[Language]


@dataclass(frozen=True, eq=False)
class MatchingData:
    """Encoded engine input plus the database ids of each row."""

    teachers: Teachers
    posts: Posts
    teacher_ids: np.ndarray  # int64 Teacher.pk per engine teacher row
    vacancy_ids: np.ndarray  # int64 Vacancy.pk per engine post row
    post_district_ids: list[list[int]]  # districts of each post's school(s)
    on: date


def _mask(ids, bits: dict[int, int]) -> int:
    return sum(1 << bits[i] for i in set(ids) if i in bits)


def load_bits() -> Bits:
    """Number subjects, levels, districts and languages by id (four queries)."""
    languages = list(Language.objects.order_by("pk"))
    language_bits = {lang.pk: n for n, lang in enumerate(languages)}
    subjects = list(Subject.objects.order_by("pk").values_list("pk", "language_id"))
    subject_bits = {pk: n for n, (pk, _lang) in enumerate(subjects)}
    catalog = Catalog(
        np.array(
            [
                language_bits.get(lang, NO_LANGUAGE) if lang else NO_LANGUAGE
                for _pk, lang in subjects
            ],
            dtype=np.int8,
        )
    )
    levels = TeachingLevel.objects.order_by("pk").values_list("pk", flat=True)
    districts = District.objects.order_by("pk").values_list("pk", flat=True)
    return Bits(
        subjects=subject_bits,
        levels={pk: n for n, pk in enumerate(levels)},
        districts={pk: n for n, pk in enumerate(districts)},
        languages=language_bits,
        catalog=catalog,
        all_languages=languages,
    )


def _engine_degree(level: int | None) -> int:
    # Engine degrees: 0 none, 1 bachelor, 2 master, 3 doctorate; an associate degree counts as none.
    return max(0, (level or 0) - 1)


def _hsk(level: str) -> int:
    return int(level[3:]) if level and level.startswith("hsk") else 0


def _through_map(model, owner: str, other: str, owners) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    rows = model.through.objects.filter(**{f"{owner}__in": owners}).values_list(
        f"{owner}_id", f"{other}_id"
    )
    for owner_id, other_id in rows:
        out[owner_id].append(other_id)
    return out


def teacher_candidates(*, district: District | None = None, only: Q | None = None):
    """Return the queryset of teachers a run considers before the admission standard."""
    teachers = Teacher.objects.filter(status=TeacherStatus.VERIFIED, open_to_suggestions=True)
    if only is not None:
        teachers = teachers.filter(only)
    if district is not None:
        through = Teacher.preferred_districts.through.objects.filter(teacher=OuterRef("pk"))
        teachers = teachers.filter(
            Q(Exists(through.filter(district=district))) | ~Q(Exists(through))
        )
    return teachers


def _admitted(ids: list[int], *, on: date) -> set[int]:
    # The admission standard includes the black-list rule, and its result carries the
    # teacher's availability for hiring: a hired teacher is never matched elsewhere.
    admission = evaluate_admission(ids, on=on)
    return {pk for pk in ids if pk in admission and admission[pk].may_be_hired}


def admission_block(result: AdmissionResult) -> str | None:
    """Return why an admission result keeps a teacher out of matching (a code), else None."""
    if "blacklisted" in result.failed_codes:
        return "blacklisted"
    if not result.available:
        return result.availability.code  # employed, offer_accepted
    if not result.eligible:
        return "admission"
    return None


def unsuggestible_reasons(
    ids: Iterable[int],
    *,
    on: date | None = None,
    admission: Mapping[int, AdmissionResult] | None = None,
    teachers: Iterable[Teacher] | None = None,
) -> dict[int, str]:
    """Return why each of these teachers may not be suggested today; those who may are absent.

    Codes, in the order a teacher would fix them: unverified, opted_out, no_category,
    blacklisted, employed, offer_accepted, admission (another admission rule failing).
    The same test a run applies when it loads teachers, in a fixed number of queries.
    ``admission``: results the caller already evaluated on the same day (a dashboard);
    ``teachers``: these teachers' rows when the caller loaded them in this request.
    """
    on = on or timezone.localdate()
    ids = set(ids)
    reasons = dict.fromkeys(ids, "unverified")  # a teacher who no longer exists counts so too
    candidates = []
    if teachers is not None:
        rows = [
            (t.pk, t.status, t.open_to_suggestions, t.category) for t in teachers if t.pk in ids
        ]
    else:
        rows = Teacher.objects.filter(pk__in=ids).values_list(
            "pk", "status", "open_to_suggestions", "category"
        )
    for pk, status, opted_in, category in rows:
        if status != TeacherStatus.VERIFIED:
            continue
        if not opted_in:
            reasons[pk] = "opted_out"
        elif category is None:
            reasons[pk] = "no_category"
        else:
            candidates.append(pk)
    if admission is None or not admission.keys() >= set(candidates):
        admission = evaluate_admission(candidates, on=on)
    for pk in candidates:
        block = admission_block(admission[pk]) if pk in admission else "unverified"
        if block is None:
            del reasons[pk]
        else:
            reasons[pk] = block
    return reasons


def suggestible_teacher_ids(
    ids: Iterable[int],
    *,
    on: date | None = None,
    admission: Mapping[int, AdmissionResult] | None = None,
    teachers: Iterable[Teacher] | None = None,
) -> set[int]:
    """Return those teachers who may appear in a run, a suggestion or a page on that day.

    Verified, opted in to suggestions, with a category, passing the admission standard, not
    black-listed and available for hiring: the same test a run applies when it loads teachers.
    """
    ids = set(ids)
    return ids - set(unsuggestible_reasons(ids, on=on, admission=admission, teachers=teachers))


def load_teachers(bits: Bits, *, on: date, district: District | None = None, only: Q | None = None):
    """Return (Teachers, teacher ids): eligible, opted-in, not black-listed teachers."""
    candidates = teacher_candidates(district=district, only=only)
    rows = list(
        candidates.order_by("pk").values(
            "pk",
            "nationality",
            "category",
            "degree_level",
            "china_degree_level",
            "earliest_start",
            "salary_min",
            "chinese_level",
        )
    )
    admitted = _admitted([row["pk"] for row in rows if row["category"]], on=on)
    rows = [row for row in rows if row["pk"] in admitted]
    kept = [row["pk"] for row in rows]
    subjects = _through_map(Teacher.subjects, "teacher", "subject", kept)
    levels = _through_map(Teacher.levels, "teacher", "teachinglevel", kept)
    districts = _through_map(Teacher.preferred_districts, "teacher", "district", kept)
    periods: dict[int, list] = defaultdict(list)
    for teacher_id, start, end in Experience.objects.filter(teacher__in=kept).values_list(
        "teacher_id", "started_on", "ended_on"
    ):
        periods[teacher_id].append((start, end))
    certified = set(
        TeachingCertificate.objects.filter(teacher__in=kept).values_list("teacher_id", flat=True)
    )
    native_cache: dict[str, int] = {}

    def native(nationality: str) -> int:
        if nationality not in native_cache:
            found = native_language_ids(nationality, bits.all_languages)
            native_cache[nationality] = _mask(found, bits.languages)
        return native_cache[nationality]

    today = on.toordinal()
    # The engine's credit slots, fed from credit's selectors (stars, commendations, evaluations).
    credit = teacher_matching_credit(kept, on=on)
    teachers = encode_teachers(
        bits.catalog,
        subjects=[_mask(subjects[r["pk"]], bits.subjects) for r in rows],
        levels=[_mask(levels[r["pk"]], bits.levels) for r in rows],
        districts=[_mask(districts[r["pk"]], bits.districts) for r in rows],
        category=[r["category"] for r in rows],
        earliest_start=[
            r["earliest_start"].toordinal() if r["earliest_start"] else today for r in rows
        ],
        salary_expectation=[r["salary_min"] if r["salary_min"] else UNSET for r in rows],
        experience_years=[int(experience_years(periods[r["pk"]], on=on)) for r in rows],
        degree=[
            _engine_degree(max(r["degree_level"] or 0, r["china_degree_level"] or 0)) for r in rows
        ],
        has_certificate=[r["pk"] in certified for r in rows],
        chinese_level=[_hsk(r["chinese_level"]) for r in rows],
        native_languages=[native(str(r["nationality"] or "")) for r in rows],
        eligible=np.ones(len(rows), dtype=bool),
        blacklisted=np.zeros(len(rows), dtype=bool),
        opted_in=np.ones(len(rows), dtype=bool),
        star_level=[credit.star_level.get(r["pk"], 0) for r in rows],
        red_list=[r["pk"] in credit.red_list for r in rows],
        evaluation=[credit.evaluation.get(r["pk"], np.nan) for r in rows],
    )
    return teachers, np.array([r["pk"] for r in rows], dtype=np.int64)


def vacancy_candidates(*, district: District | None = None, only: Q | None = None):
    """Return the published vacancies with open posts a run considers (one scope)."""
    vacancies = Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, filled_posts__lt=F("posts"))
    if only is not None:
        vacancies = vacancies.filter(only)
    if district is not None:
        in_cluster = VacancySchool.objects.filter(vacancy=OuterRef("pk"), school__district=district)
        vacancies = vacancies.filter(Q(school__district=district) | Q(Exists(in_cluster)))
    return vacancies


def load_posts(bits: Bits, *, district: District | None = None, only: Q | None = None):
    """Return (Posts, vacancy ids, district ids per post): one post row per vacancy."""
    candidates = vacancy_candidates(district=district, only=only)
    rows = list(
        candidates.order_by("pk").values(
            "pk",
            "school__district_id",
            "cluster_id",
            "posts",
            "filled_posts",
            "contract_start",
            "salary_min",
            "salary_max",
            "min_experience_years",
            "min_degree",
            "min_chinese_level",
            "accepted_categories",
        )
    )
    kept = candidates.values("pk")
    subjects = _through_map(Vacancy.subjects, "vacancy", "subject", kept)
    levels = _through_map(Vacancy.levels, "vacancy", "teachinglevel", kept)
    post_districts: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        post_districts[row["pk"]].append(row["school__district_id"])
    for vacancy_id, district_id in VacancySchool.objects.filter(vacancy__in=kept).values_list(
        "vacancy_id", "school__district_id"
    ):
        if district_id not in post_districts[vacancy_id]:
            post_districts[vacancy_id].append(district_id)
    posts = encode_posts(
        subjects=[_mask(subjects[r["pk"]], bits.subjects) for r in rows],
        levels=[_mask(levels[r["pk"]], bits.levels) for r in rows],
        districts=[_mask(post_districts[r["pk"]], bits.districts) for r in rows],
        accepted_categories=[r["accepted_categories"] & 0xFF for r in rows],
        contract_start=[r["contract_start"].toordinal() for r in rows],
        salary_min=[r["salary_min"] for r in rows],
        salary_max=[r["salary_max"] for r in rows],
        min_experience=[r["min_experience_years"] for r in rows],
        min_degree=[_engine_degree(r["min_degree"]) for r in rows],
        min_chinese=[_hsk(r["min_chinese_level"]) or UNSET for r in rows],
        capacity=[1 if r["cluster_id"] else r["posts"] - r["filled_posts"] for r in rows],
    )
    ids = np.array([r["pk"] for r in rows], dtype=np.int64)
    return posts, ids, [post_districts[r["pk"]] for r in rows]


def load_matching_data(
    *,
    district: District | None = None,
    on: date | None = None,
    teachers: Q | None = None,
    vacancies: Q | None = None,
) -> MatchingData:
    """Load and encode one scope (the city, or one district) for the engine.

    ``teachers`` / ``vacancies`` narrow either side further (an incremental or stable run);
    the hard rules still apply to whatever they let through.
    """
    on = on or timezone.localdate()
    bits = load_bits()
    encoded_teachers, teacher_ids = load_teachers(bits, on=on, district=district, only=teachers)
    posts, vacancy_ids, post_districts = load_posts(bits, district=district, only=vacancies)
    return MatchingData(encoded_teachers, posts, teacher_ids, vacancy_ids, post_districts, on)


def teachers_for_vacancy(vacancy: Vacancy) -> Q:
    """Narrow teachers in SQL by the vacancy's hard rules on subject, level, category and start.

    Only a pre-filter for speed: the engine applies every rule again to whoever passes.
    """
    subjects = Teacher.subjects.through.objects.filter(
        teacher=OuterRef("pk"), subject__in=vacancy.subjects.values("pk")
    )
    levels = Teacher.levels.through.objects.filter(
        teacher=OuterRef("pk"), teachinglevel__in=vacancy.levels.values("pk")
    )
    categories = [n for n in range(1, 9) if vacancy.accepted_categories >> (n - 1) & 1]
    tolerance = policy_settings_get().start_tolerance_days
    latest_start = vacancy.contract_start + timedelta(days=tolerance)
    # A teacher without an earliest start counts as available today (as the encoding does).
    available = Q(earliest_start__lte=latest_start)
    if timezone.localdate() <= latest_start:
        available |= Q(earliest_start__isnull=True)
    return Q(Exists(subjects), Exists(levels), available, category__in=categories)


def vacancies_sharing_subjects(teacher: Teacher) -> Q:
    """Narrow vacancies to those with one of the teacher's subjects (the subject rule)."""
    shared = Vacancy.subjects.through.objects.filter(
        vacancy=OuterRef("pk"), subject__in=teacher.subjects.values("pk")
    )
    return Q(Exists(shared))
