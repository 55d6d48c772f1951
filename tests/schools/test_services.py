from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.models import AuditEvent, District, SchoolType
from apps.core.services import policy_settings_update
from apps.notifications.models import Notification
from apps.schools import services, tasks
from apps.schools.models import (
    GroupKind,
    MemberRole,
    PendingSchoolRegistration,
    School,
    SchoolGroup,
    SchoolInvitation,
    SchoolMembership,
    VerificationStatus,
)
from tests.accounts.factories import TeacherUserFactory
from tests.schools.factories import (
    SchoolFactory,
    SchoolMembershipFactory,
    invitation_token_in,
)

PASSWORD = "a-long-unique-passphrase"


def register_pending(**overrides):
    data = {
        "name_zh_hans": "杭州市文新小学",
        "name_en": "Hangzhou Wenxin Primary School",
        "district": District.objects.get(code="330106"),
        "school_type": SchoolType.objects.get(code="primary"),
        "ownership": "public",
        "licence_number": "教民133010670000001",
        "address": "杭州市西湖区文新路1号",
        "contact_phone": "0571-88001234",
        "liaison_email": "Liaison@Wenxin.example.cn",
        "liaison_name": "陈静",
        "liaison_password": PASSWORD,
    }
    return services.school_register(**(data | overrides))


def register(**overrides):
    """Register and confirm the emailed link, as the liaison does: return the school."""
    pending = register_pending(**overrides)
    return services.school_registration_confirm(token=services.registration_token(pending))


@pytest.mark.django_db
class TestRegistration:
    def test_registering_creates_nothing_but_the_pending_registration(self):
        pending = register_pending()

        assert School.objects.count() == 0 and User.objects.count() == 0
        assert pending.email == "liaison@wenxin.example.cn"
        assert pending.licence_number == "教民133010670000001"
        # The password is stored hashed, the token only as its hash.
        assert PASSWORD not in pending.password and check_password(PASSWORD, pending.password)
        token = services.registration_token(pending)
        assert token not in pending.token_hash
        assert not PendingSchoolRegistration.objects.filter(token_hash=token).exists()
        validity = pending.expires_at - pending.created_at
        assert abs(validity - timedelta(days=3)) < timedelta(seconds=5)

    def test_confirming_registers_a_pending_school_with_a_verified_liaison(self):
        school = register()

        assert school.verification_status == VerificationStatus.PENDING
        user = User.objects.get(email="liaison@wenxin.example.cn")
        assert user.role == Role.SCHOOL_STAFF and user.check_password(PASSWORD)
        assert user.language == "zh-hans" and user.full_name == "陈静"
        assert user.school_membership.school == school and user.school_membership.is_liaison
        address = EmailAddress.objects.get(user=user)
        assert address.verified and address.primary
        event = AuditEvent.objects.get(action="school.register")
        assert event.actor == user
        assert PASSWORD not in str(event.after) and "pbkdf2" not in str(event.after)
        assert PendingSchoolRegistration.objects.get().confirmed_at is not None

    def test_duplicate_licence_number_is_refused_at_confirmation_and_nothing_is_saved(self):
        register()
        # Registering gives no answer about the licence number (that would leak), ...
        pending = register_pending(
            licence_number=" 教民133010670000001 ", liaison_email="other@example.cn"
        )

        # ... confirming does, to the owner of the address, who proved it by the link.
        with pytest.raises(ValidationError) as exc:
            services.school_registration_confirm(token=services.registration_token(pending))

        assert exc.value.code == "licence_taken" and "教民133010670000001" in exc.value.message
        assert School.objects.count() == 1
        assert not User.objects.filter(email="other@example.cn").exists()

    def test_an_address_that_got_an_account_meanwhile_is_told_and_nothing_is_saved(self):
        pending = register_pending()
        TeacherUserFactory(email="LIAISON@wenxin.example.cn")

        with pytest.raises(ValidationError) as exc:
            services.school_registration_confirm(token=services.registration_token(pending))

        assert exc.value.code == "email_taken" and "already has an account" in exc.value.message
        assert School.objects.count() == 0
        assert User.objects.filter(role=Role.SCHOOL_STAFF).count() == 0

    def test_an_english_registrant_gets_the_link_in_english(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            pending = register_pending(language="en")

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["liaison@wenxin.example.cn"]
        assert message.subject == (
            "[Hangzhou Foreign Teachers] Confirm the registration of Hangzhou Wenxin Primary School"
        )
        token = services.registration_token(pending)
        assert f"/en/schools/register/confirm/{token}/" in message.body
        assert "expires on" in message.body and PASSWORD not in message.body

    def test_a_link_works_once(self):
        pending = register_pending()
        token = services.registration_token(pending)
        services.school_registration_confirm(token=token)

        with pytest.raises(ValidationError) as exc:
            services.school_registration_confirm(token=token)

        assert exc.value.code == "used" and "already been confirmed" in exc.value.message
        assert School.objects.count() == 1 and User.objects.count() == 1

    def test_an_expired_link_creates_nothing(self):
        with time_machine.travel(timezone.now() - timedelta(days=3, minutes=1)):
            pending = register_pending()

        with pytest.raises(ValidationError) as exc:
            services.school_registration_confirm(token=services.registration_token(pending))

        assert exc.value.code == "expired" and "expired" in exc.value.message
        assert School.objects.count() == 0 and User.objects.count() == 0

    def test_the_validity_is_a_setting(self, settings):
        settings.SCHOOL_REGISTRATION_VALID_DAYS = 1
        with time_machine.travel(timezone.now() - timedelta(days=1, minutes=1)):
            pending = register_pending()

        with pytest.raises(ValidationError):
            services.school_registration_confirm(token=services.registration_token(pending))

    def test_a_made_up_token_is_refused(self):
        register_pending()

        with pytest.raises(ValidationError) as exc:
            services.school_registration_confirm(token="0" * 64)

        assert exc.value.code == "invalid"
        assert School.objects.count() == 0

    def test_weak_password_stores_nothing(self):
        with pytest.raises(ValidationError) as exc:
            register_pending(liaison_password="123")

        assert "liaison_password" in exc.value.error_dict
        assert not PendingSchoolRegistration.objects.exists()
        assert School.objects.count() == 0 and User.objects.count() == 0

    def test_existing_email_creates_nothing_and_raises_nothing(self, teacher_user):
        # The page must answer as for a new address (tests/schools/test_enumeration.py).
        assert register_pending(liaison_email=teacher_user.email.upper()) is None

        assert not PendingSchoolRegistration.objects.exists()
        assert School.objects.count() == 0
        assert User.objects.filter(role=Role.SCHOOL_STAFF).count() == 0

    def test_the_daily_purge_drops_expired_registrations_only(self):
        with time_machine.travel(timezone.now() - timedelta(days=4)):
            old = register_pending(liaison_email="old@example.org", licence_number="OLD-1")
        fresh = register_pending(liaison_email="new@example.org", licence_number="NEW-1")

        assert tasks.purge_pending_registrations() == 1

        assert list(PendingSchoolRegistration.objects.all()) == [fresh]
        assert not PendingSchoolRegistration.objects.filter(pk=old.pk).exists()
        assert "schools.purge_pending_registrations" in {
            entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        }


@pytest.mark.django_db
class TestVerification:
    def test_verify_notifies_the_liaison_in_chinese(
        self, center_user, django_capture_on_commit_callbacks
    ):
        school = register()
        with django_capture_on_commit_callbacks(execute=True):
            services.school_verify(actor=center_user, school=school)

        school.refresh_from_db()
        assert school.is_verified and school.verified_at
        note = Notification.objects.get(kind="school.verified")
        assert note.recipient.email == "liaison@wenxin.example.cn"
        assert note.language == "zh-hans"
        assert len(mail.outbox) == 1
        assert AuditEvent.objects.filter(action="school.verified", actor=center_user).exists()

    def test_reject_needs_a_reason_and_notifies_it(self, center_user):
        school = register()
        with pytest.raises(ValidationError):
            services.school_reject(actor=center_user, school=school, reason="  ")

        services.school_reject(actor=center_user, school=school, reason="许可证号不符")

        school.refresh_from_db()
        assert school.verification_status == VerificationStatus.REJECTED
        assert school.rejection_reason == "许可证号不符"
        assert "许可证号不符" in Notification.objects.get(kind="school.rejected").body

    def test_a_verified_school_cannot_be_rejected(self, center_user):
        school = SchoolFactory()
        with pytest.raises(ValidationError):
            services.school_reject(actor=center_user, school=school, reason="x")

    def test_school_can_post_only_when_verified(self):
        from apps.schools.selectors import school_can_post

        assert school_can_post(SchoolFactory())
        assert not school_can_post(SchoolFactory(verification_status="pending"))
        assert not school_can_post(None)


@pytest.mark.django_db
class TestInvitations:
    def test_liaison_invites_and_the_colleague_joins(
        self, school_a, liaison_a, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.school_invitation_create(
                actor=liaison_a, school=school_a, email="Colleague@Example.org"
            )

        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["colleague@example.org"]
        token = invitation_token_in(mail.outbox[0].body)
        assert token is not None
        user = services.school_invitation_accept(token=token, full_name="李明", password=PASSWORD)

        assert user.role == Role.SCHOOL_STAFF and user.full_name == "李明"
        assert EmailAddress.objects.get(user=user).verified
        membership = user.school_membership
        assert membership.school == school_a and not membership.is_liaison

    def test_chinese_invitation_has_the_chinese_subject_prefix(
        self, school_a, liaison_a, django_capture_on_commit_callbacks
    ):
        liaison_a.language = "zh-hans"
        liaison_a.save(update_fields=["language"])
        with django_capture_on_commit_callbacks(execute=True):
            services.school_invitation_create(
                actor=liaison_a, school=school_a, email="colleague@example.org"
            )

        subject = mail.outbox[0].subject
        assert subject.startswith("[杭州外教服务网] ")
        assert "Hangzhou Foreign Teachers" not in subject

    def test_reused_link_is_refused(self, school_a, liaison_a):
        invitation = services.school_invitation_create(
            actor=liaison_a, school=school_a, email="c@example.org"
        )
        token = services.invitation_token(invitation)
        services.school_invitation_accept(token=token, full_name="A", password=PASSWORD)

        with pytest.raises(ValidationError, match="already been used"):
            services.school_invitation_accept(token=token, full_name="B", password=PASSWORD)
        assert User.objects.filter(email="c@example.org").count() == 1

    def test_expired_link_is_refused(self, school_a, liaison_a):
        policy_settings_update(actor=None, invitation_valid_days=3)
        invitation = services.school_invitation_create(
            actor=liaison_a, school=school_a, email="c@example.org"
        )
        assert invitation.expires_at - timezone.now() > timedelta(days=2, hours=23)
        SchoolInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )

        with pytest.raises(ValidationError, match="expired"):
            services.school_invitation_accept(
                token=services.invitation_token(invitation), full_name="A", password=PASSWORD
            )
        assert not User.objects.filter(email="c@example.org").exists()

    def test_tampered_link_is_refused(self, db):
        with pytest.raises(ValidationError, match="not valid"):
            services.invitation_from_token("not-a-token")

    def test_only_the_liaison_may_invite(self, school_a, liaison_a, school_b, liaison_b):
        colleague = SchoolMembershipFactory(school=school_a).user
        with pytest.raises(PermissionDenied):
            services.school_invitation_create(actor=colleague, school=school_a, email="x@e.org")
        with pytest.raises(PermissionDenied):
            services.school_invitation_create(actor=liaison_b, school=school_a, email="x@e.org")


@pytest.mark.django_db
class TestDeactivation:
    def test_liaison_deactivates_a_colleague(self, school_a, liaison_a):
        membership = SchoolMembershipFactory(school=school_a)

        services.school_staff_deactivate(actor=liaison_a, membership=membership)

        membership.refresh_from_db()
        membership.user.refresh_from_db()
        assert not membership.is_active and membership.deactivated_at
        assert not membership.user.is_active
        assert AuditEvent.objects.filter(action="school.staff_deactivate").exists()

    def test_another_schools_liaison_cannot_deactivate(self, school_a, liaison_b):
        membership = SchoolMembershipFactory(school=school_a)
        with pytest.raises(PermissionDenied):
            services.school_staff_deactivate(actor=liaison_b, membership=membership)
        membership.refresh_from_db()
        assert membership.is_active

    def test_liaison_cannot_deactivate_themselves(self, school_a, liaison_a):
        with pytest.raises(ValidationError):
            services.school_staff_deactivate(
                actor=liaison_a, membership=liaison_a.school_membership
            )

    def test_one_liaison_per_school_in_the_database(self, school_a, liaison_a):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            SchoolMembershipFactory(school=school_a, is_liaison=True)


@pytest.mark.django_db
class TestGroupRules:
    def schools(self, n):
        return [SchoolFactory() for _ in range(n)]

    def test_cluster_with_two_members_is_fine_and_a_third_is_refused(self, center_user):
        lead, a, b, c = self.schools(4)
        group = services.school_group_create(
            actor=center_user,
            kind=GroupKind.CLUSTER,
            name="西湖片区",
            lead_school=lead,
            members=[(a, MemberRole.MEMBER), (b, MemberRole.MEMBER)],
        )

        with pytest.raises(ValidationError, match="at most 2"):
            services.school_group_member_add(actor=center_user, group=group, school=c)
        assert group.members.count() == 2

    def test_cluster_limit_follows_policy_settings(self, center_user):
        policy_settings_update(actor=center_user, max_cluster_members=3)
        lead, *members = self.schools(4)
        group = services.school_group_create(
            actor=center_user,
            kind=GroupKind.CLUSTER,
            name="g",
            lead_school=lead,
            members=[(m, MemberRole.MEMBER) for m in members],
        )
        assert group.members.count() == 3

    def test_entrusted_needs_exactly_one_entrusted_school(self, center_user):
        trustee, a, b = self.schools(3)
        with pytest.raises(ValidationError, match="exactly one"):
            services.school_group_create(
                actor=center_user,
                kind=GroupKind.ENTRUSTED,
                name="委托",
                lead_school=trustee,
                members=[(a, MemberRole.ENTRUSTED), (b, MemberRole.ENTRUSTED)],
            )
        assert not SchoolGroup.objects.exists()
        group = services.school_group_create(
            actor=center_user,
            kind=GroupKind.ENTRUSTED,
            name="委托",
            lead_school=trustee,
            members=[(a, MemberRole.ENTRUSTED)],
        )
        with pytest.raises(ValidationError):
            services.school_group_member_add(
                actor=center_user, group=group, school=b, role=MemberRole.ENTRUSTED
            )

    def test_cooperative_has_no_limit(self, center_user):
        lead, *members = self.schools(8)
        group = services.school_group_create(
            actor=center_user,
            kind=GroupKind.COOPERATIVE,
            name="1+N",
            lead_school=lead,
            members=[(m, MemberRole.MEMBER) for m in members],
        )
        assert group.members.count() == 7

    @pytest.mark.parametrize("kind", [GroupKind.TIGHT, GroupKind.CLUSTER])
    def test_a_school_appears_once_and_the_lead_counts(self, center_user, kind):
        lead, a = self.schools(2)
        for members in ([(a, "member"), (a, "member")], [(lead, "member")]):
            with pytest.raises(ValidationError, match="only once"):
                services.school_group_create(
                    actor=center_user, kind=kind, name="g", lead_school=lead, members=members
                )
        assert not SchoolGroup.objects.exists()

    def test_entrusted_role_only_in_entrusted_groups(self, center_user):
        lead, a = self.schools(2)
        with pytest.raises(ValidationError):
            services.school_group_create(
                actor=center_user,
                kind=GroupKind.TIGHT,
                name="g",
                lead_school=lead,
                members=[(a, MemberRole.ENTRUSTED)],
            )


@pytest.mark.django_db
class TestPartnerSchools:
    def test_liaison_adds_and_other_school_cannot_edit(self, school_a, liaison_a, liaison_b):
        from datetime import date

        partner = services.partner_school_save(
            actor=liaison_a,
            school=school_a,
            name="Leeds Grammar",
            country="GB",
            city="Leeds",
            since=date(2015, 9, 1),
        )
        assert partner.school == school_a

        with pytest.raises(PermissionDenied):
            services.partner_school_save(
                actor=liaison_b,
                school=school_a,
                partner=partner,
                name="X",
                country="GB",
                city="Y",
                since=date(2015, 9, 1),
            )
        assert SchoolMembership.objects.count() == 2


@pytest.mark.django_db
def test_personal_data_export_and_erase(school_a, liaison_a):
    from apps.core.personal_data import personal_data_erase, personal_data_export

    export = personal_data_export(liaison_a)
    assert export.sections["school_staff"]["membership"]["is_liaison"] is True

    personal_data_erase(liaison_a)
    assert not SchoolMembership.objects.filter(user=liaison_a).exists()
    assert School.objects.filter(pk=school_a.pk).exists()


@pytest.mark.django_db
class TestLiaisonTransfer:
    def test_liaison_hands_over_to_a_colleague(self, school_a, liaison_a):
        colleague = SchoolMembershipFactory(school=school_a)

        services.school_liaison_transfer(actor=liaison_a, membership=colleague)

        colleague.refresh_from_db()
        assert colleague.is_liaison
        assert not SchoolMembership.objects.get(user=liaison_a).is_liaison
        assert Notification.objects.filter(kind="school.liaison", recipient=colleague.user).exists()
        assert AuditEvent.objects.filter(action="school.liaison_transfer").exists()

    def test_center_staff_may_set_the_liaison_but_other_staff_may_not(
        self, school_a, liaison_a, liaison_b, center_user
    ):
        colleague = SchoolMembershipFactory(school=school_a)
        with pytest.raises(PermissionDenied):
            services.school_liaison_transfer(actor=liaison_b, membership=colleague)
        with pytest.raises(PermissionDenied):
            services.school_liaison_transfer(actor=colleague.user, membership=colleague)

        services.school_liaison_transfer(actor=center_user, membership=colleague)
        assert SchoolMembership.objects.filter(school=school_a, is_liaison=True).count() == 1
