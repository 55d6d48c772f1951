"""Issue 8 end to end: a city run, a pushed suggestion, a school's invitation, a one-click apply."""

from playwright.sync_api import expect

from apps.applications.models import Application, ApplicationStatus
from apps.core.models import Subject, TeachingLevel
from apps.matching import services
from apps.matching.models import MatchRun, Recommendation, RecommendationStatus, RunStatus
from tests.accounts.factories import CenterStaffUserFactory
from tests.browser.helpers import log_in
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory
from tests.teachers.factories import make_eligible_teacher
from tests.vacancies.factories import VacancyFactory


class _HeldTask:
    """Stands in for the Celery task so the run stays queued until the test executes it."""

    def __init__(self) -> None:
        self.run_ids: list[int] = []

    def delay_on_commit(self, run_id: int) -> None:
        self.run_ids.append(run_id)


def test_center_pushes_school_invites_teacher_applies(live_server, page, monkeypatch):
    school = SchoolFactory(name_en="Xihu Experimental Primary", name_zh_hans="西湖实验小学")
    liaison = SchoolMembershipFactory(
        school=school, is_liaison=True, user__email="lead@example.org", user__language="en"
    ).user
    vacancy = VacancyFactory(
        school=school,
        title_en="Grade 3 English",
        subjects=[Subject.objects.get(code="english")],
        levels=[TeachingLevel.objects.get(code="primary")],
        created_by=liaison,
    )
    teacher = make_eligible_teacher(legal_name="Emma Clarke")
    assert teacher.open_to_suggestions
    center = CenterStaffUserFactory(email="center@example.org", language="en")
    base = live_server.url

    # Center staff start a city-wide full run; the worker has not picked it up yet.
    held = _HeldTask()
    monkeypatch.setattr("apps.matching.tasks.execute_run", held)
    log_in(page, base, center.email)
    page.goto(f"{base}/en/matching/runs/new/")
    expect(page.get_by_label("District")).to_have_value("")
    page.get_by_label("Full run").check()
    page.get_by_role("button", name="Start the run").click()
    page.get_by_text("Matching run queued.").wait_for()
    run = MatchRun.objects.get()
    assert run.district is None
    assert held.run_ids == [run.pk]
    expect(page.get_by_test_id("run-progress")).to_contain_text("Queued")
    expect(page.get_by_test_id("assignment-row")).to_have_count(0)

    # The worker runs it; the page, polling, reloads itself and shows the assignment.
    monkeypatch.undo()
    services.match_run_execute(run_id=run.pk)
    expect(page.get_by_test_id("run-status")).to_contain_text("Done", timeout=20_000)
    expect(page.get_by_test_id("run-progress")).to_have_count(0)
    row = page.get_by_test_id("assignment-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Grade 3 English")
    expect(row).to_contain_text("Emma Clarke")
    expect(row).to_contain_text("assigned")
    row.get_by_role("checkbox", name="Select").check()
    page.get_by_role("button", name="Push selected to schools").click()
    page.get_by_text("1 suggestion pushed to the schools.").wait_for()
    expect(page.get_by_test_id("recommendation-status")).to_have_text("Suggested to the school")

    # The school sees an anonymised candidate on its vacancy page and invites them.
    log_in(page, base, liaison.email)
    page.goto(f"{base}/en/vacancies/school/{vacancy.code}/")
    card = page.get_by_test_id("suggested-candidates").get_by_test_id("candidate-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Suggested by the service center")
    expect(card).to_contain_text("English")
    for secret in ("Emma", "Clarke", teacher.user.email):
        expect(card).not_to_contain_text(secret)
    card.get_by_text("Invite to apply").click()
    card.get_by_label("Message to the teacher (optional)").fill("We would love you to join us.")
    card.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("The teacher was invited to apply and has been notified.").wait_for()
    assert page.url.endswith(f"/en/vacancies/school/{vacancy.code}/")
    expect(card).to_have_attribute("data-status", "invited")
    expect(card).to_contain_text("Invited on")

    # The teacher sees the invitation on the dashboard and applies with one click.
    log_in(page, base, teacher.user.email)
    page.goto(f"{base}/en/dashboard/teacher/")
    suggested = page.get_by_test_id("suggested-vacancies")
    expect(suggested).to_contain_text("Grade 3 English")
    expect(suggested).to_contain_text("Invitation")
    suggested.get_by_role("link", name="All suggestions").click()
    invitation = page.locator("[data-testid=suggested-vacancy][data-kind=invitation]")
    expect(invitation).to_have_count(1)
    expect(invitation).to_contain_text("Grade 3 English")
    expect(invitation.get_by_test_id("invitation")).to_contain_text(
        "Xihu Experimental Primary invited you to apply"
    )
    expect(invitation).to_contain_text("We would love you to join us.")
    invitation.get_by_role("button", name="Apply", exact=True).click()
    page.get_by_text("Your application was sent to the school.").wait_for()
    application = Application.objects.get(teacher=teacher, vacancy=vacancy)
    assert application.status == ApplicationStatus.SUBMITTED
    recommendation = Recommendation.objects.get(teacher=teacher, vacancy=vacancy)
    assert recommendation.status == RecommendationStatus.APPLIED
    assert recommendation.application == application
    assert MatchRun.objects.get().status == RunStatus.DONE

    # The school finds the teacher among the vacancy's applicants, by name now.
    log_in(page, base, liaison.email)
    page.goto(f"{base}/en/vacancies/school/{vacancy.code}/")
    card = page.get_by_test_id("suggested-candidates").get_by_test_id("candidate-card")
    expect(card).to_contain_text("The teacher applied")
    expect(card.get_by_test_id("candidate-application")).to_be_visible()
    page.goto(f"{base}/en/applications/school/vacancy/{vacancy.code}/")
    applicant = page.get_by_test_id("applicant-row")
    expect(applicant).to_have_count(1)
    expect(applicant).to_contain_text("Emma Clarke")
