"""The center's overdue queue is cached: every write that changes a row, and time, show at once."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from apps.guidance import services
from apps.guidance.models import Procedure

from .conftest import SHANGHAI, arrive, record


def queue(client, language: str = "en") -> str:
    with translation.override(language):
        url = reverse("guidance:center_overdue")
    return client.get(url).content.decode()


def overdue_count(client) -> int:
    response = client.get(reverse("dashboards:center"))
    return {q["key"]: q["count"] for q in response.context["queues"]}["guidance_overdue"]


@pytest.fixture
def center_client(client, center_user):
    client.force_login(center_user)
    return client


@pytest.mark.usefixtures("frozen")
def test_a_step_marked_done_leaves_the_cached_queue(
    center_client, employment_a, liaison_a, django_capture_on_commit_callbacks
):
    arrive(employment_a, liaison_a)
    registration = Procedure.objects.get(slug="accommodation-registration")
    assert escape(registration.title) in queue(center_client)
    count = overdue_count(center_client)

    with django_capture_on_commit_callbacks(execute=True):
        services.checklist_step_mark(
            actor=liaison_a,
            employment=employment_a,
            procedure=registration,
            status="done",
            done_on=date(2026, 3, 3),
        )

    assert escape(registration.title) not in queue(center_client)
    assert overdue_count(center_client) == count - 1


@pytest.mark.usefixtures("frozen")
def test_renamed_teachers_schools_and_procedures_show_at_once(
    center_client, employment_a, liaison_a, center_user, django_capture_on_commit_callbacks
):
    arrive(employment_a, liaison_a)
    assert "Emma Clarke" in queue(center_client)

    teacher, school = employment_a.teacher, employment_a.school
    with django_capture_on_commit_callbacks(execute=True):
        teacher.legal_name = "Emma Clarke-Wu"
        teacher.save()  # as the admin saves it
    assert "Emma Clarke-Wu" in queue(center_client)

    with django_capture_on_commit_callbacks(execute=True):
        school.name_en = "Xihu Experimental Primary"
        school.save()
    assert "Xihu Experimental Primary" in queue(center_client)

    procedure = Procedure.objects.get(slug="accommodation-registration")
    with django_capture_on_commit_callbacks(execute=True):
        procedure.title_en = "Register where you live"
        services.procedure_save(actor=center_user, procedure=procedure)
    assert "Register where you live" in queue(center_client)


@pytest.mark.usefixtures("frozen")
def test_an_ended_hire_leaves_the_cached_queue(center_client, employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    assert "Emma Clarke" in queue(center_client)

    record(
        employment_a, liaison_a, "early_termination", date(2026, 3, 19), termination_reason="other"
    )

    page = queue(center_client)
    assert "Emma Clarke" not in page
    assert "No step is overdue." in page
    assert overdue_count(center_client) == 0


def test_an_hour_limit_passing_shows_without_any_write(center_client, employment_a, liaison_a):
    with time_machine.travel(datetime(2026, 3, 2, 23, 0, tzinfo=SHANGHAI), tick=False):
        arrive(employment_a, liaison_a)  # registration due 23:30 on 3 March
    title = escape(Procedure.objects.get(slug="accommodation-registration").title)

    with time_machine.travel(datetime(2026, 3, 3, 23, 29, tzinfo=SHANGHAI), tick=False):
        assert title not in queue(center_client)
        before = overdue_count(center_client)
    with time_machine.travel(datetime(2026, 3, 3, 23, 31, tzinfo=SHANGHAI), tick=False):
        assert title in queue(center_client)  # the same day: only the moment passed
        assert overdue_count(center_client) == before + 1


def test_a_new_day_shows_the_steps_due_the_day_before(center_client, employment_a, liaison_a):
    with time_machine.travel(datetime(2026, 3, 2, 23, 0, tzinfo=SHANGHAI), tick=False):
        arrive(employment_a, liaison_a)
    title = escape(Procedure.objects.get(slug="work-permit-card").title)  # due 17 March

    with time_machine.travel(datetime(2026, 3, 17, 23, 59, tzinfo=SHANGHAI), tick=False):
        assert title not in queue(center_client)
    with time_machine.travel(datetime(2026, 3, 18, 0, 1, tzinfo=SHANGHAI), tick=False):
        assert title in queue(center_client)


@pytest.mark.usefixtures("frozen")
def test_each_language_has_its_own_cached_queue(center_client, employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    procedure = Procedure.objects.get(slug="accommodation-registration")
    assert procedure.title_en in queue(center_client)

    chinese = queue(center_client, "zh-hans")

    assert procedure.title_zh_hans in chinese and procedure.title_en not in chinese
    assert "北京时间" in chinese


@pytest.mark.usefixtures("frozen")
def test_only_center_staff_see_the_cached_queue(
    center_client, employment_a, liaison_a, teacher_x, bureau_user
):
    arrive(employment_a, liaison_a)
    assert "Emma Clarke" in queue(center_client)

    for user in (liaison_a, teacher_x.user, bureau_user):
        center_client.force_login(user)
        response = center_client.get(reverse("guidance:center_overdue"))
        assert response.status_code in (302, 403)
        assert "Emma Clarke" not in response.content.decode()
