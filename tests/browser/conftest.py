"""Headless Debian Chromium driven by Playwright (never `playwright install`: no downloads)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser(live_server):
    """Start Playwright for one test, after its database is ready.

    Playwright's sync API keeps an asyncio loop running in this thread, and while one runs
    Django hands out per-context database connections. Started once per session it would
    run before a test's database set-up, which then restores the migrated data through a
    connection that has no snapshot; so it lives and dies with each test.
    """
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the README's system packages.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        from django.db import connections

        # Connections opened inside the loop's context would outlive the test otherwise.
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
