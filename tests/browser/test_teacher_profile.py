import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from apps.teachers.models import Teacher, TeacherStatus
from tests.accounts.factories import CenterStaffUserFactory
from tests.browser.helpers import log_in
from tests.teachers.factories import pdf_bytes

EMAIL = "olivia.taylor@example.org"
SECRET = "a-long-unique-passphrase"


def checklist_size(page) -> int:
    page.get_by_test_id("dashboard-title").wait_for()
    return page.get_by_test_id("missing-checklist").locator("li").count()


def upload(page, kind: str, name: str, **dates):
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}
    )
    for label, value in dates.items():
        page.locator(f"#id_{label}").fill(value)
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The document was uploaded.").wait_for()


def test_teacher_goes_from_sign_up_to_ready_to_be_matched(live_server, page, browser):
    base = f"{live_server.url}/en"
    page.goto(f"{base}/accounts/signup/")
    page.get_by_placeholder("Email address").fill(EMAIL)
    page.get_by_placeholder("Password", exact=True).fill(SECRET)
    page.get_by_placeholder("Password (again)").fill(SECRET)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    link = re.search(r"http://\S+/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_placeholder("Email address").fill(EMAIL)
    page.get_by_placeholder("Password").fill(SECRET)
    page.get_by_role("button", name="Sign In").click()

    start = checklist_size(page)
    assert start >= 7
    page.get_by_role("link", name="Edit my profile").click()

    # Step 1: about you.
    page.locator("#id_legal_name").fill("Olivia Taylor")
    page.locator("#id_date_of_birth").fill("1991-03-14")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_nationality").select_option("GB")
    page.get_by_label("English").check()
    page.locator("#id_passport_number").fill("GB5551234")
    page.get_by_role("button", name="Save and continue").click()
    # Step 2: category.
    page.get_by_label("In-service foreign teacher").check()
    page.get_by_role("button", name="Save and continue").click()
    # Step 3: degree and a certificate.
    page.locator("#id_degree_level").select_option("2")
    page.locator("#id_degree_field").fill("English literature")
    page.locator("#id_degree_university").fill("University of Leeds")
    page.locator("#id_degree_year").fill("2013")
    page.locator("#id_certificates-0-kind").select_option("tefl")
    page.locator("#id_certificates-0-hours").fill("120")
    page.get_by_role("button", name="Save and continue").click()
    # Step 4: experience.
    page.locator("#id_experience-0-school").fill("Leeds Primary School")
    page.locator("#id_experience-0-country").select_option("GB")
    page.locator("#id_experience-0-started_on").fill("2019-09-01")
    page.get_by_role("button", name="Save and continue").click()
    # Step 5: what and where.
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Primary school").check()
    page.locator("#id_earliest_start").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("heading", name="Your documents").wait_for()
    today = timezone.localdate()
    upload(page, "passport", "passport.pdf", expires_on=(today + timedelta(days=2000)).isoformat())
    upload(page, "degree", "degree.pdf")
    upload(
        page, "criminal_record", "police.pdf", issued_on=(today - timedelta(days=20)).isoformat()
    )
    upload(page, "health_check", "health.pdf")
    page.get_by_test_id("submit-review").click()

    after_upload = checklist_size(page)
    assert after_upload < start
    assert Teacher.objects.get(user__email=EMAIL).status == TeacherStatus.PENDING

    # Center staff verify in admin.
    staff = CenterStaffUserFactory(email="center@example.org")
    staff.groups.add(Group.objects.get(name="Center staff"))
    staff_context = browser.new_context(locale="en-GB")
    admin = staff_context.new_page()
    log_in(admin, live_server.url, staff.email)
    admin.goto(f"{base}/admin/teachers/teacher/?status__exact=pending")
    admin.get_by_role("row", name=re.compile("Olivia Taylor")).get_by_role("checkbox").check()
    admin.locator("select[name=action]").select_option("verify")
    admin.locator("button[name=index]").click()
    admin.get_by_text("1 verified.").wait_for()
    staff_context.close()

    page.goto(f"{base}/dashboard/teacher/")
    page.get_by_test_id("ready-to-match").wait_for()
    assert "Ready to be matched" in page.get_by_test_id("ready-to-match").inner_text()
    assert page.get_by_test_id("profile-status").inner_text() == "Verified"
