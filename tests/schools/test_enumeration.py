"""Registration and invitations never tell anyone whether an email address has an account."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import User
from apps.schools import services
from apps.schools.models import PendingSchoolRegistration, School, SchoolInvitation
from tests.accounts.factories import SchoolStaffUserFactory, TeacherUserFactory
from tests.schools.factories import invitation_token_in
from tests.schools.test_views import registration_data


def zh(name, *args):
    with translation.override("zh-hans"):
        return reverse(name, args=args)


def register(client, **overrides):
    return client.post(zh("schools:register"), registration_data(**overrides))


def visible_answer(client, response) -> tuple[int, str, str]:
    """What the person registering sees: the status, where it goes and the page shown there."""
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return response.status_code, response.get("Location", ""), page


@pytest.mark.django_db
class TestRegistrationWithAnExistingAddress:
    def test_the_answer_is_the_same_as_for_a_new_address(self, client, settings):
        settings.ACCOUNT_RATE_LIMITS = {"school_register": "100/h/ip"}
        TeacherUserFactory(email="taken@example.org")

        new = visible_answer(client, register(client, liaison_email="fresh@example.org"))
        client.cookies.clear()
        existing = visible_answer(
            client,
            register(
                client, liaison_email="Taken@Example.org", licence_number="教民133010670000002"
            ),
        )

        assert new == existing
        assert new[0] == 302 and "杭州市文新小学" in new[2]
        assert "already exists" not in existing[2] and "已存在" not in existing[2]

    def test_nothing_is_created_and_the_owner_is_told_in_their_language(
        self, client, django_capture_on_commit_callbacks
    ):
        owner = SchoolStaffUserFactory(email="taken@example.org", language="zh-hans")

        with django_capture_on_commit_callbacks(execute=True):
            register(client, liaison_email="taken@example.org")

        assert School.objects.count() == 0
        assert not PendingSchoolRegistration.objects.exists()
        assert User.objects.filter(email="taken@example.org").get() == owner
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["taken@example.org"]
        assert "杭州市文新小学" in message.body
        assert "已有账户" in message.body  # Chinese, the owner's language, not the page's
        assert "有人尝试用您的邮箱地址注册学校" in message.subject
        assert "/zh-hans/accounts/password/reset/" in message.body
        assert "confirm-email" not in message.body

    def test_an_english_owner_is_told_in_english(self, client, django_capture_on_commit_callbacks):
        TeacherUserFactory(email="emma@example.org", language="en")

        with django_capture_on_commit_callbacks(execute=True):
            register(client, liaison_email="emma@example.org")

        assert "already has an account" in mail.outbox[0].body
        assert "/en/accounts/password/reset/" in mail.outbox[0].body
        assert "tried to register a school with your address" in mail.outbox[0].subject

    def test_a_weak_password_is_refused_for_an_existing_address_too(self, client):
        TeacherUserFactory(email="taken@example.org")

        response = register(
            client, liaison_email="taken@example.org", liaison_password="1", liaison_password2="1"
        )

        assert response.status_code == 200
        assert response.context["form"].errors["liaison_password"]


@pytest.mark.django_db
class TestLicenceNumberSideChannel:
    """Registering licence L with address E, then L with another address, must not tell E apart."""

    LICENCE = "教民133010670000009"

    def probe(self, client, email):
        answers = []
        for address in (email, "prober@example.org"):
            answers.append(
                visible_answer(
                    client, register(client, liaison_email=address, licence_number=self.LICENCE)
                )
            )
            client.cookies.clear()
        return answers

    def test_the_two_probe_attack_gives_the_same_answers_for_a_new_and_an_existing_address(
        self, client, settings
    ):
        settings.ACCOUNT_RATE_LIMITS = {"school_register": "100/h/ip"}

        with_new = self.probe(client, "fresh@example.org")
        # The same probe against a fresh state in which the address has an account.
        PendingSchoolRegistration.objects.all().delete()
        TeacherUserFactory(email="taken@example.org")
        with_existing = self.probe(client, "taken@example.org")

        assert with_new == with_existing
        for status, location, page in with_new:
            assert status == 302 and location == zh("schools:registered")
            assert self.LICENCE not in page and "已被注册" not in page
        # An unconfirmed registration reserves nothing.
        assert not School.objects.exists()

    def test_a_registered_licence_is_not_told_on_the_registration_page(self, client, settings):
        settings.ACCOUNT_RATE_LIMITS = {"school_register": "100/h/ip"}
        register(client, liaison_email="first@example.org", licence_number=self.LICENCE)
        pending = PendingSchoolRegistration.objects.get()
        services.school_registration_confirm(token=services.registration_token(pending))
        client.cookies.clear()

        taken = visible_answer(
            client,
            register(client, liaison_email="second@example.org", licence_number=self.LICENCE),
        )
        client.cookies.clear()
        free = visible_answer(
            client, register(client, liaison_email="third@example.org", licence_number="FREE-1")
        )

        assert taken == free


@pytest.mark.django_db
class TestRegistrationRateLimit:
    def test_registrations_per_address_are_limited_and_the_form_keeps_the_input(
        self, client, settings
    ):
        settings.ACCOUNT_RATE_LIMITS = {"school_register": "2/h/ip"}
        for n in range(2):
            response = register(
                client, liaison_email=f"l{n}@example.org", licence_number=f"LIC-{n}"
            )
            assert response.status_code == 302
            client.cookies.clear()

        response = register(client, liaison_email="l3@example.org", licence_number="LIC-3")

        assert response.status_code == 429
        content = response.content.decode()
        assert "注册次数过多" in content
        assert "杭州市文新小学" in content and "l3@example.org" in content
        assert not PendingSchoolRegistration.objects.filter(email="l3@example.org").exists()
        assert PendingSchoolRegistration.objects.count() == 2

    def test_another_address_is_not_limited(self, client, settings):
        settings.ACCOUNT_RATE_LIMITS = {"school_register": "1/h/ip"}
        register(client, liaison_email="l1@example.org", licence_number="LIC-1")
        client.cookies.clear()

        response = client.post(
            zh("schools:register"),
            registration_data(liaison_email="l2@example.org", licence_number="LIC-2"),
            REMOTE_ADDR="10.1.2.3",
        )

        assert response.status_code == 302


@pytest.mark.django_db
class TestInvitationOfAnExistingAddress:
    def test_the_liaison_sees_the_same_answer(self, client, liaison_a):
        TeacherUserFactory(email="taken@example.org")
        client.force_login(liaison_a)

        answers = []
        for email in ("fresh@example.org", "taken@example.org"):
            response = client.post(reverse("schools:staff_invite"), {"email": email})
            page = client.get(response["Location"]).content.decode().replace(email, "EMAIL")
            answers.append((response.status_code, response["Location"], "sent to EMAIL" in page))

        assert answers[0] == answers[1] == (302, reverse("dashboards:school"), True)
        assert SchoolInvitation.objects.filter(email="taken@example.org").exists()

    def test_the_owner_gets_a_notice_instead_of_a_link(
        self, school_a, liaison_a, django_capture_on_commit_callbacks
    ):
        TeacherUserFactory(email="taken@example.org", language="en")

        with django_capture_on_commit_callbacks(execute=True):
            services.school_invitation_create(
                actor=liaison_a, school=school_a, email="Taken@example.org"
            )

        assert len(mail.outbox) == 1
        body = mail.outbox[0].body
        assert mail.outbox[0].to == ["taken@example.org"]
        assert invitation_token_in(body) is None
        assert "already has an account" in body and str(school_a.name) in body

    def test_a_new_address_still_gets_the_link(
        self, school_a, liaison_a, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.school_invitation_create(
                actor=liaison_a, school=school_a, email="fresh@example.org"
            )

        token = invitation_token_in(mail.outbox[0].body)
        assert (
            services.school_invitation_accept(
                token=token, full_name="Fresh", password="a-long-unique-passphrase"
            ).email
            == "fresh@example.org"
        )
