"""Demo employment register: hires into filled vacancies, cluster contracts, interns with
agreements, past contracts with their change histories, and exchange visits.

A second run finds the first seeded code and stops, so `seed_demo` twice changes nothing.
"""

import random
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apps.applications.models import Application, ApplicationStatus
from apps.applications.seed import application_row, code_from, insert_applications
from apps.core.bulk import bulk_insert
from apps.core.dates import add_months
from apps.core.fields import keyed_hash
from apps.core.seeding import SeedContext, seed_file, tiny_pdf
from apps.schools.models import GroupKind, PartnerSchool, School, SchoolGroup, VerificationStatus
from apps.teachers.models import Category, Teacher, TeacherStatus
from apps.vacancies.models import Vacancy, VacancyStatus

from .models import (
    AgreementStatus,
    ChangeKind,
    Employment,
    EmploymentChange,
    EmploymentSchool,
    EmploymentStatus,
    ExchangeVisit,
    InternshipAgreement,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEDED_AT = datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI)
TODAY = SEEDED_AT.date()
K = ChangeKind


def _employment(
    rng, *, code=None, teacher_id, school_id, start, end, hours, status, **extra
) -> dict:
    return {
        "code": code or code_from(rng),
        "teacher_id": teacher_id,
        "application_id": None,
        "vacancy_id": None,
        "school_id": school_id,
        "cluster_id": None,
        "salary": rng.randrange(10000, 26000, 500),
        "contract_start": start,
        "contract_end": end,
        "weekly_hours": hours,
        "housing": rng.choice(["provided", "allowance", "none"]),
        "benefits": "",
        "hiring_channel": rng.choice(["self", "network", "network", "agency"]),
        "payment_method": "salary",
        "agency_name": "",
        "is_intern": False,
        "status": status,
        "ended_on": None,
        "created_by_id": None,
        "created_at": SEEDED_AT,
    } | extra


def _change(rng, employment: dict, kind: str, on: date, **extra) -> dict:
    number = extra.pop("permit_number", "")
    return {
        "code": code_from(rng),
        "employment_code": employment["code"],
        "kind": kind,
        "effective_on": on,
        "recorded_at": datetime.combine(on + timedelta(days=1), datetime.min.time(), SHANGHAI),
        "recorded_by_id": None,
        "permit_number": number,
        "permit_number_hash": keyed_hash(number) if number else "",
        "expires_on": None,
        "new_contract_end": None,
        "transfer_to_id": None,
        "termination_reason": "",
        "reference": "",
        "file": "",
        "note": "",
    } | extra


def _history(rng, employment: dict, *, cluster: bool = False) -> list[dict]:
    """The change rows a real contract accumulates: entry, permits, maybe renewal or end."""
    start = employment["contract_start"]
    rows = []
    if start <= TODAY:
        arrival = start - timedelta(days=rng.randrange(3, 15))
        rows.append(_change(rng, employment, K.ARRIVAL, arrival))
        if arrival + timedelta(days=15) <= TODAY:
            rows.append(
                _change(
                    rng,
                    employment,
                    K.WORK_PERMIT,
                    arrival + timedelta(days=15),
                    permit_number=f"WP{rng.randrange(10**9):09d}",
                    expires_on=employment["contract_end"] + timedelta(days=30),
                )
            )
        if arrival + timedelta(days=30) <= TODAY:
            rows.append(
                _change(
                    rng,
                    employment,
                    K.RESIDENCE_PERMIT,
                    arrival + timedelta(days=30),
                    permit_number=f"RP{rng.randrange(10**9):09d}",
                    expires_on=employment["contract_end"] + timedelta(days=30),
                )
            )
    if cluster:
        rows.append(_change(rng, employment, K.TEACHING_PLAN_FILED, start - timedelta(days=20)))
        rows.append(
            _change(
                rng,
                employment,
                K.HIRE_REPORTED,
                start - timedelta(days=10),
                reference=f"HZ-{start:%Y}-{rng.randrange(1000):03d}",
            )
        )
    if employment["status"] == EmploymentStatus.ENDED:
        end = employment["ended_on"]
        if end < employment["contract_end"]:
            rows.append(
                _change(
                    rng,
                    employment,
                    K.EARLY_TERMINATION,
                    end,
                    termination_reason=rng.choice(["mutual", "resigned", "health"]),
                )
            )
        rows.append(
            _change(rng, employment, K.DEPARTURE, end + timedelta(days=rng.randrange(1, 20)))
        )
    elif employment["contract_start"] < TODAY and rng.random() < 0.2:
        rows.append(
            _change(
                rng,
                employment,
                K.RENEWAL,
                TODAY - timedelta(days=rng.randrange(1, 30)),
                new_contract_end=add_months(employment["contract_end"], 12),
            )
        )
    return rows


def seed(context: SeedContext) -> None:
    # An own generator: earlier seeds may skip work on a second run and draw fewer numbers.
    rng = random.Random(context.seed + 6002)  # noqa: S311 - demo data
    first = code_from(rng)
    if Employment.objects.filter(code=first).exists():
        return
    schools = list(
        School.objects.filter(verification_status=VerificationStatus.VERIFIED)
        .order_by("licence_number")
        .values_list("id", flat=True)
    )
    if not schools:
        return
    busy = set(
        Application.objects.filter(status=ApplicationStatus.ACCEPTED).values_list(
            "teacher_id", flat=True
        )
    ) | set(
        Employment.objects.filter(status=EmploymentStatus.ACTIVE).values_list(
            "teacher_id", flat=True
        )
    )
    verified = Teacher.objects.filter(status=TeacherStatus.VERIFIED).order_by("code")
    free = [t for t in verified.exclude(category=Category.INTERN).values_list("id", flat=True)]
    free = [t for t in free if t not in busy]
    interns = [
        t
        for t in verified.filter(category=Category.INTERN).values_list("id", flat=True)
        if t not in busy
    ]
    rng.shuffle(free)
    employments, shares, changes = [], [], []

    # Hires into the filled vacancies: application (hired) + offer + employment.
    filled = {
        v["id"]: v
        for v in Vacancy.objects.filter(status=VacancyStatus.FILLED)
        .order_by("code")
        .values(
            "id",
            "school_id",
            "posts",
            "salary_max",
            "contract_start",
            "contract_end",
            "weekly_hours",
            "housing",
            "hiring_channel",
        )
    }
    hired_rows = []
    for vacancy in filled.values():
        for _ in range(vacancy["posts"]):
            if not free:
                break
            teacher_id = free.pop()
            row = application_row(
                rng,
                vacancy=vacancy,
                teacher_id=teacher_id,
                status=ApplicationStatus.HIRED,
                when=SEEDED_AT - timedelta(days=60),
            )
            hired_rows.append(row)
            employments.append(
                _employment(
                    rng,
                    code=None if employments else first,
                    teacher_id=teacher_id,
                    school_id=vacancy["school_id"],
                    start=vacancy["contract_start"],
                    end=vacancy["contract_end"],
                    hours=vacancy["weekly_hours"],
                    status=EmploymentStatus.ACTIVE,
                    salary=vacancy["salary_max"],
                    housing=vacancy["housing"],
                    hiring_channel=vacancy["hiring_channel"],
                    vacancy_id=vacancy["id"],
                    application_code=row["code"],
                )
            )
    if hired_rows:
        insert_applications(hired_rows, filled)

    # Cluster contracts: one teacher signed by the lead school and its members.
    demo_lead = (
        School.objects.filter(memberships__user__email="school.lead@demo.hz-waijiao.cn")
        .values_list("id", flat=True)
        .first()
    )
    clusters = list(
        SchoolGroup.objects.filter(kind=GroupKind.CLUSTER)
        .order_by("name")
        .prefetch_related("members")
    )
    # The demo lead school's cluster comes first so its login always shows a cluster contract.
    clusters.sort(key=lambda cluster: cluster.lead_school_id != demo_lead)
    clusters = clusters[: context.sized(small=6, city=60)]
    for cluster in clusters:
        if not free:
            break
        start = date(2026, 9, 1)
        employment = _employment(
            rng,
            code=None if employments else first,
            teacher_id=free.pop(),
            school_id=cluster.lead_school_id,
            start=start,
            end=date(2027, 7, 15),
            hours=18,
            status=EmploymentStatus.ACTIVE,
            cluster_id=cluster.pk,
        )
        employments.append(employment)
        members = [m.school_id for m in cluster.members.all()][:2]
        split = [18 - 6 * len(members)] + [6] * len(members)
        for index, (school_id, hours) in enumerate(
            zip([cluster.lead_school_id, *members], split, strict=True)
        ):
            shares.append((employment["code"], school_id, hours, index == 0))
        employment["cluster"] = True

    # Interns under approved agreements, six calendar months each; one signed demo file.
    agreements = []
    agreement_file = seed_file(
        "employment/demo-agreement.pdf", tiny_pdf("signed internship agreement")
    )
    for teacher_id in interns[: context.sized(small=10, city=200)]:
        school_id = rng.choice(schools)
        start = date(2026, rng.choice([3, 9]), 1)
        agreements.append(
            {
                "code": code_from(rng),
                "teacher_id": teacher_id,
                "school_id": school_id,
                "university": "University of Leeds",
                "starts_on": start,
                "ends_on": add_months(start, 12),
                "file": agreement_file,
                "status": AgreementStatus.APPROVED,
                "decided_by_id": None,
                "decided_at": SEEDED_AT,
                "decision_note": "",
                "created_by_id": None,
                "created_at": SEEDED_AT,
            }
        )
        ended = add_months(start, 6) < TODAY
        employments.append(
            _employment(
                rng,
                teacher_id=teacher_id,
                school_id=school_id,
                start=start,
                end=add_months(start, 6),
                hours=12,
                status=EmploymentStatus.ENDED if ended else EmploymentStatus.ACTIVE,
                ended_on=add_months(start, 6) if ended else None,
                is_intern=True,
                salary=6000,
            )
        )

    # Past contracts (five years of history at city scale): ended, with their changes.
    past_teachers = verified.values_list("id", flat=True)
    pool = list(past_teachers[: context.sized(small=400, city=10_000)])
    for _ in range(context.sized(small=150, city=8_000)):
        start = date(rng.randrange(2021, 2026), 9, 1)
        end = add_months(start, 12) - timedelta(days=1)
        ended_on = end if rng.random() < 0.8 else start + timedelta(days=rng.randrange(60, 300))
        employments.append(
            _employment(
                rng,
                teacher_id=rng.choice(pool),
                school_id=rng.choice(schools),
                start=start,
                end=end,
                hours=rng.choice([12, 16, 20]),
                status=EmploymentStatus.ENDED,
                ended_on=ended_on,
            )
        )

    application_ids = dict(
        Application.objects.filter(code__in=[r["code"] for r in hired_rows]).values_list(
            "code", "id"
        )
    )
    rows = []
    for employment in employments:
        cluster = employment.pop("cluster", False)
        application_code = employment.pop("application_code", None)
        employment["application_id"] = application_ids.get(application_code)
        changes.extend(_history(rng, employment, cluster=cluster))
        rows.append(employment)
    bulk_insert(Employment, rows)
    ids = dict(
        Employment.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", "id")
    )
    explicit = {code for code, *_ in shares}
    bulk_insert(
        EmploymentSchool,
        [
            {
                "employment_id": ids[code],
                "school_id": school,
                "weekly_hours": hours,
                "is_lead": lead,
            }
            for code, school, hours, lead in shares
        ]
        + [
            {
                "employment_id": ids[r["code"]],
                "school_id": r["school_id"],
                "weekly_hours": r["weekly_hours"],
                "is_lead": True,
            }
            for r in rows
            if r["code"] not in explicit
        ],
    )
    for change in changes:
        change["employment_id"] = ids[change.pop("employment_code")]
    bulk_insert(EmploymentChange, changes)
    if agreements:
        bulk_insert(InternshipAgreement, agreements)
    _seed_visits(rng, context.sized(small=30, city=300))


def _seed_visits(rng, count: int) -> None:
    partners = list(
        PartnerSchool.objects.order_by("school_id", "name").values("id", "school_id", "country")
    )
    if not partners:
        return
    rows = []
    for index in range(count):
        partner = rng.choice(partners)
        # Every third visit a year earlier, every third two years: three years of history
        # (shifted after the draw, so the generator's sequence stays the same).
        arrival = (
            TODAY + timedelta(days=rng.randrange(-200, 120)) - timedelta(days=365 * (index % 3))
        )
        number = f"E{rng.randrange(10**8):08d}"
        rows.append(
            {
                "code": uuid.UUID(int=rng.getrandbits(128), version=4),
                "school_id": partner["school_id"],
                "partner_school_id": partner["id"],
                "visitor_name": f"Visiting Teacher {index + 1}",
                "nationality": partner["country"] or "GB",
                "passport_number": number,
                "passport_number_hash": keyed_hash(number),
                "arrival": arrival,
                "departure": add_months(arrival, rng.choice([1, 2, 3])),
                "purpose": "Sister-school exchange and co-teaching.",
                "created_by_id": None,
                "created_at": SEEDED_AT,
            }
        )
    bulk_insert(ExchangeVisit, rows)
