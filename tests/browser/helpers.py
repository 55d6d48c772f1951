"""Steps the browser tests share."""

import re

from tests.accounts.factories import PASSWORD


def log_in(page, base_url: str, email: str, language: str = "en", password: str = PASSWORD) -> None:
    """Sign in as a fresh session (signing out whoever was in) and wait for the dashboard."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/{language}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/dashboard/"))
