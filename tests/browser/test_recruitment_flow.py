from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import BureauMembership
from apps.core.models import Subject
from apps.employment.models import Employment
from tests.accounts.factories import BureauViewerUserFactory
from tests.browser.helpers import log_in
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory
from tests.teachers.factories import make_eligible_teacher
from tests.vacancies.factories import VacancyFactory


def test_teacher_applies_school_interviews_offers_and_hires(live_server, page):
    school = SchoolFactory(name_en="Xihu Experimental Primary", name_zh_hans="西湖实验小学")
    liaison = SchoolMembershipFactory(
        school=school, is_liaison=True, user__email="lead@example.org", user__language="en"
    ).user
    vacancy = VacancyFactory(
        school=school,
        title_en="Primary English teacher",
        subjects=[Subject.objects.get(code="english")],
        created_by=liaison,
    )
    teacher = make_eligible_teacher(legal_name="Emma Clarke", timezone="Europe/London")
    bureau = BureauViewerUserFactory(email="xihu.bureau@example.org")
    BureauMembership.objects.create(user=bureau, district=school.district)
    base = live_server.url

    # The teacher applies in English with a cover letter.
    log_in(page, base, teacher.user.email)
    page.goto(f"{base}/en/vacancies/{vacancy.code}/")
    page.get_by_label("Cover letter (optional)").fill("I have taught primary English for years.")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.get_by_text("Your application was sent to the school.").wait_for()
    application_url = page.url

    # The school shortlists and proposes an interview time.
    log_in(page, base, liaison.email)
    page.goto(f"{base}/en/applications/school/")
    page.get_by_role("link", name="Primary English teacher").click()
    page.get_by_role("link", name="Emma Clarke").click()
    page.get_by_role("button", name="Shortlist").click()
    page.get_by_text("Shortlisted; the teacher was told.").wait_for()
    assert teacher.user.email in page.get_by_test_id("contact").inner_text()
    page.get_by_text("Propose interview times").click()
    # The form takes Asia/Shanghai times: count days from the Shanghai date.
    when = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Mode").select_option("video")
    page.get_by_label("Place or video link").fill("https://meet.example.org/emma")
    page.get_by_label("Time 1 (Asia/Shanghai)").fill(f"{when.isoformat()}T16:00")
    page.get_by_role("button", name="Send to the teacher").click()
    page.get_by_text("Interview times sent to the teacher.").wait_for()

    # The teacher sees the time in London and in Shanghai and picks it.
    log_in(page, base, teacher.user.email)
    page.goto(application_url)
    interview = page.get_by_test_id("interview").inner_text()
    assert f"{when.isoformat()} 16:00 (Asia/Shanghai)" in interview
    assert "(Europe/London)" in interview
    page.get_by_role("button", name="Choose this time").click()
    page.get_by_text("Interview time chosen; the school was told.").wait_for()

    # The school makes an offer.
    log_in(page, base, liaison.email)
    page.goto(f"{base}/en/applications/school/")
    page.get_by_role("link", name="Primary English teacher").click()
    page.get_by_role("link", name="Emma Clarke").click()
    page.get_by_text("Make an offer").click()
    page.get_by_label("Salary (CNY/month)").fill("19000")
    page.get_by_label("Reply by").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Send the offer").click()
    page.get_by_text("Offer sent to the teacher.").wait_for()

    # The teacher accepts.
    log_in(page, base, teacher.user.email)
    page.goto(application_url)
    assert "19000" in page.get_by_test_id("offer").inner_text()
    page.get_by_role("button", name="Accept the offer").click()
    page.get_by_text("You accepted the offer; the school confirms it.").wait_for()

    # The school confirms the hire: the employment is in the register.
    log_in(page, base, liaison.email)
    page.goto(f"{base}/en/applications/school/")
    page.get_by_role("link", name="Primary English teacher").click()
    page.get_by_role("link", name="Emma Clarke").click()
    page.get_by_role("link", name="Confirm the hire").click()
    page.get_by_role("button", name="Confirm the hire").click()
    page.get_by_text("Hire confirmed: the teacher is in the register.").wait_for()
    employment = Employment.objects.get()
    assert employment.salary == 19000
    page.goto(f"{base}/en/employment/school/")
    assert "Emma Clarke" in page.get_by_test_id("employment-row").inner_text()
    page.goto(f"{base}/en/dashboard/school/")
    assert page.get_by_test_id("recruitment").get_by_text("Foreign teachers employed").is_visible()

    # The teacher and the district bureau see it too.
    log_in(page, base, teacher.user.email)
    page.goto(f"{base}/en/dashboard/teacher/")
    assert "Xihu Experimental Primary" in page.get_by_test_id("my-employment").inner_text()
    page.goto(f"{base}/en/employment/mine/")
    assert "Xihu Experimental Primary" in page.get_by_test_id("employment-row").inner_text()
    log_in(page, base, bureau.email)
    page.goto(f"{base}/en/employment/bureau/")
    assert "Emma Clarke" in page.get_by_test_id("employment-row").inner_text()
