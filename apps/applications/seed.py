"""Demo applications along the whole pipeline, with their events and offers.

Codes come from the seeded random generator; a second run finds the first code and stops, so
running `seed_demo` twice changes nothing.
"""

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apps.core.bulk import bulk_insert
from apps.core.seeding import SeedContext
from apps.teachers.models import Teacher, TeacherStatus
from apps.vacancies.models import Vacancy, VacancyStatus

from .models import Application, ApplicationEvent, ApplicationStatus, Offer, OfferStatus

S = ApplicationStatus
SEEDED_AT = datetime(2026, 11, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PATHS = {
    S.SUBMITTED: [S.SUBMITTED],
    S.SHORTLISTED: [S.SUBMITTED, S.SHORTLISTED],
    S.INTERVIEW: [S.SUBMITTED, S.SHORTLISTED, S.INTERVIEW],
    S.OFFERED: [S.SUBMITTED, S.SHORTLISTED, S.INTERVIEW, S.OFFERED],
    S.ACCEPTED: [S.SUBMITTED, S.SHORTLISTED, S.OFFERED, S.ACCEPTED],
    S.REJECTED: [S.SUBMITTED, S.REJECTED],
    S.DECLINED: [S.SUBMITTED, S.SHORTLISTED, S.OFFERED, S.DECLINED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
}
WEIGHTS = {
    S.SUBMITTED: 35,
    S.SHORTLISTED: 15,
    S.INTERVIEW: 8,
    S.OFFERED: 6,
    S.ACCEPTED: 3,
    S.REJECTED: 18,
    S.DECLINED: 5,
    S.WITHDRAWN: 10,
}
OFFER_STATUS = {
    S.OFFERED: OfferStatus.OPEN,
    S.ACCEPTED: OfferStatus.ACCEPTED,
    S.DECLINED: OfferStatus.DECLINED,
    S.HIRED: OfferStatus.ACCEPTED,
}


def code_from(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def application_rows(application: dict, path: list[str], vacancy: dict) -> tuple[list, dict | None]:
    """Return the event rows along `path` and the offer row (if the path reaches an offer)."""
    start = application["created_at"]
    events = [
        {
            "application_id": application["id"],
            "actor_id": None,
            "from_status": path[index - 1] if index else "",
            "to_status": status,
            "note": "",
            "created_at": start + timedelta(days=2 * index),
        }
        for index, status in enumerate(path)
    ]
    offer = None
    if application["status"] in OFFER_STATUS:
        offer = {
            "code": uuid.uuid5(application["code"], "offer"),
            "application_id": application["id"],
            "salary": vacancy["salary_max"],
            "contract_start": vacancy["contract_start"],
            "contract_end": vacancy["contract_end"],
            "weekly_hours": vacancy["weekly_hours"],
            "housing": vacancy["housing"],
            "benefits": "",
            "reply_by": (start + timedelta(days=30)).date(),
            "status": OFFER_STATUS[application["status"]],
            "created_by_id": None,
            "created_at": start + timedelta(days=2 * (len(path) - 1)),
            "replied_at": None,
        }
    return events, offer


def application_row(rng, *, vacancy: dict, teacher_id: int, status: str, when) -> dict:
    path = PATHS.get(status, [*PATHS[S.ACCEPTED], S.HIRED])
    return {
        "code": code_from(rng),
        "vacancy_id": vacancy["id"],
        "teacher_id": teacher_id,
        "status": status,
        "cover_letter": "I would love to teach at your school.",
        "teacher_rank": None,
        "school_rank": None,
        "rejection_reason": "other_candidate" if status == S.REJECTED else "",
        "rejection_note": "",
        "created_at": when,
        "status_changed_at": when + timedelta(days=2 * (len(path) - 1)),
        "school_nudged_at": None,
        "center_nudged_at": None,
    }


def insert_applications(rows: list[dict], vacancies: dict[int, dict]) -> None:
    """Insert applications with their events and offers (ids looked up by code)."""
    bulk_insert(Application, rows)
    ids = dict(
        Application.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", "id")
    )
    events, offers = [], []
    for row in rows:
        row["id"] = ids[row["code"]]
        path = PATHS.get(row["status"], [*PATHS[S.ACCEPTED], S.HIRED])
        more, offer = application_rows(row, path, vacancies[row["vacancy_id"]])
        events.extend(more)
        if offer:
            offers.append(offer)
    bulk_insert(ApplicationEvent, events)
    if offers:
        bulk_insert(Offer, offers)


def _vacancy_facts(vacancy_ids: list[int]) -> dict[int, tuple[set, set, int]]:
    """Return each vacancy's (subjects, levels, accepted-category mask)."""
    subjects, levels = defaultdict(set), defaultdict(set)
    for vacancy_id, subject_id in Vacancy.subjects.through.objects.filter(
        vacancy_id__in=vacancy_ids
    ).values_list("vacancy_id", "subject_id"):
        subjects[vacancy_id].add(subject_id)
    for vacancy_id, level_id in Vacancy.levels.through.objects.filter(
        vacancy_id__in=vacancy_ids
    ).values_list("vacancy_id", "teachinglevel_id"):
        levels[vacancy_id].add(level_id)
    categories = dict(
        Vacancy.objects.filter(pk__in=vacancy_ids).values_list("pk", "accepted_categories")
    )
    return {pk: (subjects[pk], levels[pk], categories[pk]) for pk in vacancy_ids}


def _vacancies_by_fit(vacancy_ids: list[int]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Group vacancies by (subject, level), with their accepted-category masks."""
    fits = defaultdict(list)
    for vacancy_id, (subjects, levels, categories) in _vacancy_facts(vacancy_ids).items():
        for subject_id in sorted(subjects):
            for level_id in sorted(levels):
                fits[subject_id, level_id].append((vacancy_id, categories))
    return fits


def _fits(profile, vacancy_id: int, facts) -> bool:
    if profile is None:
        return False
    subjects, levels, category = profile
    v_subjects, v_levels, accepted = facts[vacancy_id]
    return bool(
        set(subjects) & v_subjects and set(levels) & v_levels and accepted >> (category - 1) & 1
    )


def _teacher_profiles(teacher_ids: list[int]) -> dict[int, tuple[list, list, int]]:
    """Return each teacher's (subjects, levels, category) in a stable order."""
    subjects, levels = defaultdict(list), defaultdict(list)
    for teacher_id, subject_id in (
        Teacher.subjects.through.objects.filter(teacher_id__in=teacher_ids)
        .order_by("teacher_id", "subject_id")
        .values_list("teacher_id", "subject_id")
    ):
        subjects[teacher_id].append(subject_id)
    for teacher_id, level_id in (
        Teacher.levels.through.objects.filter(teacher_id__in=teacher_ids)
        .order_by("teacher_id", "teachinglevel_id")
        .values_list("teacher_id", "teachinglevel_id")
    ):
        levels[teacher_id].append(level_id)
    categories = dict(Teacher.objects.filter(pk__in=teacher_ids).values_list("pk", "category"))
    return {
        pk: (subjects[pk], levels[pk], categories[pk])
        for pk in teacher_ids
        if subjects[pk] and levels[pk] and categories[pk]
    }


def _fitting_vacancy(rng, fits, profile, tries: int = 4) -> int | None:
    """Pick a vacancy that shares a subject and a level with the teacher and takes their
    category (as applying requires), or None after a few tries."""
    if profile is None:
        return None
    subjects, levels, category = profile
    for _ in range(tries):
        bucket = fits.get((rng.choice(subjects), rng.choice(levels)))
        if not bucket:
            continue
        vacancy_id, accepted = rng.choice(bucket)
        if accepted >> (category - 1) & 1:
            return vacancy_id
    return None


def seed(context: SeedContext) -> None:
    # An own generator: earlier seeds may skip work on a second run and draw fewer numbers.
    rng = random.Random(context.seed + 6001)  # noqa: S311 - demo data
    vacancies = {
        v["id"]: v
        for v in Vacancy.objects.filter(status=VacancyStatus.PUBLISHED)
        .order_by("code")
        .values(
            "id",
            "school_id",
            "salary_max",
            "contract_start",
            "contract_end",
            "weekly_hours",
            "housing",
        )
    }
    teachers = list(
        Teacher.objects.filter(status=TeacherStatus.VERIFIED)
        .order_by("code")
        .values_list("id", flat=True)
    )
    if not vacancies or not teachers:
        return
    first = code_from(rng)
    if Application.objects.filter(code=first).exists():
        return  # already seeded with this seed number
    vacancy_ids = list(vacancies)
    statuses, weights = zip(*WEIGHTS.items(), strict=True)
    rows, pairs, accepted = [], set(), set()
    # The demo teachers get applications at the demo lead school first.
    demo = list(
        Teacher.objects.filter(
            status=TeacherStatus.VERIFIED,
            user__email__startswith="teacher.",
            user__email__endswith="demo.hz-waijiao.cn",
        )
        .order_by("user__email")
        .values_list("id", flat=True)
    )
    lead_vacancies = list(
        Vacancy.objects.filter(
            status=VacancyStatus.PUBLISHED,
            school__memberships__user__email="school.lead@demo.hz-waijiao.cn",
        )
        .order_by("code")
        .values_list("id", flat=True)
    )
    lead_facts = _vacancy_facts(lead_vacancies)
    profiles = _teacher_profiles([*demo, *teachers])
    for teacher_id in demo:
        fitting = [v for v in lead_vacancies if _fits(profiles.get(teacher_id), v, lead_facts)]
        for vacancy_id, status in zip(fitting, [S.SHORTLISTED, S.SUBMITTED], strict=False):
            pairs.add((vacancy_id, teacher_id))
            rows.append(
                application_row(
                    rng,
                    vacancy=vacancies[vacancy_id],
                    teacher_id=teacher_id,
                    status=status,
                    when=SEEDED_AT,
                )
            )
    fits = _vacancies_by_fit(vacancy_ids)
    for _ in range(context.sized(small=800, city=20_000)):
        teacher_id = rng.choice(teachers)
        vacancy_id = _fitting_vacancy(rng, fits, profiles.get(teacher_id))
        if vacancy_id is None or (vacancy_id, teacher_id) in pairs:
            continue
        status = rng.choices(statuses, weights)[0]
        if status == S.ACCEPTED:
            if teacher_id in accepted:
                status = S.OFFERED
            accepted.add(teacher_id)
        pairs.add((vacancy_id, teacher_id))
        when = SEEDED_AT - timedelta(days=rng.randrange(0, 40), hours=rng.randrange(0, 9))
        row = application_row(
            rng, vacancy=vacancies[vacancy_id], teacher_id=teacher_id, status=status, when=when
        )
        # Some preferences are explicit, for the center's stable round; the rest fall back to
        # the matching score.
        if status in (S.SUBMITTED, S.SHORTLISTED, S.INTERVIEW) and rng.random() < 0.4:
            row["teacher_rank"] = rng.randint(1, 3)
        if status in (S.SHORTLISTED, S.INTERVIEW) and rng.random() < 0.5:
            row["school_rank"] = rng.randint(1, 5)
        rows.append(row)
    if rows:
        rows[0]["code"] = first  # the marker a second run looks for
        insert_applications(rows, vacancies)
