import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import Role, User


def _signup(client, language="en", **overrides):
    data = {
        "email": "new.teacher@example.org",
        "password1": "a-long-unique-passphrase",
        "password2": "a-long-unique-passphrase",
    } | overrides
    with translation.override(language):
        url = reverse("account_signup")
    return client.post(url, data)


def test_signup_creates_an_unverified_teacher_and_emails_a_link(client, db):
    response = _signup(client)

    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@example.org")
    assert user.role == Role.TEACHER
    assert user.language == "en"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert re.search(r"/en/accounts/confirm-email/\S+/", mail.outbox[0].body)


def test_signup_in_chinese_remembers_chinese_and_mails_in_chinese(client, db):
    _signup(client, language="zh-hans")

    user = User.objects.get(email="new.teacher@example.org")
    assert user.language == "zh-hans"
    assert re.search(r"[\u4e00-\u9fff]", mail.outbox[0].subject + mail.outbox[0].body)


def test_signup_cannot_choose_another_role(client, db):
    _signup(client, role=Role.CENTER_STAFF, is_staff="on")

    user = User.objects.get(email="new.teacher@example.org")
    assert user.role == Role.TEACHER
    assert not user.is_staff


def test_unverified_teacher_cannot_log_in(client, db):
    _signup(client)
    client.logout()

    response = client.post(
        reverse("account_login"),
        {"login": "new.teacher@example.org", "password": "a-long-unique-passphrase"},
    )

    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_bad_signup_keeps_the_email_and_explains(client, db):
    response = _signup(client, password2="something-else-entirely")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="new.teacher@example.org"' in page
    assert "You must type the same password each time." in page
    assert not User.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_password_reset_mail_is_sent(client, teacher_user, language):
    with translation.override(language):
        url = reverse("account_reset_password")

    response = client.post(url, {"email": teacher_user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_email_confirmation_lets_the_teacher_log_in(client, db):
    _signup(client)
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]

    client.post(path)
    response = client.post(
        reverse("account_login"),
        {"login": "new.teacher@example.org", "password": "a-long-unique-passphrase"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"
