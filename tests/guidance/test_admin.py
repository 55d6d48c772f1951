"""The center edits procedures in admin: through the service, bad input kept and explained."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.guidance.models import Procedure

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def center_client(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    center_user.language = "en"
    center_user.save()
    client.force_login(center_user)
    return client


def form_data(procedure: Procedure, **changes) -> dict:
    data = {
        "title_en": procedure.title_en,
        "title_zh_hans": procedure.title_zh_hans,
        "slug": procedure.slug,
        "summary_en": procedure.summary_en,
        "summary_zh_hans": procedure.summary_zh_hans,
        "stage": procedure.stage,
        "sort_order": procedure.sort_order,
        "is_published": "on",
        "applicant": procedure.applicant,
        "category_choices": procedure.category_list,
        "situation": procedure.situation,
        "on_checklist": "on",
        "completed_by": procedure.completed_by,
        "limit_setting": procedure.limit_setting,
        "limit_unit": procedure.limit_unit,
        "limit_starts_from": procedure.limit_starts_from,
        "limit_note_en": procedure.limit_note_en,
        "limit_note_zh_hans": procedure.limit_note_zh_hans,
        "link": procedure.link,
        "last_checked_on": "2026-12-01",
    }
    for prefix in ("steps", "materials"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | changes


def test_center_staff_list_and_open_procedures(center_client):
    procedure = Procedure.objects.get(slug="residence-permit")

    assert center_client.get(reverse("admin:guidance_procedure_changelist")).status_code == 200
    page = center_client.get(reverse("admin:guidance_procedure_change", args=[procedure.pk]))
    assert page.status_code == 200
    for name in ("checklist", "checklistentry", "checklistreminder"):
        assert center_client.get(reverse(f"admin:guidance_{name}_changelist")).status_code == 200


def test_a_non_http_link_is_refused_and_the_input_kept(center_client):
    procedure = Procedure.objects.get(slug="residence-permit")
    url = reverse("admin:guidance_procedure_change", args=[procedure.pk])

    response = center_client.post(url, form_data(procedure, link="ftp://files.example.org/x"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter a web address starting with http:// or https://." in text
    assert "ftp://files.example.org/x" in text
    assert Procedure.objects.get(pk=procedure.pk).link.startswith("https://")


def test_a_limit_without_its_starting_event_is_refused(center_client):
    procedure = Procedure.objects.get(slug="residence-permit")
    url = reverse("admin:guidance_procedure_change", args=[procedure.pk])

    response = center_client.post(url, form_data(procedure, limit_starts_from=""))

    assert "A time limit needs the event it counts from" in response.content.decode()
    assert Procedure.objects.get(pk=procedure.pk).limit_starts_from == "arrival"


def test_a_saved_edit_goes_through_the_service_and_ticks_become_categories(center_client):
    procedure = Procedure.objects.get(slug="residence-permit")
    url = reverse("admin:guidance_procedure_change", args=[procedure.pk])

    response = center_client.post(
        url, form_data(procedure, category_choices=["1", "3"], title_en="Residence permit (work)")
    )

    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.categories == "1,3"
    assert procedure.title_en == "Residence permit (work)"
    event = AuditEvent.objects.get(action="guidance.procedure_changed")
    assert event.before["title_en"] == "Work-type residence permit"


def test_the_mark_checked_action_calls_the_service(center_client):
    procedure = Procedure.objects.get(slug="z-visa")

    center_client.post(
        reverse("admin:guidance_procedure_changelist"),
        {"action": "mark_checked_today", "_selected_action": [procedure.pk]},
    )

    procedure.refresh_from_db()
    assert procedure.last_checked_on.isoformat() == "2026-03-20"
    assert AuditEvent.objects.filter(action="guidance.procedure_checked").exists()
