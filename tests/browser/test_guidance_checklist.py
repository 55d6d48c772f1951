"""A school records a teacher's arrival and sees the 24-hour, 15-day and 30-day steps."""

from datetime import timedelta

from django.utils import timezone

from tests.browser.helpers import log_in_as
from tests.evaluations.factories import make_employment
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory
from tests.teachers.factories import TeacherFactory


def test_school_records_arrival_and_sees_the_clocks(live_server, page):
    school = SchoolFactory(name_en="Binjiang No. 2 Primary", name_zh_hans="滨江第二小学")
    liaison = SchoolMembershipFactory(
        school=school, is_liaison=True, user__email="binjiang@example.org", user__language="en"
    ).user
    teacher = TeacherFactory(legal_name="Maria Lopez")
    today = timezone.localdate()
    employment = make_employment(
        school, teacher=teacher, start=today - timedelta(days=3), end=today + timedelta(days=360)
    )
    arrival = today - timedelta(days=1)

    log_in_as(page, live_server.url, liaison)
    page.goto(f"{live_server.url}/en/employment/school/{employment.code}/")
    page.locator("#id_kind").select_option("arrival")
    page.locator("#id_effective_on").fill(arrival.isoformat())
    page.locator("#id_arrival_time").fill("21:15")
    page.get_by_role("button", name="Record").click()
    page.get_by_text("The change was recorded.").wait_for()

    panel = page.get_by_test_id("checklist-panel")
    accommodation = panel.get_by_test_id("panel-step-accommodation-registration")
    assert f"{today.isoformat()} 21:15" in accommodation.inner_text()
    card = panel.get_by_test_id("panel-step-work-permit-card")
    assert (arrival + timedelta(days=15)).isoformat() in card.inner_text()
    residence = panel.get_by_test_id("panel-step-residence-permit")
    assert (arrival + timedelta(days=30)).isoformat() in residence.inner_text()

    # The full checklist names the next step, its limit and the procedure page behind it.
    panel.get_by_test_id("checklist-link").click()
    page.get_by_test_id("checklist").wait_for()
    row = page.get_by_test_id("step-accommodation-registration")
    assert "within 24 hours of moving into the accommodation" in row.inner_text()
    assert f"{today.isoformat()} 21:15" in row.inner_text()
    assert (arrival + timedelta(days=30)).isoformat() in page.get_by_test_id(
        "step-residence-permit"
    ).inner_text()
    assert "Accommodation registration" in page.get_by_test_id("next-step").inner_text()
    page.get_by_test_id("step-residence-permit").get_by_role("link").first.click()
    page.get_by_test_id("materials").wait_for()
    assert "Health check report" in page.get_by_test_id("materials").inner_text()
