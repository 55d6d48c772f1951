"""Public procedure pages, the checklist pages and who may open them."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from apps.core.fragments import CSRF_PLACEHOLDER
from apps.guidance.models import Checklist, ChecklistEntry, Procedure
from apps.guidance.seed_data import PROCEDURES
from apps.guidance.services import checklist_steps_refresh
from tests.evaluations.factories import make_employment
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory

from .conftest import arrive, issue_work_permit

pytestmark = pytest.mark.usefixtures("frozen")


def checklist_url(employment):
    return reverse("guidance:checklist", args=[employment.code])


# --- Public procedures ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_seeded_procedure_renders_in_both_languages(client, db, language):
    for data in PROCEDURES:
        response = client.get(f"/{language}/guidance/procedures/{data['slug']}/")
        text = response.content.decode()
        expected = data["title"]["en" if language == "en" else "zh_hans"]

        assert response.status_code == 200, data["slug"]
        assert escape(expected) in text
        for step in data["steps"]:
            assert escape(step["en" if language == "en" else "zh_hans"]) in text


def test_a_procedure_page_shows_the_limit_from_the_settings_and_uncertainty(client, db):
    response = client.get("/zh-hans/guidance/procedures/work-permit-card/")
    text = response.content.decode()

    assert 'data-testid="uncertain"' in text
    assert "2026-12-01" in text  # last checked on
    assert "外国人工作许可证" in text

    english = client.get("/en/guidance/procedures/work-permit-card/").content.decode()
    assert "within 15 days of entry into China" in english
    assert (
        "issued within the last 6 months"
        in client.get("/en/guidance/procedures/residence-permit/").content.decode()
    )


def test_the_index_searches_and_filters(client, db):
    url = reverse("guidance:index")

    everything = client.get(url).content.decode()
    leaving = client.get(url, {"stage": "leaving"}).content.decode()
    interns = client.get(url, {"category": "4"}).content.decode()
    search = client.get(url, {"q": "住宿"}).content.decode()

    assert "Z visa" in everything
    assert "Cancellation of the work permit" in leaving
    assert "Z visa" not in leaving
    assert "Internship annotation" in interns
    assert "Foreigner&#x27;s work permit card" not in interns
    assert "Accommodation registration" in search
    assert "Z visa" not in search


def test_unpublished_procedures_are_hidden(client, db):
    Procedure.objects.filter(slug="z-visa").update(is_published=False)

    assert client.get("/en/guidance/procedures/z-visa/").status_code == 404
    assert (
        "/guidance/procedures/z-visa/" not in client.get(reverse("guidance:index")).content.decode()
    )


def test_the_index_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    client.get(reverse("guidance:index"))  # warm the session and policy row
    with django_assert_num_queries(2):  # procedures + policy settings
        client.get(reverse("guidance:index"), {"stage": "arrival"})


# --- Checklists ----------------------------------------------------------------------------------


def test_the_school_and_the_teacher_see_the_checklist(client, employment_a, liaison_a, teacher_x):
    arrive(employment_a, liaison_a)
    for user in (liaison_a, teacher_x.user):
        client.force_login(user)
        response = client.get(checklist_url(employment_a))
        assert response.status_code == 200
        assert 'data-testid="step-work-permit-card"' in response.content.decode()
        assert client.get(reverse("guidance:timeline", args=[employment_a.code])).status_code == 200


def test_another_school_or_teacher_gets_404(
    client, employment_a, liaison_b, teacher_y, bureau_city_user
):
    health = Procedure.objects.get(slug="health-certificate")
    mark = reverse("guidance:step_mark", args=[employment_a.code, health.code])
    for user in (liaison_b, teacher_y.user):
        client.force_login(user)
        assert client.get(checklist_url(employment_a)).status_code == 404
        assert client.get(reverse("guidance:timeline", args=[employment_a.code])).status_code == 404
        response = client.post(
            mark, {f"s{health.pk}-status": "done", f"s{health.pk}-done_on": "2026-03-05"}
        )
        assert response.status_code == 404
    assert not ChecklistEntry.objects.exists()
    client.force_login(bureau_city_user)
    assert client.get(checklist_url(employment_a)).status_code == 403


def test_a_cluster_member_school_reads_the_checklist_and_only_the_lead_marks(
    client, school_a, liaison_a, teacher_y
):
    member = SchoolFactory()
    member_staff = SchoolMembershipFactory(school=member).user
    employment = make_employment(school_a, teacher=teacher_y, members=((member, 6),))
    health = Procedure.objects.get(slug="accommodation-registration")
    mark = reverse("guidance:step_mark", args=[employment.code, health.code])

    client.force_login(member_staff)
    page = client.get(checklist_url(employment))
    forged = client.post(mark, {f"s{health.pk}-status": "done", f"s{health.pk}-done_on": ""})

    assert page.status_code == 200
    assert page.context["may_mark"] is False
    assert 'data-testid="mark-' not in page.content.decode()
    assert forged.status_code == 403
    assert not ChecklistEntry.objects.exists()
    client.force_login(liaison_a)
    assert 'data-testid="mark-' in client.get(checklist_url(employment)).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, employment_a):
    response = client.get(checklist_url(employment_a))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_center_sees_any_checklist_and_the_overdue_queue(
    client, employment_a, liaison_a, center_user
):
    arrive(employment_a, liaison_a)
    client.force_login(center_user)

    assert client.get(checklist_url(employment_a)).status_code == 200
    queue = client.get(reverse("guidance:center_overdue")).content.decode()
    assert "Emma Clarke" in queue
    dashboard = client.get(reverse("dashboards:center")).content.decode()
    assert 'data-queue="guidance_overdue"' in dashboard


def test_a_bad_done_date_is_refused_on_the_page_and_the_input_kept(client, employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    accommodation = Procedure.objects.get(slug="accommodation-registration")
    client.force_login(liaison_a)

    response = client.post(
        reverse("guidance:step_mark", args=[employment_a.code, accommodation.code]),
        {f"s{accommodation.pk}-status": "done", f"s{accommodation.pk}-done_on": "2026-02-27"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert "the date cannot be before the arrival on 2026-03-02" in text
    assert 'value="2026-02-27"' in text
    assert not ChecklistEntry.objects.exists()


def test_marking_a_step_from_the_page(client, employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    accommodation = Procedure.objects.get(slug="accommodation-registration")
    client.force_login(liaison_a)

    response = client.post(
        reverse("guidance:step_mark", args=[employment_a.code, accommodation.code]),
        {f"s{accommodation.pk}-status": "done", f"s{accommodation.pk}-done_on": "2026-03-03"},
    )

    assert response.status_code == 302
    entry = ChecklistEntry.objects.get()
    assert entry.done_on == date(2026, 3, 3)
    assert entry.recorded_by == liaison_a


def test_the_school_sets_the_in_china_situation(client, employment_a, liaison_a):
    client.force_login(liaison_a)

    client.post(reverse("guidance:situation", args=[employment_a.code]), {"already_in_china": "on"})

    text = client.get(checklist_url(employment_a)).content.decode()
    assert 'data-testid="step-z-visa"' not in text


def test_the_checklist_page_runs_a_fixed_number_of_queries(
    client, employment_a, liaison_a, django_assert_num_queries
):
    arrive(employment_a, liaison_a)
    client.force_login(liaison_a)
    client.get(checklist_url(employment_a))
    # The session, the user, the hire with its school, teacher and situation, the reader's
    # membership: the register rows, marks and procedures come from the cache.
    with django_assert_num_queries(4) as first:
        client.get(checklist_url(employment_a))
    health = Procedure.objects.get(slug="health-certificate")
    health.on_checklist = True
    health.save()  # retires the cached procedures
    for slug in ("health-certificate", "accommodation-registration"):
        ChecklistEntry.objects.create(
            employment=employment_a,
            procedure=Procedure.objects.get(slug=slug),
            status="not_applicable",
            reason=f"Not needed: {slug}",
        )
    # More marks and steps, the same queries; the procedure's save retired the cached
    # procedures and policy, the marks the hire's register rows: each read again once.
    with django_assert_num_queries(len(first.captured_queries) + 4):
        page = client.get(checklist_url(employment_a)).content.decode()
    assert "Not needed: health-certificate" in page
    assert "Not needed: accommodation-registration" in page
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(checklist_url(employment_a))


def step_row(page, slug):
    """The HTML of one step's row of the checklist page."""
    start = page.index(f'data-testid="step-{slug}"')
    return page[start : page.index("</tr>", start)]


def test_the_cached_checklist_follows_the_register_and_the_marks(client, employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    accommodation = Procedure.objects.get(slug="accommodation-registration")
    client.force_login(liaison_a)
    before = client.get(checklist_url(employment_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Overdue" in step_row(before, "work-permit-card")

    issue_work_permit(employment_a, liaison_a)
    entry = ChecklistEntry.objects.create(
        employment=employment_a, procedure=accommodation, status="done", done_on=date(2026, 3, 5)
    )
    after = client.get(checklist_url(employment_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    entry.delete()  # as the admin deletes a mark
    reopened = client.get(checklist_url(employment_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "from the register" in step_row(after, "work-permit-card")
    assert "Overdue" not in step_row(after, "work-permit-card")
    assert "2026-03-05" in step_row(after, "accommodation-registration")
    assert "2026-03-05" not in step_row(reopened, "accommodation-registration")
    assert 'data-testid="mark-accommodation-registration"' in reopened


def test_two_staff_mark_from_the_shared_rows_each_with_their_own_token(
    employment_a, liaison_a, school_a
):
    arrive(employment_a, liaison_a)
    colleague = SchoolMembershipFactory(school=school_a).user
    accommodation = Procedure.objects.get(slug="accommodation-registration")
    prefix = f"s{accommodation.pk}"
    tokens = []
    for user in (liaison_a, colleague):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = browser.get(checklist_url(employment_a)).content.decode()
        form = page[page.index('data-testid="mark-accommodation-registration"') :]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1))
    # The colleague's page came from the rows the liaison's visit cached.
    response = browser.post(
        reverse("guidance:step_mark", args=[employment_a.code, accommodation.code]),
        {
            "csrfmiddlewaretoken": tokens[1],
            f"{prefix}-status": "done",
            f"{prefix}-done_on": "2026-03-03",
        },
    )

    assert CSRF_PLACEHOLDER not in tokens
    assert tokens[0] != tokens[1]
    assert response.status_code == 302
    assert ChecklistEntry.objects.get().recorded_by == colleague


def test_the_school_page_shows_the_checklist_panel_and_dashboard_overdue(
    client, employment_a, liaison_a
):
    arrive(employment_a, liaison_a)
    client.force_login(liaison_a)

    page = client.get(employment_a.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    dashboard = client.get(reverse("dashboards:school")).content.decode()

    assert 'data-testid="checklist-panel"' in page
    assert "2026-03-17" in page  # the work-permit card, 15 days after 2 March
    assert 'data-testid="overdue-steps"' in dashboard
    assert "Emma Clarke" in dashboard


def test_the_teacher_list_links_to_the_checklist(client, employment_a, teacher_x):
    client.force_login(teacher_x.user)

    text = client.get(reverse("employment:teacher_list")).content.decode()

    assert checklist_url(employment_a) in text


def test_the_overdue_queue_reads_a_fixed_number_of_queries(
    client,
    employment_a,
    liaison_a,
    center_user,
    school_b,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    arrive(employment_a, liaison_a)
    client.force_login(center_user)
    url = reverse("guidance:center_overdue")
    client.get(reverse("guidance:index"))  # caches the inbox badge's count, not the queue
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _index in range(3):
        other = make_employment(school_b, start=date(2026, 3, 1))
        # Already in China: the clocks ran from the 1 March start and are overdue now.
        Checklist.objects.create(employment=other, already_in_china=True)
    # Written straight to the database: the nightly job's refresh, which retires the cache.
    with django_capture_on_commit_callbacks(execute=True):
        checklist_steps_refresh()
    with django_assert_num_queries(len(one.captured_queries)):
        text = client.get(url).content.decode()
    assert text.count('data-testid="overdue-row"') >= 2 + 3 * 2


def test_text_that_reads_like_the_token_placeholder_stays_as_typed(client, employment_a, liaison_a):
    ChecklistEntry.objects.create(
        employment=employment_a,
        procedure=Procedure.objects.get(slug="health-certificate"),
        status="not_applicable",
        reason=CSRF_PLACEHOLDER,
    )
    client.force_login(liaison_a)

    page = client.get(checklist_url(employment_a)).content.decode()

    # Only the hidden field's value is the request's token, not the reason shown beside it.
    assert CSRF_PLACEHOLDER in step_row(page, "health-certificate")
