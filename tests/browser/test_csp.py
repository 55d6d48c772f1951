"""Real pages run under the Content-Security-Policy: the browser refuses nothing they need."""

import re

from django.contrib.auth.models import Group
from django.urls import reverse

from apps.reports.models import BuildStatus, ReportBuild
from tests.accounts.factories import PASSWORD, CenterStaffUserFactory
from tests.browser.helpers import log_in_as
from tests.security.objects import build_world
from tests.teachers.factories import TeacherFactory

# The bar's drawn width matches its data-percent (Bootstrap animates the width, so wait).
BAR_MATCHES_PERCENT = """(bar) => {
  const ratio = bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width;
  return Math.abs(ratio - Number(bar.dataset.percent) / 100) < 0.02;
}"""
NEXT_HTMX_SWAP = """() => new Promise((settled) =>
  document.body.addEventListener("htmx:afterSettle", () => settled(true), {once: true}))"""


def _watch(page) -> list[str]:
    """Collect every CSP refusal the browser logs, and every uncaught script error."""
    problems: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def _assert_bar_drawn(page, selector: str) -> None:
    bar = page.locator(selector).first
    bar.wait_for()
    percent = int(bar.get_attribute("data-percent"))
    assert 0 < percent < 100, f"pick a page whose bar is part-full, not {percent}%"
    page.wait_for_function(BAR_MATCHES_PERCENT, arg=bar.element_handle())


def test_pages_of_every_role_run_without_a_policy_violation(live_server, page):
    base = live_server.url
    actors, objects = build_world()
    problems = _watch(page)

    # Anonymous: the public pages and the partner API's documentation (vendored assets only).
    page.goto(f"{base}{reverse('home')}")
    page.goto(f"{base}{reverse('vacancies:search')}")
    page.locator("main").wait_for()
    page.goto(f"{base}{reverse('exchange_api:docs')}")
    page.locator(".swagger-ui .opblock").first.wait_for()  # the schema was fetched and drawn

    # A teacher half-way through the profile: the dashboard's bar shows the share done.
    teacher = TeacherFactory(user__email="csp.teacher@example.org")
    log_in_as(page, base, teacher.user)
    page.goto(f"{base}{reverse('dashboards:teacher')}")
    _assert_bar_drawn(page, ".progress-bar[data-percent]")

    log_in_as(page, base, actors["school_a"])
    page.goto(f"{base}{reverse('dashboards:school')}")
    page.locator("main h1").first.wait_for()

    # The bureau: Chart.js draws each chart; a report being built polls its bar through htmx.
    log_in_as(page, base, actors["bureau_d1"])
    page.goto(f"{base}{reverse('dashboards:bureau')}")
    canvases = page.locator("canvas[data-chart]")
    canvases.first.wait_for()
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".map((canvas) => Boolean(window.Chart.getChart(canvas)) && canvas.height > 0)"
    )
    assert drawn and all(drawn), drawn
    building = ReportBuild.objects.create(
        year=2024,
        district=objects["report_xihu"].district,
        status=BuildStatus.RUNNING,
        progress=2,
        progress_total=5,
        fingerprint="csp",
    )
    page.goto(f"{base}{reverse('reports:build', args=[building.code])}")
    _assert_bar_drawn(page, "[data-testid=report-build] .progress-bar")
    assert page.evaluate(NEXT_HTMX_SWAP)
    _assert_bar_drawn(page, "[data-testid=report-build] .progress-bar")

    # The center: its dashboard and the admin (a changelist, and a form with date widgets and
    # autocomplete selects, whose scripts build their own markup).
    actors["center"].groups.add(Group.objects.get(name="Center staff"))
    log_in_as(page, base, actors["center"])
    page.goto(f"{base}{reverse('dashboards:center')}")
    page.locator("main h1").first.wait_for()
    page.goto(f"{base}{reverse('admin:credit_creditrecord_changelist')}")
    page.locator("#result_list").wait_for()
    page.goto(f"{base}{reverse('admin:credit_creditrecord_add')}")
    page.locator(".datetimeshortcuts").first.wait_for()
    page.locator(".select2-selection").first.click()
    page.locator(".select2-results__option").first.wait_for()
    page.locator(".datetimeshortcuts a").first.click()

    # A new center account enrols its authenticator: the QR code is a data: image.
    clerk = CenterStaffUserFactory(email="csp.clerk@example.org", totp=False)
    log_in_as(page, base, clerk)
    page.goto(f"{base}{reverse('mfa_activate_totp')}")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/2fa/totp/activate/"))
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    qr_code.wait_for()
    assert qr_code.evaluate("(img) => img.complete && img.naturalWidth > 0")

    assert not problems, "\n".join(problems)
