"""Steps the browser tests share."""

import re
import time

from apps.accounts.mfa import totp_code_now
from tests.accounts.factories import PASSWORD, TOTP_SECRET

# allauth refuses a TOTP code used twice within its time step.
_codes_used: set[tuple[str, str]] = set()


def fresh_totp_code(email: str, secret: str = TOTP_SECRET) -> str:
    """The authenticator app's code, waiting for the next one if it is about to change or used."""
    while True:
        seconds_left = 30 - time.time() % 30
        code = totp_code_now(secret)
        if seconds_left > 3 and (email, code) not in _codes_used:
            _codes_used.add((email, code))
            return code
        time.sleep(seconds_left + 0.2)


def log_in(
    page,
    base_url: str,
    email: str,
    language: str = "en",
    password: str = PASSWORD,
    totp_secret: str = TOTP_SECRET,
) -> None:
    """Sign in as a fresh session (signing out whoever was in) and wait for the dashboard.

    Center staff are asked for their authenticator code next; factory-made ones hold
    `totp_secret`, so the code is computed here as their phone would show it.
    """
    page.context.clear_cookies()
    page.goto(f"{base_url}/{language}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/dashboard/|/2fa/authenticate/"))
    if "/2fa/authenticate/" in page.url:
        page.locator("#id_code").fill(fresh_totp_code(email, totp_secret))
        page.locator("form[action*='/2fa/authenticate/'] button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/dashboard/"))


def log_in_as(page, base_url: str, user) -> None:
    """Open a signed-in session for user without the login form (MFA recorded as passed)."""
    from urllib.parse import urlparse

    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": urlparse(base_url).hostname,
                "path": "/",
            }
        ]
    )
