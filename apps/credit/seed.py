"""Credit records for the demo: restrictions of each severity, commendations, an objection
pending and a repaired record; idempotent (fixed codes). Star levels come from the evaluations
seed, which reports its scores to credit and calls star_levels_recompute_all()."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from apps.accounts.models import User
from apps.core.dates import add_working_days
from apps.core.seeding import SeedContext
from apps.teachers.models import Teacher
from apps.teachers.seed import teacher_code

from .models import (
    CreditRecord,
    Grounds,
    Objection,
    RecordKind,
    RecordStatus,
    RepairRequest,
    RepairStatus,
    Severity,
)
from .services import star_levels_recompute_all

SEEDED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NAMESPACE = uuid.UUID("6f1c2a8e-4b57-4d0e-9a43-2f0d5c1b7e90")
UNIT = "杭州市教育局 Hangzhou Municipal Education Bureau"
UNIT_CODE = "11330100002490371X"

# (kind, severity, grounds, facts, status, months ago it started, display months)
PLAN = [
    (
        RecordKind.NEGATIVE,
        Severity.SERIOUS,
        Grounds.FALSIFIED_DOCUMENTS,
        "Submitted a forged degree certificate; confirmed by the issuing university.",
        RecordStatus.ACTIVE,
        4,
        36,
    ),
    (
        RecordKind.NEGATIVE,
        Severity.GENERAL,
        Grounds.ILLEGAL_EMPLOYMENT,
        "Taught at a training agency without a work permit for two months.",
        RecordStatus.ACTIVE,
        5,
        12,
    ),
    (
        RecordKind.NEGATIVE,
        Severity.MINOR,
        Grounds.BREACH_OF_CONTRACT,
        "Reported a change of address 25 days late, after two reminders.",
        RecordStatus.ACTIVE,
        1,
        3,
    ),
    (
        RecordKind.NEGATIVE,
        Severity.GENERAL,
        Grounds.BREACH_OF_CONTRACT,
        "Left the school mid-contract without the agreed notice.",
        RecordStatus.OBJECTION,
        0,
        12,
    ),
    (
        RecordKind.NEGATIVE,
        Severity.GENERAL,
        Grounds.REPEATED_INCIDENTS,
        "Two serious incidents reported in quarterly evaluations in 2025.",
        RecordStatus.REPAIRED,
        8,
        12,
    ),
    (
        RecordKind.NEGATIVE,
        Severity.MINOR,
        Grounds.PROFESSIONAL_ETHICS,
        "Repeatedly late for lessons in spring term; warned in writing.",
        RecordStatus.EXPIRED,
        9,
        3,
    ),
    (
        RecordKind.COMMENDATION,
        "",
        Grounds.OUTSTANDING_TEACHING,
        "First prize in the city's open-lesson contest for foreign teachers.",
        RecordStatus.ACTIVE,
        2,
        36,
    ),
    (
        RecordKind.COMMENDATION,
        "",
        Grounds.AWARD,
        "West Lake Friendship Award nominee of the district.",
        RecordStatus.ACTIVE,
        6,
        36,
    ),
    (
        RecordKind.COMMENDATION,
        "",
        Grounds.OUTSTANDING_TEACHING,
        "Led the district's oral English teaching research group for two years.",
        RecordStatus.ACTIVE,
        3,
        36,
    ),
]


def _code(label: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, label)


def seed(context: SeedContext) -> None:
    total = context.sized(small=500, city=10_000)
    step = max(total // (len(PLAN) + 1), 1)
    indexes = [7 + k * step for k in range(len(PLAN))]
    teachers = dict(
        Teacher.objects.filter(code__in=[teacher_code(i) for i in indexes]).values_list(
            "code", "id"
        )
    )
    center = User.objects.filter(email="center@demo.hz-waijiao.cn").first()
    day = SEEDED_AT.date()
    for k, (kind, severity, grounds, facts, status, months_ago, months) in enumerate(PLAN):
        teacher_id = teachers.get(teacher_code(indexes[k]))
        code = _code(f"teacher-{k}")
        if teacher_id is None or CreditRecord.objects.filter(code=code).exists():
            continue
        starts = day - relativedelta(months=months_ago)
        record = _create(
            code,
            kind,
            severity,
            grounds,
            facts,
            status,
            starts,
            months,
            center,
            teacher_id=teacher_id,
        )
        if status == RecordStatus.OBJECTION:
            Objection.objects.create(
                record=record,
                statement="I gave notice in writing on time; the school's letter is attached.",
                answer_due=add_working_days(day, 5),
            )
        if status == RecordStatus.REPAIRED:
            RepairRequest.objects.create(
                record=record,
                commitment="I commit to report every incident at once and to follow the rules.",
                status=RepairStatus.GRANTED,
                decision_reason="Minimum period served; written commitment received.",
                decided_by=center,
                decided_at=SEEDED_AT,
            )
    _seed_school_record(center, day)
    star_levels_recompute_all()


def _create(code, kind, severity, grounds, facts, status, starts, months, center, **subject):
    display_until = starts + relativedelta(months=months) - timedelta(days=1)
    ended = status in {RecordStatus.EXPIRED, RecordStatus.REPAIRED}
    ended_on = (
        (display_until if status == RecordStatus.EXPIRED else starts + relativedelta(months=4))
        if ended
        else None
    )
    return CreditRecord.objects.create(
        code=code,
        kind=kind,
        severity=severity,
        grounds=grounds,
        facts=facts,
        basis="《外国人在中国就业管理规定》; Zhejiang Public Credit Information Regulation",
        determining_unit=UNIT,
        determining_unit_code=UNIT_CODE,
        decision_date=starts,
        starts_on=starts,
        display_until=display_until,
        data_source="Hangzhou foreign teacher portal",
        status=status,
        # The demo has one center account: it stands for the approving second user.
        approved_by=center,
        approved_at=SEEDED_AT,
        notified_at=SEEDED_AT if kind == RecordKind.NEGATIVE else None,
        objection_deadline=add_working_days(starts, 5) if kind == RecordKind.NEGATIVE else None,
        activated_at=SEEDED_AT if status != RecordStatus.OBJECTION else None,
        ended_on=ended_on,
        delete_after=ended_on + relativedelta(years=5) if ended_on else None,
        end_reason="Seeded history." if ended_on else "",
        **subject,
    )


def _seed_school_record(center, day) -> None:
    from apps.schools.models import School

    code = _code("school-0")
    school = School.objects.order_by("-licence_number").first()
    if school is None or CreditRecord.objects.filter(code=code).exists():
        return
    _create(
        code,
        RecordKind.NEGATIVE,
        Severity.SERIOUS,
        Grounds.ILLEGAL_HIRING,
        "Hired foreign teachers without work permits (illegal employment).",
        RecordStatus.ACTIVE,
        day - timedelta(days=45),
        24,
        center,
        school_id=school.pk,
    )
