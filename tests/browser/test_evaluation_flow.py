from apps.evaluations.models import Evaluation, EvaluationStatus
from tests.browser.helpers import log_in
from tests.evaluations.factories import make_employment, open_round
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory
from tests.teachers.factories import TeacherFactory


def test_school_evaluates_in_chinese_and_the_teacher_reads_it_in_english(live_server, page):
    school = SchoolFactory(name_en="Xihu Experimental Primary", name_zh_hans="西湖实验小学")
    liaison = SchoolMembershipFactory(
        school=school, is_liaison=True, user__email="lead@example.org", user__language="zh-hans"
    ).user
    teacher = TeacherFactory(legal_name="Emma Clarke", user__email="emma@example.org")
    make_employment(school, teacher=teacher)
    open_round("2026Q3")
    base = live_server.url

    # The liaison works in Chinese: rubric texts in Chinese first, English beside them.
    log_in(page, base, liaison.email, language="zh-hans")
    page.goto(f"{base}/zh-hans/evaluations/school/")
    page.get_by_role("link", name="Emma Clarke").click()
    form = page.get_by_test_id("evaluation-form")
    assert "守法守规" in form.inner_text()
    assert "始终遵守法律法规和学校规章制度。 / Followed laws and school rules throughout." in (
        form.inner_text()
    )
    page.locator('input[name="law_compliance_score"][value="4"]').check()
    page.get_by_label("关于“守法守规”的评语").fill("遵守校规，按时上课。")
    # Submitting with a dimension unscored is refused in Chinese, keeping what was typed.
    page.get_by_role("button", name="提交考核").click()
    page.get_by_text("请为“教学履职”选择分数。").wait_for()
    assert page.get_by_label("关于“守法守规”的评语").input_value() == "遵守校规，按时上课。"
    page.locator('input[name="teaching_duties_score"][value="5"]').check()
    page.locator('input[name="daily_conduct_score"][value="4"]').check()
    page.get_by_label("总体评语").fill("Emma 老师认真负责。")
    page.get_by_role("button", name="提交考核").click()
    page.get_by_text("考核已提交。").wait_for()
    assert page.get_by_test_id("status").inner_text() == "已提交"
    assert page.get_by_test_id("evaluation-form").count() == 0
    evaluation = Evaluation.objects.get()
    assert evaluation.status == EvaluationStatus.SUBMITTED

    # The teacher reads it in English: rubric labels translated, the school's words as written.
    log_in(page, base, teacher.user.email)
    page.goto(f"{base}/en/evaluations/mine/")
    page.get_by_role("link", name="2026Q3").click()
    view = page.get_by_test_id("evaluation-view").inner_text()
    assert "Law and rule compliance" in view
    assert "Followed laws and school rules throughout." in view
    assert "遵守校规，按时上课。" in view and "Emma 老师认真负责。" in view
    page.get_by_label("Your response").fill("Thank you, I enjoy teaching here.")
    page.get_by_role("button", name="Send the response").click()
    page.get_by_text("Your response was added.").wait_for()
    assert page.get_by_test_id("response-form").count() == 0
