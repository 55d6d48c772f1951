import re

import factory

from apps.core.models import District, SchoolType
from apps.schools.models import (
    GroupKind,
    PartnerSchool,
    School,
    SchoolGroup,
    SchoolMembership,
    VerificationStatus,
)
from tests.accounts.factories import SchoolStaffUserFactory


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name_zh_hans = factory.Sequence(lambda n: f"杭州市第{n}中学")
    name_en = factory.Sequence(lambda n: f"Hangzhou No. {n} Middle School")
    name = factory.SelfAttribute("name_en")
    district = factory.LazyFunction(lambda: District.objects.get(code="330106"))
    school_type = factory.LazyFunction(lambda: SchoolType.objects.get(code="primary"))
    licence_number = factory.Sequence(lambda n: f"LIC-{n:06d}")
    address = "杭州市西湖区文三路1号"
    contact_phone = "0571-88888888"
    verification_status = VerificationStatus.VERIFIED


class SchoolMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolMembership

    user = factory.SubFactory(SchoolStaffUserFactory)
    school = factory.SubFactory(SchoolFactory)
    is_liaison = False


class SchoolGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolGroup

    kind = GroupKind.CLUSTER
    name = factory.Sequence(lambda n: f"片区 {n}")
    lead_school = factory.SubFactory(SchoolFactory)


class PartnerSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerSchool

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Partner School {n}")
    country = "GB"
    city = "Leeds"
    since = factory.Faker("date_object")


def invitation_token_in(body: str) -> str | None:
    """Return the invitation token a mail links to; tokens carry a timestamp, so read the mail."""
    match = re.search(r"/invitation/([^/\s]+)/", body)
    return match.group(1) if match else None
