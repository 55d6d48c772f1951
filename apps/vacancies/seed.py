"""Demo vacancies in every state across districts and levels, with cluster vacancies.

Codes are drawn from the seeded random generator, so the code is the natural key and a second
run updates rows in place. Open posts: 300 at small scale, 10,000 at city scale (DESIGN).
"""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apps.core.bulk import bulk_upsert
from apps.core.models import Subject
from apps.core.seeding import SeedContext
from apps.schools.models import GroupKind, School, SchoolGroup, SchoolMembership, VerificationStatus

from .models import (
    ALL_CATEGORIES_MASK,
    HiringChannel,
    Housing,
    Vacancy,
    VacancySchool,
    VacancyStatus,
    categories_to_mask,
)

SEEDED_AT = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _past_stamps(code: uuid.UUID) -> dict:
    """Spread a closed vacancy's life over the last ~2.5 years (statistics need history).

    Derived from the code, not drawn from the generator, so every later draw stays the same.
    """
    published = SEEDED_AT - timedelta(days=30 + code.int % 900)
    closed = min(published + timedelta(days=3 + (code.int >> 16) % 90), SEEDED_AT)
    created = published - timedelta(days=2)
    return {
        "created_at": created,
        "submitted_at": created,
        "published_at": published,
        "closed_at": closed,
    }


SUBJECT_WEIGHTS = {
    "oral_english": 40,
    "english": 25,
    "science": 6,
    "mathematics": 4,
    "japanese": 4,
    "french": 3,
    "german": 3,
    "spanish": 3,
    "korean": 2,
    "russian": 1,
    "art": 2,
    "music": 2,
    "physical_education": 1,
    "ib": 2,
    "ap": 1,
    "a_level": 1,
}
OTHER_STATES = [
    VacancyStatus.DRAFT,
    VacancyStatus.SUBMITTED,
    VacancyStatus.FILLED,
    VacancyStatus.CLOSED,
    VacancyStatus.EXPIRED,
]
TITLES = {
    "oral_english": ("Oral English teacher", "英语口语外教"),
    "english": ("English teacher", "英语外教"),
}


def _title(subject: Subject) -> tuple[str, str]:
    return TITLES.get(subject.code, (f"{subject.name_en} teacher", f"{subject.name_zh_hans}外教"))


def seed(context: SeedContext) -> None:
    rng = context.rng
    schools = list(
        School.objects.filter(verification_status=VerificationStatus.VERIFIED)
        .select_related("school_type")
        .prefetch_related("school_type__levels")
        .order_by("licence_number")
    )
    if not schools:
        return
    subjects = {s.code: s for s in Subject.objects.all()}
    codes, weights = zip(*SUBJECT_WEIGHTS.items(), strict=True)
    open_target = context.sized(small=300, city=10_000)
    rows, links, levels, shares = [], [], [], []

    def add(school, *, status, posts, cluster=None, subject=None):
        subject = subject or subjects[rng.choices(codes, weights)[0]]
        school_levels = list(school.school_type.levels.all())
        start = date(2027, rng.choice([2, 3, 9]), rng.choice([1, 20]))
        if status == VacancyStatus.EXPIRED:
            start = date(2026, 9, 1)
        salary_min = rng.randrange(9000, 22000, 500)
        title_en, title_zh = _title(subject)
        code = uuid.UUID(int=rng.getrandbits(128), version=4)
        rows.append(
            {
                "code": code,
                "school_id": school.pk,
                "cluster_id": cluster.pk if cluster else None,
                "title": title_en,
                "title_en": title_en,
                "title_zh_hans": title_zh,
                "grades": "",
                "weekly_hours": rng.choice([12, 14, 16, 18, 20]),
                "posts": posts,
                "contract_start": start,
                "contract_end": start + timedelta(days=rng.choice([330, 365])),
                "salary_min": salary_min,
                "salary_max": salary_min + rng.randrange(2000, 8000, 500),
                "housing": rng.choice(list(Housing.values)),
                "benefits": "",
                "min_degree": 2,
                "min_experience_years": rng.choice([0, 1, 2, 2, 3]),
                "certificate_required": rng.random() < 0.3,
                "min_chinese_level": "none",
                "accepted_categories": rng.choice(
                    [ALL_CATEGORIES_MASK, categories_to_mask([1, 2, 3]), categories_to_mask([1, 2])]
                ),
                "hiring_channel": rng.choice(list(HiringChannel.values)),
                "description": f"{title_en} at {school.name_en}.",
                "description_en": f"{title_en} at {school.name_en}.",
                "description_zh_hans": "",
                "status": status,
                "return_reason": "",
                "filled_posts": posts if status == VacancyStatus.FILLED else 0,
                "created_by_id": None,
                "created_at": SEEDED_AT,
                "updated_at": SEEDED_AT,
                "submitted_at": None if status == VacancyStatus.DRAFT else SEEDED_AT,
                "published_at": SEEDED_AT
                if status in {VacancyStatus.PUBLISHED, VacancyStatus.FILLED, VacancyStatus.EXPIRED}
                else None,
                "closed_at": SEEDED_AT
                if status in {VacancyStatus.CLOSED, VacancyStatus.FILLED, VacancyStatus.EXPIRED}
                else None,
            }
        )
        if status in {VacancyStatus.CLOSED, VacancyStatus.FILLED, VacancyStatus.EXPIRED}:
            rows[-1].update(_past_stamps(code))
        links.append((code, subject.pk))
        levels.append((code, [level.pk for level in school_levels]))
        return code, rows[-1]["weekly_hours"]

    clusters = list(
        SchoolGroup.objects.filter(kind=GroupKind.CLUSTER)
        .select_related("lead_school__school_type")
        .prefetch_related("members__school", "lead_school__school_type__levels")
        .order_by("name")
    )
    demo_lead = (
        SchoolMembership.objects.filter(user__email="school.lead@demo.hz-waijiao.cn")
        .values_list("school_id", flat=True)
        .first()
    )
    # The demo lead school's cluster comes first so its login always shows a cluster vacancy.
    clusters.sort(key=lambda cluster: cluster.lead_school_id != demo_lead)
    for index, cluster in enumerate(clusters[: max(3, len(clusters) // 3)]):
        status = VacancyStatus.PUBLISHED if index % 4 else VacancyStatus.SUBMITTED
        if cluster.lead_school_id == demo_lead:
            status = VacancyStatus.PUBLISHED
        code, hours = add(
            cluster.lead_school,
            status=status,
            posts=1,
            cluster=cluster,
            subject=subjects["oral_english"],
        )
        members = [m.school for m in cluster.members.all()][:2]
        split = [hours - 4 * len(members)] + [4] * len(members)
        shares.extend(
            (code, school.pk, part)
            for school, part in zip([cluster.lead_school, *members], split, strict=True)
        )

    open_posts = 0
    while open_posts < open_target:
        posts = rng.choices([1, 2, 3], [80, 15, 5])[0]
        add(rng.choice(schools), status=VacancyStatus.PUBLISHED, posts=posts)
        open_posts += posts
    for _ in range(open_target // 3):
        add(rng.choice(schools), status=rng.choice(OTHER_STATES), posts=1)

    bulk_upsert(
        Vacancy,
        rows,
        unique_fields=["code"],
        update_fields=[name for name in rows[0] if name not in {"code", "created_at"}],
    )
    ids = dict(Vacancy.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", "id"))
    bulk_upsert(
        Vacancy.subjects.through,
        ({"vacancy_id": ids[code], "subject_id": subject} for code, subject in links),
        unique_fields=["vacancy_id", "subject_id"],
        update_fields=[],
    )
    bulk_upsert(
        Vacancy.levels.through,
        (
            {"vacancy_id": ids[code], "teachinglevel_id": level}
            for code, level_ids in levels
            for level in level_ids
        ),
        unique_fields=["vacancy_id", "teachinglevel_id"],
        update_fields=[],
    )
    bulk_upsert(
        VacancySchool,
        (
            {"vacancy_id": ids[code], "school_id": school, "weekly_hours": hours}
            for code, school, hours in shares
        ),
        unique_fields=["vacancy_id", "school_id"],
        update_fields=["weekly_hours"],
    )
