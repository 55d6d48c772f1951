"""The center's credit workplace in admin: add through the service, actions, four eyes."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from apps.credit.models import CreditRecord, ObjectionDecision, RecordStatus
from apps.credit.services import objection_submit
from tests.credit.factories import restriction_create
from tests.teachers.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(user)


def _add(client, teacher, **overrides):
    data = {
        "teacher": teacher.pk,
        "kind": "negative",
        "severity": "minor",
        "grounds": "breach_of_contract",
        "facts": "Late registration of a change of address.",
        "determining_unit": "Xihu District Education Bureau",
        "decision_date": "2026-06-01",
        "starts_on": "2026-06-01",
        "display_until": "",
    } | overrides
    return client.post(reverse("admin:credit_creditrecord_add"), data, follow=True)


def test_add_goes_through_the_service_and_bad_input_stays_on_the_form(client, center_user):
    teacher = TeacherFactory()
    _login(client, center_user)
    bad = _add(client, teacher, display_until="2027-06-01")  # minor: at most 3 months
    assert "between 2026-06-30 and 2026-08-31" in bad.content.decode()
    assert "Late registration of a change of address." in bad.content.decode()
    assert not CreditRecord.objects.exists()
    _add(client, teacher)
    record = CreditRecord.objects.get()
    assert record.status == RecordStatus.PROPOSED and record.proposed_by == center_user
    assert record.display_until == date(2026, 8, 31)


def test_approve_action_enforces_four_eyes_with_a_message(client, center_user, second_center_user):
    teacher = TeacherFactory()
    _login(client, center_user)
    _add(client, teacher)
    record = CreditRecord.objects.get()
    url = reverse("admin:credit_creditrecord_changelist")
    own = client.post(url, {"action": "approve", "_selected_action": [record.pk]}, follow=True)
    assert "another member of the center must approve it" in own.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.PROPOSED
    _login(client, second_center_user)
    client.post(url, {"action": "approve", "_selected_action": [record.pk]}, follow=True)
    record.refresh_from_db()
    assert record.status == RecordStatus.NOTIFIED and record.approved_by == second_center_user


def test_objection_decided_from_admin_needs_a_reason(client, center_user):
    teacher = TeacherFactory()
    today = timezone.localdate()
    record = restriction_create(
        teacher=teacher,
        status=RecordStatus.NOTIFIED,
        objection_deadline=today,
        severity="minor",
        starts_on=today,
        display_until=today,
    )
    objection = objection_submit(actor=teacher.user, record=record, statement="Wrong person.")
    _login(client, center_user)
    url = reverse("admin:credit_objection_changelist")
    client.post(
        url,
        {"action": "record_withdrawn", "_selected_action": [objection.pk], "reason": ""},
        follow=True,
    )
    objection.refresh_from_db()
    assert objection.decision == ""
    client.post(
        url,
        {
            "action": "record_withdrawn",
            "_selected_action": [objection.pk],
            "reason": "Passport numbers differ.",
        },
        follow=True,
    )
    objection.refresh_from_db()
    record.refresh_from_db()
    assert objection.decision == ObjectionDecision.RECORD_WITHDRAWN
    assert record.status == RecordStatus.WITHDRAWN


def test_changelists_load_with_filters(client, center_user, django_assert_max_num_queries):
    for _ in range(5):
        restriction_create(teacher=TeacherFactory())
    _login(client, center_user)
    for name in (
        "creditrecord",
        "objection",
        "repairrequest",
        "teacherstarlevel",
        "starlevelhistory",
        "starrule",
        "evaluationresult",
    ):
        with django_assert_max_num_queries(30):
            response = client.get(
                reverse(f"admin:credit_{name}_changelist"),
                {"status__exact": "active"} if name == "creditrecord" else {},
            )
        assert response.status_code == 200, name
    assert client.get(reverse("admin:core_policysettings_changelist")).status_code in (200, 302)
