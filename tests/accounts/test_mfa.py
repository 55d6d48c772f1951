"""Center staff and superusers pass two-factor authentication before any admin or center page."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.accounts.mfa import totp_code_now
from apps.accounts.seed import DEMO_TOTP_SECRET
from tests.accounts.factories import (
    PASSWORD,
    TOTP_SECRET,
    CenterStaffUserFactory,
)

ADMIN_LOGIN = "/en/admin/login/"
ADMIN_INDEX = "/en/admin/"
PASSPORTS = "/en/admin/teachers/teacher/"


@pytest.fixture
def frozen_clock():
    """One TOTP time step for the whole test, so a computed code cannot expire mid-test."""
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def login_url_with_next(response) -> tuple[str, str]:
    location = urlsplit(response["Location"])
    return location.path, parse_qs(location.query).get("next", [""])[0]


def password_step(client, email, password=PASSWORD, next_url=ADMIN_INDEX):
    return client.post(
        f"{reverse('account_login')}?next={next_url}", {"login": email, "password": password}
    )


# --- The admin's own login is gone: every way in is allauth's -----------------------------


def test_admin_login_post_with_the_right_password_does_not_sign_in(client, center_user):
    response = client.post(
        f"{ADMIN_LOGIN}?next={PASSPORTS}",
        {"username": center_user.email, "password": PASSWORD, "next": PASSPORTS},
    )

    assert response.status_code == 302
    assert login_url_with_next(response) == (reverse("account_login"), PASSPORTS)
    assert signed_in_user_id(client) is None
    assert client.get(PASSPORTS).status_code == 302


def test_admin_pages_send_anonymous_visitors_to_allauth_with_next(client, db):
    response = client.get(PASSPORTS, follow=True)

    assert (
        response.redirect_chain[-1][0]
        == f"{reverse('account_login')}?next=%2Fen%2Fadmin%2Fteachers%2Fteacher%2F"
    )
    assert response.status_code == 200


def test_admin_login_drops_a_next_pointing_elsewhere(client, db):
    response = client.get(ADMIN_LOGIN, {"next": "https://evil.example.org/"})

    assert login_url_with_next(response) == (reverse("account_login"), ADMIN_INDEX)


def test_admin_login_refuses_a_signed_in_teacher_instead_of_looping(client, teacher_user):
    client.force_login(teacher_user)

    assert client.get(ADMIN_LOGIN, {"next": ADMIN_INDEX}).status_code == 403


def test_admin_logout_signs_out_through_allauth(client, center_user):
    client.force_login(center_user)

    response = client.post("/en/admin/logout/")

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_enrolled_center_user_must_enter_the_code(client, center_user, frozen_clock):
    response = password_step(client, center_user.email)

    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert signed_in_user_id(client) is None
    assert client.get(PASSPORTS).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert signed_in_user_id(client) is None

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code_now(TOTP_SECRET)})

    assert response.status_code == 302
    assert response["Location"] == ADMIN_INDEX
    assert signed_in_user_id(client) == str(center_user.pk)
    assert client.get(ADMIN_INDEX).status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_are_refused_on_the_admin_path(
    client, center_user
):
    login_url = client.get(ADMIN_LOGIN, {"next": ADMIN_INDEX})["Location"]
    for _attempt in range(30):
        client.post(login_url, {"login": center_user.email, "password": "wrong-password"})

    response = client.post(login_url, {"login": center_user.email, "password": PASSWORD})

    assert response.status_code in (200, 429)
    assert not response.get("Location", "").startswith(reverse("mfa_authenticate"))
    assert signed_in_user_id(client) is None
    assert client.get(ADMIN_INDEX).status_code == 302


def test_a_few_wrong_passwords_then_the_right_one_still_reach_the_code_step(client, center_user):
    for _attempt in range(3):
        password_step(client, center_user.email, password="wrong-password")

    response = password_step(client, center_user.email)

    assert response["Location"].startswith(reverse("mfa_authenticate"))


# --- Enrolled staff whose session skipped the code ----------------------------------------


def test_enrolled_staff_session_without_the_code_is_signed_out(client, center_user):
    client.force_login(center_user)
    session = client.session
    del session[AUTHENTICATION_METHODS_SESSION_KEY]
    session.save()

    response = client.get(PASSPORTS)

    assert login_url_with_next(response) == (reverse("account_login"), PASSPORTS)
    assert signed_in_user_id(client) is None


def test_enrolled_staff_session_with_only_a_password_step_is_refused(client, center_user):
    client.force_login(center_user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        record
        for record in session[AUTHENTICATION_METHODS_SESSION_KEY]
        if record["method"] == "password"
    ]
    session.save()

    assert client.get(reverse("dashboards:center")).status_code == 302
    assert signed_in_user_id(client) is None


def test_enrolled_staff_without_the_code_cannot_reach_the_authenticator_settings(
    client, center_user
):
    client.force_login(center_user)
    session = client.session
    del session[AUTHENTICATION_METHODS_SESSION_KEY]
    session.save()

    client.post(reverse("mfa_deactivate_totp"))

    assert Authenticator.objects.filter(user=center_user, type="totp").exists()
    assert signed_in_user_id(client) is None


def test_center_staff_cannot_turn_two_factor_off(client, center_user):
    client.force_login(center_user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert "cannot turn off two-factor" in response.content.decode()
    assert Authenticator.objects.filter(user=center_user, type="totp").exists()


# --- Not enrolled yet: the enrolment page first -------------------------------------------


@pytest.fixture
def unenrolled_center_user(db):
    return CenterStaffUserFactory(email="new.clerk@example.org", totp=False)


@pytest.mark.parametrize("url", [ADMIN_INDEX, PASSPORTS, "/en/dashboard/center/", "/en/dashboard/"])
def test_unenrolled_center_user_is_sent_to_enrolment(client, unenrolled_center_user, url):
    client.force_login(unenrolled_center_user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_unenrolled_superuser_is_sent_to_enrolment(client, django_user_model):
    boss = django_user_model.objects.create_superuser(email="root@example.org", password=PASSWORD)
    client.force_login(boss)

    assert client.get(ADMIN_INDEX)["Location"] == reverse("mfa_activate_totp")


def test_new_center_user_signs_in_enrols_and_reaches_admin(
    client, unenrolled_center_user, frozen_clock, django_capture_on_commit_callbacks
):
    response = password_step(client, unenrolled_center_user.email, next_url=PASSPORTS)
    assert signed_in_user_id(client) == str(unenrolled_center_user.pk)
    assert client.get(PASSPORTS)["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password again before an authenticator is added.
    reauthenticate = client.get(reverse("mfa_activate_totp"))["Location"]
    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    assert client.get(reauthenticate).status_code == 200
    client.post(reauthenticate, {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code_now(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=unenrolled_center_user, type="totp").exists()
    # The code typed at enrolment counts as this session's second factor.
    assert client.get(ADMIN_INDEX).status_code == 200
    assert client.get(reverse("dashboards:center")).status_code == 200


def test_unenrolled_staff_may_still_sign_out(client, unenrolled_center_user):
    client.force_login(unenrolled_center_user)

    client.post(reverse("account_logout"))

    assert signed_in_user_id(client) is None


# --- Everyone else is unaffected ----------------------------------------------------------


def test_teachers_and_school_staff_sign_in_without_a_second_factor(
    client, teacher_user, school_user
):
    for user in (teacher_user, school_user):
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        assert not response["Location"].startswith(reverse("mfa_authenticate"))
        assert signed_in_user_id(client) == str(user.pk)
        page = client.get(reverse("dashboards:home"), follow=True)
        assert page.status_code == 200
        assert all(reverse("mfa_activate_totp") not in url for url, _ in page.redirect_chain)


# --- The demo keeps working for a newcomer -------------------------------------------------


def test_seeded_demo_center_account_is_enrolled_with_the_printed_secret(db):
    from io import StringIO

    from apps.accounts.seed import seed
    from apps.core.seeding import Scale, SeedContext

    context = SeedContext(scale=Scale.SMALL, seed=1, stdout=StringIO())
    seed(context)
    seed(context)  # idempotent

    center = Authenticator.objects.get(user__email="center@demo.hz-waijiao.cn", type="totp")
    assert Authenticator.objects.filter(user=center.user).count() == 1
    notes = "\n".join(context.notes)
    assert DEMO_TOTP_SECRET in notes
    assert "otpauth://totp/" in notes
    assert "manage.py demo_totp_code center@demo.hz-waijiao.cn" in notes


def test_demo_totp_code_prints_a_code_the_login_accepts(client, db, frozen_clock):
    from io import StringIO

    from apps.accounts.seed import seed
    from apps.core.seeding import DEMO_PASSWORD, Scale, SeedContext

    seed(SeedContext(scale=Scale.SMALL, seed=1, stdout=StringIO()))
    out = StringIO()
    call_command("demo_totp_code", "center@demo.hz-waijiao.cn", stdout=out)
    code = out.getvalue().strip()

    password_step(client, "center@demo.hz-waijiao.cn", password=DEMO_PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": code})

    assert client.get(ADMIN_INDEX).status_code == 200


def test_demo_totp_code_refuses_real_accounts(center_user):
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp_code", center_user.email)
