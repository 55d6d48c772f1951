"""Demo schools across all districts and types, groups of every kind and partner schools.

Natural keys: licence number (schools), name (groups), (group, school) and (school, name), so
a second run updates rows in place. The demo school and bureau logins get their memberships.
"""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from apps.accounts.models import BureauMembership, User
from apps.core.bulk import bulk_upsert
from apps.core.models import District, SchoolType
from apps.core.seeding import SeedContext

from .models import (
    GroupKind,
    MemberRole,
    Ownership,
    PartnerSchool,
    School,
    SchoolGroup,
    SchoolGroupMember,
    SchoolMembership,
    VerificationStatus,
)

LICENCE_PREFIX = "HZ-DEMO-"
XIHU = "330106"
SEEDED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# kind: (groups at small scale, at city scale, member schools besides the lead)
GROUP_PLAN = [
    (GroupKind.CLUSTER, 30, 300, 2),
    (GroupKind.ENTRUSTED, 10, 100, 1),
    (GroupKind.TIGHT, 5, 50, 3),
    (GroupKind.COOPERATIVE, 5, 50, 5),
    (GroupKind.ASSISTANCE, 5, 50, 2),
]
GROUP_SUFFIX = {
    GroupKind.CLUSTER: "片区",
    GroupKind.ENTRUSTED: "委托办学",
    GroupKind.TIGHT: "紧密型教育集团",
    GroupKind.COOPERATIVE: "协作型(1+N)教育集团",
    GroupKind.ASSISTANCE: "帮扶型教育集团",
}
PARTNERS = [
    ("Riverside Grammar School", "GB", "Manchester"),
    ("Maple Leaf Secondary School", "CA", "Toronto"),
    ("Harbour View College", "AU", "Sydney"),
    ("Lincoln Elementary School", "US", "Portland"),
    ("Kiwi Valley School", "NZ", "Auckland"),
    ("Lycée Jean Moulin", "FR", "Lyon"),
    ("Goethe-Gymnasium", "DE", "Hamburg"),
    ("Sakura Junior High School", "JP", "Kyoto"),
    ("Hanbit Middle School", "KR", "Busan"),
    ("Colegio San Martín", "ES", "Valencia"),
]
DEMO_LIAISONS = {
    "lead": "school.lead@demo.hz-waijiao.cn",
    "member": "school.member@demo.hz-waijiao.cn",
}
DEMO_BUREAUS = {"bureau.xihu@demo.hz-waijiao.cn": XIHU, "bureau.city@demo.hz-waijiao.cn": None}


def _uuid(context: SeedContext) -> uuid.UUID:
    return uuid.UUID(int=context.rng.getrandbits(128), version=4)


def _plan_groups(context: SeedContext, by_district: dict[int, list[int]], districts: list):
    """Return [(kind, district index, lead index, [member indices])], no school used twice."""
    pools = {d: list(indices) for d, indices in by_district.items()}
    plan, turn = [], 0
    for kind, small, city, size in GROUP_PLAN:
        for _n in range(context.sized(small=small, city=city)):
            # The first cluster is in Xihu so the demo lead and member logins share it.
            d = (
                next(i for i, district in enumerate(districts) if district.code == XIHU)
                if not plan
                else turn % len(districts)
            )
            turn += 1
            members = size if kind != GroupKind.CLUSTER or context.rng.random() < 0.8 else 1
            picked = [pools[d].pop(0) for _ in range(members + 1)]
            plan.append((kind, d, picked[0], picked[1:]))
    return plan


def seed(context: SeedContext) -> None:
    districts = list(District.objects.order_by("sort_order"))
    types = list(SchoolType.objects.order_by("sort_order"))
    total = context.sized(small=300, city=3000)
    by_district: dict[int, list[int]] = {d: [] for d in range(len(districts))}
    for i in range(total):
        by_district[i % len(districts)].append(i)
    plan = _plan_groups(context, by_district, districts)
    grouped = {i for _k, _d, lead, members in plan for i in [lead, *members]}

    rows, counters = [], {}
    for i in range(total):
        district, school_type = (
            districts[i % len(districts)],
            types[(i // len(districts)) % len(types)],
        )
        number = counters[(district.pk, school_type.pk)] = (
            counters.get((district.pk, school_type.pk), 0) + 1
        )
        # Every seventh school of a district not in a group waits; a few were rejected.
        rank = i // len(districts)
        if i in grouped or rank % 5 != 4:
            status, reason = VerificationStatus.VERIFIED, ""
        elif rank % 3 == 0:
            status, reason = VerificationStatus.REJECTED, "办学许可证号与上传材料不一致。"
        else:
            status, reason = VerificationStatus.PENDING, ""
        name_zh = (
            f"杭州市{district.name_zh_hans}第{number}{school_type.name_zh_hans.split(' / ')[0]}"
        )
        name_en = (
            f"{district.name_en} No. {number} {school_type.name_en.split(' / ')[0].split(' (')[0]}"
        )
        rows.append(
            {
                "code": _uuid(context),
                "name": name_en,
                "name_en": name_en,
                "name_zh_hans": name_zh,
                "district_id": district.pk,
                "school_type_id": school_type.pk,
                "ownership": Ownership.PRIVATE if context.rng.random() < 0.2 else Ownership.PUBLIC,
                "licence_number": f"{LICENCE_PREFIX}{i:05d}",
                "address": f"杭州市{district.name_zh_hans}学院路{context.rng.randint(1, 999)}号",
                "contact_phone": f"0571-{context.rng.randint(80000000, 89999999)}",
                "website": "",
                "verification_status": status,
                "rejection_reason": reason,
                "verified_at": SEEDED_AT if status == VerificationStatus.VERIFIED else None,
                "created_at": SEEDED_AT,
            }
        )
    bulk_upsert(
        School,
        rows,
        unique_fields=["licence_number"],
        update_fields=[k for k in rows[0] if k not in {"code", "licence_number", "created_at"}],
    )
    school_ids = dict(
        School.objects.filter(licence_number__startswith=LICENCE_PREFIX).values_list(
            "licence_number", "pk"
        )
    )
    names = {row["licence_number"]: row["name_zh_hans"] for row in rows}

    def sid(index: int) -> int:
        return school_ids[f"{LICENCE_PREFIX}{index:05d}"]

    group_rows, member_specs = [], []
    for kind, d, lead, members in plan:
        lead_name = names[f"{LICENCE_PREFIX}{lead:05d}"]
        name = f"{lead_name}{GROUP_SUFFIX[kind]}"
        group_rows.append(
            {
                "code": _uuid(context),
                "kind": kind,
                "name": name,
                "district_id": districts[d].pk,
                "lead_school_id": sid(lead),
                "created_at": SEEDED_AT,
            }
        )
        role = MemberRole.ENTRUSTED if kind == GroupKind.ENTRUSTED else MemberRole.MEMBER
        member_specs.extend((name, sid(m), role) for m in members)
    bulk_upsert(
        SchoolGroup,
        group_rows,
        unique_fields=["name"],
        update_fields=["kind", "district_id", "lead_school_id"],
    )
    group_ids = dict(
        SchoolGroup.objects.filter(name__in=[g["name"] for g in group_rows]).values_list(
            "name", "pk"
        )
    )
    bulk_upsert(
        SchoolGroupMember,
        [{"group_id": group_ids[n], "school_id": s, "role": r} for n, s, r in member_specs],
        unique_fields=["group_id", "school_id"],
        update_fields=["role"],
    )

    partner_rows = []
    for i in range(0, total, 5):
        name, country, city = PARTNERS[(i // 5) % len(PARTNERS)]
        partner_rows.append(
            {
                "code": _uuid(context),
                "school_id": sid(i),
                "name": name,
                "country": country,
                "city": city,
                "since": date(2010 + context.rng.randint(0, 15), context.rng.randint(1, 12), 1),
                "website": "",
            }
        )
    bulk_upsert(
        PartnerSchool,
        partner_rows,
        unique_fields=["school_id", "name"],
        update_fields=["country", "city", "since"],
    )

    _attach_demo_users(lead=sid(plan[0][2]), member=sid(plan[0][3][0]))
    context.stdout.write(
        f"  {len(rows)} schools, {len(group_rows)} groups, {len(partner_rows)} partner schools"
    )


def _attach_demo_users(*, lead: int, member: int) -> None:
    users = {
        u.email: u for u in User.objects.filter(email__in=[*DEMO_LIAISONS.values(), *DEMO_BUREAUS])
    }
    for key, school_id in (("lead", lead), ("member", member)):
        user = users.get(DEMO_LIAISONS[key])
        if user is None:
            continue
        SchoolMembership.objects.filter(school_id=school_id, is_liaison=True).exclude(
            user=user
        ).update(is_liaison=False)
        SchoolMembership.objects.update_or_create(
            user=user,
            defaults={
                "school_id": school_id,
                "is_liaison": True,
                "is_active": True,
                "deactivated_at": None,
            },
        )
    districts = {d.code: d for d in District.objects.filter(code=XIHU)}
    for email, code in DEMO_BUREAUS.items():
        if email in users:
            BureauMembership.objects.update_or_create(
                user=users[email], defaults={"district": districts.get(code) if code else None}
            )
