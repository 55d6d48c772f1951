"""The overdue lists read a snapshot of open steps, kept in step by events and the nightly job."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from apps.guidance import services, views
from apps.guidance.models import Checklist, OpenStep, Procedure
from apps.guidance.selectors import overdue_step_count_all, overdue_steps_all
from apps.guidance.tasks import refresh_checklist_steps
from tests.evaluations.factories import make_employment

from .conftest import SHANGHAI, arrive, issue_work_permit, record

pytestmark = pytest.mark.usefixtures("frozen")


def overdue(**kwargs) -> list[tuple[int, str]]:
    return [(row.employment_id, row.procedure.slug) for row in overdue_steps_all(**kwargs)]


def test_recording_the_completing_event_takes_the_step_off_the_overdue_list(
    employment_a, liaison_a
):
    arrive(employment_a, liaison_a)
    assert (employment_a.pk, "work-permit-card") in overdue()  # due 17 March, today 20 March

    issue_work_permit(employment_a, liaison_a)

    assert (employment_a.pk, "work-permit-card") not in overdue()


def test_marking_a_step_done_updates_the_center_queue_and_its_count_at_once(
    client, employment_a, liaison_a, center_user
):
    arrive(employment_a, liaison_a)
    client.force_login(center_user)
    before = overdue_step_count_all()
    assert (employment_a.pk, "accommodation-registration") in overdue()

    services.checklist_step_mark(
        actor=liaison_a,
        employment=employment_a,
        procedure=Procedure.objects.get(slug="accommodation-registration"),
        status="done",
        done_on=date(2026, 3, 3),
    )

    assert (employment_a.pk, "accommodation-registration") not in overdue()
    response = client.get(reverse("dashboards:center"))
    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["guidance_overdue"] == before - 1  # no stale cached count


def test_time_passing_makes_a_step_overdue_and_the_nightly_job_keeps_it(employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    assert (employment_a.pk, "residence-permit") not in overdue()  # due 1 April

    # A row lost (or never written, as for hires bulk-imported without events): only the
    # nightly job can bring it back.
    OpenStep.objects.filter(employment=employment_a).delete()
    with time_machine.travel(datetime(2026, 4, 2, 3, 0, tzinfo=SHANGHAI), tick=False):
        assert (employment_a.pk, "residence-permit") not in overdue()
        refresh_checklist_steps()
        assert (employment_a.pk, "residence-permit") in overdue()


def test_an_hour_limit_is_overdue_from_its_moment(employment_a, liaison_a):
    with time_machine.travel(datetime(2026, 3, 2, 23, 0, tzinfo=SHANGHAI), tick=False):
        arrive(employment_a, liaison_a)  # 23:30 on 2 March: registration due 23:30 on 3 March
    row = OpenStep.objects.get(
        employment=employment_a, procedure__slug="accommodation-registration"
    )
    assert row.due_at == datetime(2026, 3, 3, 23, 30, tzinfo=SHANGHAI)

    assert (employment_a.pk, "accommodation-registration") not in overdue(
        now=datetime(2026, 3, 3, 23, 29, tzinfo=SHANGHAI)
    )
    assert (employment_a.pk, "accommodation-registration") in overdue(
        now=datetime(2026, 3, 3, 23, 31, tzinfo=SHANGHAI)
    )


def test_an_ended_hire_leaves_the_lists(employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    assert OpenStep.objects.filter(employment=employment_a).exists()

    record(
        employment_a, liaison_a, "early_termination", date(2026, 3, 19), termination_reason="other"
    )

    assert not OpenStep.objects.filter(employment=employment_a).exists()
    assert employment_a.pk not in {pk for pk, _slug in overdue()}


def test_the_nightly_job_picks_up_hires_written_without_events(school_b, liaison_b):
    other = make_employment(school_b, start=date(2026, 2, 1))
    assert overdue() == []

    written = refresh_checklist_steps()
    again = refresh_checklist_steps()  # safe to run twice

    assert written == again > 0
    assert OpenStep.objects.filter(employment=other).count() == written


def test_a_school_sees_only_its_own_overdue_steps(
    client, employment_a, employment_b, liaison_a, liaison_b, django_assert_max_num_queries
):
    arrive(employment_a, liaison_a)
    arrive(employment_b, liaison_b)
    client.force_login(liaison_b)

    page = client.get(reverse("dashboards:school")).content.decode()

    assert "Yusuf Young" in page
    assert "Emma Clarke" not in page


def test_the_center_queue_pages_its_rows_with_a_fixed_number_of_queries(
    client, school_b, center_user, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(views, "OVERDUE_PAGE_SIZE", 10)
    for _index in range(3):
        # Already in China: the clocks ran from the 5 January start and are overdue now.
        hire = make_employment(school_b, start=date(2026, 1, 5))
        Checklist.objects.create(employment=hire, already_in_china=True)
    refresh_checklist_steps()
    total = overdue_step_count_all()
    assert 10 < total <= 15
    client.force_login(center_user)
    url = reverse("guidance:center_overdue")

    # Session, user, count, the page's rows (teacher, school, step in one join), inbox badge.
    with django_assert_num_queries(5):
        first = client.get(url).content.decode()
    # The count is kept: session, user and the second page's rows.
    with django_assert_num_queries(3):
        last = client.get(url, {"page": 2}).content.decode()
    # Each page is kept until the list changes: session and user only.
    with django_assert_num_queries(2):
        again = client.get(url).content.decode()

    assert first.count('data-testid="overdue-row"') == 10
    assert last.count('data-testid="overdue-row"') == total - 10
    assert again.count('data-testid="overdue-row"') == 10


def test_the_center_dashboard_counts_overdue_steps_with_a_fixed_number_of_queries(
    client,
    employment_a,
    liaison_a,
    school_b,
    center_user,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    arrive(employment_a, liaison_a)
    client.force_login(center_user)
    url = reverse("dashboards:center")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    first_count = len(first.captured_queries)  # the next request clears the query log
    for _index in range(3):
        hire = make_employment(school_b, start=date(2026, 1, 5))
        Checklist.objects.create(employment=hire, already_in_china=True)
    with django_capture_on_commit_callbacks(execute=True):
        refresh_checklist_steps()  # its commit retires the cached count

    counts = {queue["key"]: queue["count"] for queue in client.get(url).context["queues"]}
    assert counts["guidance_overdue"] == overdue_step_count_all() > 3
    # Read again once, the counts are cached as before: more steps, not more queries.
    with django_assert_num_queries(first_count):
        client.get(url)
    assert first_count <= 15
