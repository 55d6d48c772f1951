import re

from django.core import mail

from apps.accounts.models import Role, User


def test_teacher_signs_up_verifies_email_logs_in_and_switches_language(live_server, page):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="I am a foreign teacher: sign up").click()

    page.get_by_placeholder("Email address").fill("emma.clarke@example.org")
    page.get_by_placeholder("Password", exact=True).fill("a-long-unique-passphrase")
    page.get_by_placeholder("Password (again)").fill("a-long-unique-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_placeholder("Email address").fill("emma.clarke@example.org")
    page.get_by_placeholder("Password").fill("a-long-unique-passphrase")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_test_id("dashboard-title").wait_for()
    assert page.get_by_test_id("dashboard-title").inner_text() == "Teacher dashboard"
    assert page.url.endswith("/en/dashboard/teacher/")

    page.get_by_test_id("lang-zh-hans").click()
    page.wait_for_url(re.compile(r"/zh-hans/dashboard/teacher/$"))
    assert page.get_by_test_id("dashboard-title").inner_text() == "外教工作台"
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    user = User.objects.get(email="emma.clarke@example.org")
    assert (user.role, user.language) == (Role.TEACHER, "zh-hans")
