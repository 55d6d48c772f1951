"""A few black-list entries (teachers and one school), current and ended; idempotent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apps.accounts.models import User
from apps.core.seeding import SeedContext
from apps.teachers.models import Teacher
from apps.teachers.seed import teacher_code

from .models import BlackListEntry

SEEDED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
REASONS = [
    "Worked for a training agency without a work permit (illegal employment).",
    "Forged degree certificate found during verification.",
    "Left the school mid-contract without notice, repeatedly.",
    "Serious misconduct confirmed by the school and the district bureau.",
]


def seed(context: SeedContext) -> None:
    count = context.sized(small=6, city=40)
    total = context.sized(small=500, city=10_000)
    step = max(total // count, 1)
    indexes = [7 + k * step for k in range(count) if 7 + k * step < total]
    teachers = dict(
        Teacher.objects.filter(code__in=[teacher_code(i) for i in indexes]).values_list(
            "code", "id"
        )
    )
    listed = set(
        BlackListEntry.objects.filter(teacher_id__in=teachers.values()).values_list(
            "teacher_id", flat=True
        )
    )
    center = User.objects.filter(email="center@demo.hz-waijiao.cn").first()
    day = SEEDED_AT.date()
    for k, index in enumerate(indexes):
        teacher_id = teachers.get(teacher_code(index))
        if teacher_id is None or teacher_id in listed:
            continue
        started = day - timedelta(days=30 * (k + 1))
        # Every third entry has already ended: history the credit issue's appeals can build on.
        ended = started + timedelta(days=60) if k % 3 == 2 else None
        BlackListEntry.objects.create(
            teacher_id=teacher_id,
            reason=REASONS[k % len(REASONS)],
            starts_on=started,
            ends_on=ended,
            created_by=center,
        )
    _seed_school_entry(center, day)


def _seed_school_entry(center, day) -> None:
    from apps.schools.models import School

    school = School.objects.order_by("-licence_number").first()
    if school is None or BlackListEntry.objects.filter(school=school).exists():
        return
    BlackListEntry.objects.create(
        school=school,
        reason="Hired foreign teachers without work permits (illegal employment).",
        starts_on=day - timedelta(days=45),
        created_by=center,
    )
