import re

from django.contrib.auth.models import Group
from django.core import mail

from apps.accounts.models import User
from apps.schools.models import School, SchoolMembership
from tests.accounts.factories import CenterStaffUserFactory
from tests.browser.helpers import log_in

LIAISON_PASSWORD = "wenxin-liaison-passphrase"
COLLEAGUE_PASSWORD = "colleague-own-passphrase"


def link_in(message, live_server, pattern):
    url = re.search(pattern, message.body).group(0)
    return re.sub(r"^http://[^/]+", live_server.url, url)


def test_school_registers_in_chinese_is_verified_and_invites_a_colleague(live_server, page):
    base = live_server.url
    center = CenterStaffUserFactory(email="center@example.org")
    center.groups.add(Group.objects.get(name="Center staff"))

    # A school registers from the home page, in Chinese.
    page.goto(f"{base}/en/")
    page.locator("a[href='/zh-hans/schools/register/']").click()
    page.wait_for_url(re.compile(r"/zh-hans/schools/register/$"))
    page.locator("input[name=name_zh_hans]").fill("杭州市文新小学")
    page.locator("select[name=district]").select_option(label="西湖区")
    page.locator("select[name=school_type]").select_option(label="小学")
    page.locator("input[name=licence_number]").fill("教民133010670000001")
    page.locator("input[name=address]").fill("杭州市西湖区文新路1号")
    page.locator("input[name=contact_phone]").fill("0571-88001234")
    page.locator("input[name=liaison_name]").fill("陈静")
    page.locator("input[name=liaison_email]").fill("liaison@wenxin.example.cn")
    page.locator("input[name=liaison_password]").fill(LIAISON_PASSWORD)
    page.locator("input[name=liaison_password2]").fill(LIAISON_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_test_id("school-registration").locator("button[type=submit]").click()
    page.get_by_test_id("registered-title").wait_for()
    # Nothing exists until the emailed link is confirmed.
    assert not School.objects.exists()
    assert not User.objects.filter(email="liaison@wenxin.example.cn").exists()

    # The liaison opens the emailed link (in a fresh session), confirms, and sees the waiting
    # state after signing in.
    assert mail.outbox[-1].to == ["liaison@wenxin.example.cn"]
    confirm = link_in(mail.outbox[-1], live_server, r"http://\S+/schools/register/confirm/\S+/")
    page.context.clear_cookies()
    page.goto(confirm)
    assert "教民133010670000001" in page.locator("main").inner_text()
    assert not School.objects.exists()
    page.get_by_test_id("registration-confirm").locator("button[type=submit]").click()
    page.get_by_test_id("registration-confirmed-title").wait_for()
    assert School.objects.get().verification_status == "pending"
    log_in(page, base, "liaison@wenxin.example.cn", "zh-hans", LIAISON_PASSWORD)
    page.get_by_test_id("verification-status").wait_for()
    assert "alert-info" in page.get_by_test_id("verification-status").get_attribute("class")

    # Center staff verify it in admin.
    log_in(page, base, "center@example.org", "zh-hans")
    page.goto(f"{base}/zh-hans/admin/schools/school/?verification_status__exact=pending")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("verify_schools")
    page.locator("button[name=index]").click()
    page.locator(".messagelist").wait_for()
    assert School.objects.get().is_verified

    # The liaison invites a colleague, who joins through the emailed link.
    log_in(page, base, "liaison@wenxin.example.cn", "zh-hans", LIAISON_PASSWORD)
    page.get_by_test_id("verification-status").wait_for()
    page.locator("a[href$='/schools/staff/invite/']").click()
    page.locator("input[name=email]").fill("colleague@wenxin.example.cn")
    page.locator("form:has(input[name=email]) button[type=submit]").click()
    page.get_by_test_id("staff-table").wait_for()
    invitation = link_in(mail.outbox[-1], live_server, r"http://\S+/schools/invitation/\S+/")

    # The colleague opens the link in a fresh session.
    page.context.clear_cookies()
    page.goto(invitation)
    page.locator("input[name=full_name]").fill("李明")
    page.locator("input[name=password]").fill(COLLEAGUE_PASSWORD)
    page.locator("input[name=password2]").fill(COLLEAGUE_PASSWORD)
    page.locator("form:has(input[name=password2]) button[type=submit]").click()
    page.get_by_test_id("staff-table").wait_for()
    assert "李明" in page.get_by_test_id("staff-table").inner_text()

    colleague = User.objects.get(email="colleague@wenxin.example.cn")
    membership = SchoolMembership.objects.get(user=colleague)
    assert membership.school.name_zh_hans == "杭州市文新小学" and not membership.is_liaison
