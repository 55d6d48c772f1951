import io
import time

import pytest

from apps.accounts import seed as accounts_seed
from apps.accounts.models import BureauMembership
from apps.core.seeding import Scale, SeedContext
from apps.schools import seed as schools_seed
from apps.schools.models import (
    GroupKind,
    PartnerSchool,
    School,
    SchoolGroup,
    SchoolGroupMember,
    SchoolMembership,
    VerificationStatus,
)

SMALL_BUDGET_SECONDS = 60


def counts() -> dict[str, int]:
    return {
        "schools": School.objects.count(),
        "groups": SchoolGroup.objects.count(),
        "members": SchoolGroupMember.objects.count(),
        "partners": PartnerSchool.objects.count(),
        "memberships": SchoolMembership.objects.count(),
        "bureaus": BureauMembership.objects.count(),
        "verified": School.objects.filter(verification_status=VerificationStatus.VERIFIED).count(),
    }


def run_seed() -> float:
    context = SeedContext(scale=Scale.SMALL, seed=2017, stdout=io.StringIO())
    started = time.perf_counter()
    accounts_seed.seed(context)
    schools_seed.seed(context)
    return time.perf_counter() - started


@pytest.mark.django_db
def test_school_seed_small_is_fast_idempotent_and_complete():
    elapsed = run_seed()
    first = counts()
    run_seed()

    assert elapsed < SMALL_BUDGET_SECONDS
    assert counts() == first
    assert first["schools"] == 300
    assert School.objects.values("district").distinct().count() == 14
    assert School.objects.values("school_type").distinct().count() == 8
    assert School.objects.filter(verification_status=VerificationStatus.PENDING).exists()
    assert set(SchoolGroup.objects.values_list("kind", flat=True)) == set(GroupKind.values)
    lead = SchoolMembership.objects.get(user__email="school.lead@demo.hz-waijiao.cn")
    member = SchoolMembership.objects.get(user__email="school.member@demo.hz-waijiao.cn")
    cluster = lead.school.led_groups.get(kind=GroupKind.CLUSTER)
    assert cluster.members.filter(school=member.school).exists()
    assert lead.school.is_verified and lead.is_liaison and member.is_liaison
    xihu = BureauMembership.objects.get(user__email="bureau.xihu@demo.hz-waijiao.cn")
    assert xihu.district.code == "330106"
    assert BureauMembership.objects.get(user__email="bureau.city@demo.hz-waijiao.cn").is_municipal


@pytest.mark.django_db
def test_every_cluster_in_the_seed_respects_the_member_limit():
    from django.db.models import Count

    run_seed()
    sizes = SchoolGroup.objects.annotate(n=Count("members")).values_list("kind", "n")
    assert all(n <= 2 for kind, n in sizes if kind == GroupKind.CLUSTER)
    assert all(n == 1 for kind, n in sizes if kind == GroupKind.ENTRUSTED)
