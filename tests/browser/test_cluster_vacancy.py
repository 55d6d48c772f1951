from datetime import date

from django.contrib.auth.models import Group
from django.utils import timezone

from apps.schools.models import SchoolGroupMember
from apps.vacancies.models import Vacancy, VacancyStatus
from tests.accounts.factories import CenterStaffUserFactory
from tests.browser.helpers import log_in
from tests.schools.factories import SchoolFactory, SchoolGroupFactory, SchoolMembershipFactory
from tests.teachers.factories import make_eligible_teacher


def _log_out(page):
    page.context.clear_cookies()


def test_school_posts_cluster_vacancy_center_approves_teacher_finds_it(live_server, page):
    lead = SchoolFactory(name_en="Xihu Experimental Primary", name_zh_hans="西湖实验小学")
    member = SchoolFactory(name_en="Xihu Second Primary", name_zh_hans="西湖第二小学")
    cluster = SchoolGroupFactory(lead_school=lead, name="西湖片区")
    SchoolGroupMember.objects.create(group=cluster, school=member)
    liaison = SchoolMembershipFactory(
        school=lead, is_liaison=True, user__email="lead@example.org"
    ).user
    center = CenterStaffUserFactory(email="clerk@example.org")
    center.groups.add(Group.objects.get(name="Center staff"))
    teacher = make_eligible_teacher(on=timezone.localdate(), earliest_start=date(2027, 2, 1))

    # The liaison posts a cluster vacancy in Chinese.
    log_in(page, live_server.url, liaison.email, language="zh-hans")
    page.goto(f"{live_server.url}/zh-hans/vacancies/school/new/")
    page.get_by_label("标题（英文）").fill("Primary English teacher (cluster)")
    page.get_by_label("英语", exact=True).check()
    page.get_by_label("小学", exact=True).first.check()
    page.get_by_label("每周课时").first.fill("16")
    page.get_by_label("合同开始日期").fill("2027-02-20")
    page.get_by_label("合同结束日期").fill("2028-01-31")
    page.get_by_label("最低月薪（元）").fill("16000")
    page.get_by_label("最高月薪（元）").fill("22000")
    page.get_by_label("住房").select_option("provided")
    page.get_by_label("片区岗位").select_option(label="西湖片区")
    page.get_by_label("西湖实验小学每周课时").fill("10")
    page.get_by_label("西湖第二小学每周课时").fill("6")
    page.get_by_label("面向外教的岗位描述（英文）").fill(
        "Teach English across two primary schools."
    )
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("已提交服务中心审核。").wait_for()
    vacancy = Vacancy.objects.get()
    assert vacancy.status == VacancyStatus.SUBMITTED and vacancy.is_cluster

    # Center staff approve it in admin.
    _log_out(page)
    log_in(page, live_server.url, center.email, language="zh-hans")
    page.goto(f"{live_server.url}/zh-hans/admin/vacancies/vacancy/?status__exact=submitted")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.locator("button[name=index]").click()
    page.get_by_text("1 个岗位已发布。").wait_for()

    # A teacher finds it in English with filters and sees that they qualify.
    _log_out(page)
    log_in(page, live_server.url, teacher.user.email)
    page.goto(f"{live_server.url}/en/vacancies/")
    page.get_by_label("Only vacancies I qualify for").check()
    page.get_by_label("Single school or cluster").select_option("cluster")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Primary English teacher (cluster)").click()
    page.get_by_test_id("qualification").wait_for()
    assert "You meet every requirement" in page.get_by_test_id("qualification").inner_text()
    assert "Xihu Second Primary" in page.get_by_test_id("cluster-schools").inner_text()
