"""Pages fit the screen: a laptop (1366×768) and a phone (390×844), in both languages.

Screenshots land in $BROWSER_SCREENSHOT_DIR when it is set (else in the test's tmp_path), so a
person can look at them after a run.
"""

import os
from pathlib import Path

import pytest

from tests.browser.helpers import log_in_as

VIEWPORTS = {
    "laptop": {"width": 1366, "height": 768},
    "small-laptop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
LANGUAGES = ["en", "zh-hans"]
# Long addresses and no full name: the navbar then shows the email, the widest case.
TEACHER_EMAIL = "alexandra.montgomery-whitfield@example.org"
SCHOOL_EMAIL = "foreign-affairs.office@xihu-experimental-primary.example.org"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BROWSER_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser, viewport: str):
    context = browser.new_context(locale="en-GB", viewport=VIEWPORTS[viewport])
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _assert_fits(page) -> None:
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"


def _assert_user_menu_visible(page, viewport: str, email: str, shot: Path) -> None:
    menu = page.get_by_test_id("user-menu")
    if viewport == "phone":
        page.locator(".navbar-toggler").click()
        page.locator("#main-nav.collapse.show").wait_for()
    menu.wait_for(state="visible")
    box = menu.bounding_box()
    assert box is not None and box["x"] >= 0
    assert box["x"] + box["width"] <= page.evaluate("window.innerWidth")
    assert menu.get_attribute("title") == email
    # Who is signed in, in full, one click away.
    menu.click()
    shown = page.get_by_test_id("user-email")
    shown.wait_for(state="visible")
    assert shown.inner_text() == email
    page.screenshot(path=shot)
    menu.click()


def _check_signed_in_pages(browser, live_server, tmp_path, user, paths, name) -> None:
    for viewport in VIEWPORTS:
        for language in LANGUAGES:
            context, page = _open(browser, viewport)
            log_in_as(page, live_server.url, user)
            for path in paths:
                page.goto(f"{live_server.url}/{language}{path}")
                _assert_fits(page)
                slug = path.strip("/").replace("/", "-")
                shot = _shots(tmp_path) / f"{name}-{slug}-{language}-{viewport}.png"
                page.screenshot(path=shot)
                menu_shot = shot.with_name(f"{shot.stem}-menu.png")
                _assert_user_menu_visible(page, viewport, user.email, menu_shot)
                _assert_fits(page)
            context.close()


@pytest.fixture
def published_vacancies(school_a):
    from tests.vacancies.factories import VacancyFactory

    return [VacancyFactory(school=school_a) for _ in range(3)]


def test_teacher_pages_fit_a_laptop_and_a_phone(
    browser, live_server, tmp_path, published_vacancies
):
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory(user__email=TEACHER_EMAIL, user__full_name="")
    paths = ["/dashboard/", "/vacancies/", "/applications/mine/"]

    _check_signed_in_pages(browser, live_server, tmp_path, teacher.user, paths, "teacher")


def test_school_pages_fit_a_laptop_and_a_phone(browser, live_server, tmp_path, school_a):
    from tests.schools.factories import SchoolMembershipFactory

    user = SchoolMembershipFactory(
        school=school_a, is_liaison=True, user__email=SCHOOL_EMAIL, user__full_name=""
    ).user
    paths = ["/dashboard/", "/vacancies/school/", "/applications/school/"]

    _check_signed_in_pages(browser, live_server, tmp_path, user, paths, "school")


def test_less_used_links_wait_in_the_more_menu(browser, live_server, published_vacancies):
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory(user__email=TEACHER_EMAIL, user__full_name="")
    context, page = _open(browser, "laptop")
    log_in_as(page, live_server.url, teacher.user)
    page.goto(f"{live_server.url}/en/dashboard/")

    saved = page.locator("nav").get_by_role("link", name="Saved searches")
    assert page.locator("nav").get_by_role("link", name="My applications").is_visible()
    assert not saved.is_visible()
    page.get_by_test_id("more-menu").click()
    saved.click()
    page.wait_for_url("**/vacancies/saved/")
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_vacancy_search_shows_results_before_filters_on_a_phone(
    browser, live_server, tmp_path, published_vacancies, language
):
    heading = {"en": "Search filters", "zh-hans": "筛选条件"}[language]
    for viewport, size in VIEWPORTS.items():
        context, page = _open(browser, viewport)
        page.goto(f"{live_server.url}/{language}/vacancies/")
        _assert_fits(page)
        page.screenshot(path=_shots(tmp_path) / f"public-search-{language}-{viewport}.png")
        first_result = page.get_by_test_id("vacancy-card").first
        filters = page.get_by_test_id("search-form")

        if viewport == "phone":
            # The first result is on the first screen; the filters open on demand.
            assert first_result.bounding_box()["y"] < size["height"]
            assert not filters.is_visible()
            page.get_by_test_id("filters-toggle").click()
            page.get_by_role("heading", name=heading).wait_for(state="visible")
            filters.wait_for(state="visible")
            page.locator("#search-filters.show:not(.showing)").wait_for()
            page.screenshot(
                path=_shots(tmp_path) / f"public-search-{language}-{viewport}-filters.png"
            )
            filters.locator("button[type=submit]").click()
            page.wait_for_load_state()
            first_result.wait_for(state="visible")
        else:
            assert filters.is_visible()
            assert not page.get_by_test_id("filters-toggle").is_visible()
        context.close()


def test_favicon_is_served_and_linked(page, live_server, db):
    response = page.request.get(f"{live_server.url}/favicon.ico")
    page.goto(f"{live_server.url}/en/")
    icon = page.locator("link[rel=icon]").first.get_attribute("href")
    linked = page.request.get(f"{live_server.url}{icon}")

    assert response.status == 200
    assert response.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert response.body()[:4] == b"\x00\x00\x01\x00"
    assert linked.status == 200
