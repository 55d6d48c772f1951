"""A restriction's life in a browser: propose, second approval, objection, decision."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.credit.models import CreditRecord, Objection, RecordStatus
from tests.accounts.factories import CenterStaffUserFactory
from tests.browser.helpers import log_in_as
from tests.teachers.factories import TeacherFactory, pdf_bytes


@pytest.mark.django_db(transaction=True)
def test_center_proposes_second_user_approves_teacher_objects_center_decides(
    live_server, page, tmp_path
):
    group = Group.objects.get(name="Center staff")
    first = CenterStaffUserFactory(email="wang@example.org", full_name="Wang Li", language="en")
    second = CenterStaffUserFactory(email="zhao@example.org", full_name="Zhao Min", language="en")
    first.groups.add(group)
    second.groups.add(group)
    teacher = TeacherFactory(legal_name="Emma Clarke", user__language="en")
    base = live_server.url
    today = timezone.localdate().isoformat()

    # The first center user proposes a minor restriction in admin.
    log_in_as(page, base, first)
    page.goto(f"{base}/en/admin/credit/creditrecord/add/")
    page.evaluate(
        """([pk, label]) => { const s = document.querySelector('#id_teacher');
        s.add(new Option(label, pk, true, true)); }""",
        [str(teacher.pk), teacher.legal_name],
    )
    page.select_option("#id_kind", "negative")
    page.select_option("#id_severity", "minor")
    page.select_option("#id_grounds", "breach_of_contract")
    page.fill("#id_facts", "Reported a change of address 25 days late.")
    page.fill("#id_determining_unit", "Xihu District Education Bureau")
    page.fill("#id_decision_date", today)
    page.fill("#id_starts_on", today)
    page.locator("input[name=_save]").click()
    page.get_by_text("was added successfully").wait_for()
    record = CreditRecord.objects.get()
    assert record.status == RecordStatus.PROPOSED

    # The proposer cannot approve; a second center user does.
    def approve():
        page.goto(f"{base}/en/admin/credit/creditrecord/")
        page.check(f"input[name=_selected_action][value='{record.pk}']")
        page.select_option("select[name=action]", "approve")
        page.locator("button[name=index]").click()

    approve()
    page.get_by_text("another member of the center must approve it").wait_for()
    log_in_as(page, base, second)
    approve()
    page.get_by_text("1 record(s) approved.").wait_for()
    record.refresh_from_db()
    assert record.status == RecordStatus.NOTIFIED

    # The teacher reads the notice on the record's page and objects with a document.
    log_in_as(page, base, teacher.user)
    page.goto(f"{base}/en/credit/mine/")
    page.get_by_role("link", name="restriction").click()
    assert "Reported a change of address 25 days late." in page.inner_text("body")
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(pdf_bytes())
    page.fill("#id_objection-statement", "I reported it on time; see the stamped form.")
    page.set_input_files("#id_objection-files", str(proof))
    page.get_by_role("button", name="Submit objection").click()
    page.get_by_text("Your objection has been submitted.").wait_for()
    assert page.get_by_test_id("record-status").inner_text() == "objection pending"

    # The center decides with a reason; the teacher sees the decision.
    log_in_as(page, base, first)
    objection = Objection.objects.get()
    page.goto(f"{base}/en/admin/credit/objection/")
    page.check(f"input[name=_selected_action][value='{objection.pk}']")
    page.select_option("select[name=action]", "record_withdrawn")
    page.fill("input[name=reason]", "The stamped form shows the report was on time.")
    page.locator("button[name=index]").click()
    page.get_by_text("1 decided.").wait_for()
    log_in_as(page, base, teacher.user)
    page.goto(f"{base}/en/credit/records/{record.code}/")
    assert page.get_by_test_id("record-status").inner_text() == "withdrawn"
    assert "The stamped form shows the report was on time." in (
        page.get_by_test_id("objection-decision").inner_text()
    )
