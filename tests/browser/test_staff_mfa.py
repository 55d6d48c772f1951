"""A new center account enrols an authenticator, then signs in to admin with its code."""

import re

from allauth.mfa.models import Authenticator

from apps.accounts.mfa import totp_code_now
from tests.accounts.factories import PASSWORD, CenterStaffUserFactory
from tests.browser.helpers import log_in


def test_new_center_account_enrols_then_admin_login_asks_for_the_code(live_server, page):
    base = live_server.url
    CenterStaffUserFactory(email="clerk@example.org", totp=False)

    # The admin's login is the portal's; a first sign-in leads to enrolment, not to admin.
    page.goto(f"{base}/zh-hans/admin/")
    page.wait_for_url(re.compile(r"/zh-hans/accounts/login/\?next="))
    page.locator("#id_login").fill("clerk@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code_now(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/2fa/recovery-codes/"))
    assert Authenticator.objects.filter(user__email="clerk@example.org", type="totp").exists()
    page.goto(f"{base}/zh-hans/admin/")
    page.locator("#site-name").wait_for()

    # Next time the password alone is not enough: the code is asked, then admin opens.
    log_in(page, base, "clerk@example.org", "zh-hans", totp_secret=secret)
    page.goto(f"{base}/zh-hans/admin/")
    page.locator("#site-name").wait_for()
