import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from apps.accounts.models import BureauMembership, Role, User
from apps.core.models import AuditEvent, District
from apps.notifications.models import Notification
from apps.schools.models import GroupKind, SchoolGroup, VerificationStatus
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory

CHANGELIST = "admin:schools_school_changelist"


@pytest.fixture(autouse=True)
def _center_group(db, center_user):
    """Admin access comes from the "Center staff" group the data migrations fill."""
    from django.contrib.auth.models import Group

    center_user.groups.add(Group.objects.get(name="Center staff"))


@pytest.fixture
def pending_school(db):
    school = SchoolFactory(verification_status=VerificationStatus.PENDING)
    SchoolMembershipFactory(school=school, is_liaison=True)
    return school


@pytest.mark.django_db
class TestSchoolAdmin:
    def test_changelist_filters_and_searches(self, client, center_user, pending_school):
        SchoolFactory(licence_number="FIND-ME-123")
        client.force_login(center_user)

        response = client.get(reverse(CHANGELIST), {"verification_status__exact": "pending"})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [pending_school]
        response = client.get(reverse(CHANGELIST), {"q": "find-me"})
        assert response.context["cl"].result_count == 1

    def test_verify_action_calls_the_service(self, client, center_user, pending_school):
        client.force_login(center_user)

        client.post(
            reverse(CHANGELIST),
            {"action": "verify_schools", ACTION_CHECKBOX_NAME: [pending_school.pk]},
        )

        pending_school.refresh_from_db()
        assert pending_school.is_verified
        assert Notification.objects.filter(kind="school.verified").count() == 1
        assert AuditEvent.objects.filter(action="school.verified", actor=center_user).exists()

    def test_reject_action_asks_for_a_reason_first(self, client, center_user, pending_school):
        client.force_login(center_user)
        data = {"action": "reject_schools", ACTION_CHECKBOX_NAME: [pending_school.pk]}

        response = client.post(reverse(CHANGELIST), data)
        assert response.status_code == 200 and "reason" in response.context["form"].fields
        pending_school.refresh_from_db()
        assert pending_school.verification_status == VerificationStatus.PENDING

        response = client.post(reverse(CHANGELIST), data | {"apply": "1", "reason": ""})
        assert response.context["form"].errors

        client.post(reverse(CHANGELIST), data | {"apply": "1", "reason": "材料不全"})
        pending_school.refresh_from_db()
        assert pending_school.verification_status == VerificationStatus.REJECTED
        assert pending_school.rejection_reason == "材料不全"
        assert Notification.objects.filter(kind="school.rejected").exists()


@pytest.mark.django_db
class TestSchoolGroupAdmin:
    def post_group(self, client, kind, lead, members, roles=None):
        roles = roles or ["member"] * len(members)
        data = {
            "kind": kind,
            "name": "片区",
            "lead_school": lead.pk,
            "district": "",
            "members-TOTAL_FORMS": str(len(members)),
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000",
        }
        for i, (school, role) in enumerate(zip(members, roles, strict=True)):
            data[f"members-{i}-school"] = school.pk
            data[f"members-{i}-role"] = role
        return client.post(reverse("admin:schools_schoolgroup_add"), data)

    def test_third_cluster_member_is_refused_in_admin(self, client, center_user):
        client.force_login(center_user)
        lead, *members = [SchoolFactory() for _ in range(4)]

        response = self.post_group(client, GroupKind.CLUSTER, lead, members)

        assert response.status_code == 200
        assert "at most 2" in response.content.decode()
        assert not SchoolGroup.objects.exists()

    def test_valid_cluster_saves_and_is_audited(self, client, center_user):
        client.force_login(center_user)
        lead, *members = [SchoolFactory() for _ in range(3)]

        response = self.post_group(client, GroupKind.CLUSTER, lead, members)

        assert response.status_code == 302
        assert SchoolGroup.objects.get().members.count() == 2
        assert AuditEvent.objects.filter(action="school_group.create").exists()

    def test_entrusted_with_two_entrusted_schools_is_refused(self, client, center_user):
        client.force_login(center_user)
        lead, *members = [SchoolFactory() for _ in range(3)]

        response = self.post_group(
            client, GroupKind.ENTRUSTED, lead, members, roles=["entrusted", "entrusted"]
        )

        assert response.status_code == 200
        assert not SchoolGroup.objects.exists()


@pytest.mark.django_db
class TestBureauAccounts:
    def test_center_staff_create_a_district_bureau_account(self, client, center_user):
        client.force_login(center_user)
        xihu = District.objects.get(code="330106")

        response = client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "xihu.bureau@example.gov.cn",
                "full_name": "西湖区教育局",
                "role": Role.BUREAU_VIEWER,
                "language": "zh-hans",
                "district": xihu.pk,
            },
        )

        assert response.status_code == 302
        user = User.objects.get(email="xihu.bureau@example.gov.cn")
        assert user.bureau_membership.district == xihu

    def test_municipal_bureau_has_no_district(self, client, center_user):
        client.force_login(center_user)
        client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "city.bureau@example.gov.cn",
                "full_name": "市教育局",
                "role": Role.BUREAU_VIEWER,
                "language": "zh-hans",
                "district": "",
            },
        )
        membership = BureauMembership.objects.get(user__email="city.bureau@example.gov.cn")
        assert membership.is_municipal

    def test_a_center_account_cannot_have_a_district(self, client, center_user):
        client.force_login(center_user)
        response = client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "c2@example.org",
                "full_name": "x",
                "role": Role.CENTER_STAFF,
                "language": "zh-hans",
                "district": District.objects.first().pk,
            },
        )
        assert response.status_code == 200
        assert not User.objects.filter(email="c2@example.org").exists()


@pytest.mark.django_db
def test_center_edits_a_school_and_its_partner_schools_in_admin_audited(client, center_user):
    school = SchoolFactory()
    client.force_login(center_user)
    url = reverse("admin:schools_school_change", args=[school.pk])
    data = {
        "name_en": school.name_en,
        "name_zh_hans": school.name_zh_hans,
        "district": school.district_id,
        "school_type": school.school_type_id,
        "ownership": "private",
        "licence_number": school.licence_number,
        "address": "新地址",
        "contact_phone": school.contact_phone,
        "website": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "partner_schools-TOTAL_FORMS": "1",
        "partner_schools-INITIAL_FORMS": "0",
        "partner_schools-0-name": "Leeds Grammar",
        "partner_schools-0-country": "GB",
        "partner_schools-0-city": "Leeds",
        "partner_schools-0-since": "2015-09-01",
        "partner_schools-0-website": "",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    school.refresh_from_db()
    assert school.address == "新地址" and school.ownership == "private"
    assert school.partner_schools.get().city == "Leeds"
    assert AuditEvent.objects.filter(action="school.change").exists()
    assert AuditEvent.objects.filter(action="partner_school.create").exists()


@pytest.mark.django_db
def test_a_bureau_accounts_district_can_be_changed_in_the_user_admin(
    client, center_user, bureau_city_user
):
    client.force_login(center_user)
    url = reverse("admin:accounts_user_change", args=[bureau_city_user.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert 'name="bureau_membership-0-district"' in response.content.decode()
