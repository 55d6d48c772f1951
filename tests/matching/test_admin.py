import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.core.models import District
from apps.matching import services
from apps.matching.models import MatchRun, MatchSuggestion, RunStatus
from tests.matching.factories import XIHU, english_teacher, english_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    return client


def test_center_staff_start_a_district_run_from_admin_and_watch_it(
    staff_client, django_capture_on_commit_callbacks
):
    english_teacher()
    english_vacancy()
    xihu = District.objects.get(code=XIHU)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:matching_matchrun_add"), {"district": xihu.pk, "kind": "full"}
        )
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.district == xihu and run.status == RunStatus.DONE
    listing = staff_client.get(reverse("admin:matching_matchrun_changelist"))
    assert listing.status_code == 200
    assert f"?run__id__exact={run.pk}" in listing.content.decode()
    detail = staff_client.get(reverse("admin:matching_matchrun_change", args=[run.pk]))
    assert detail.status_code == 200 and "total" in detail.content.decode()


def test_a_city_run_from_admin_has_no_district(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:matching_matchrun_add"), {"district": "", "kind": "full"}
        )
    assert response.status_code == 302
    run = MatchRun.objects.get()
    # Nothing to match is a finished run with zero counts, not a failure.
    assert run.district is None and run.status == RunStatus.DONE, run.failure_reason
    assert run.counts["suggestions"] == 0


def test_suggestion_list_filters_and_query_count(
    staff_client, center_user, django_assert_max_num_queries
):
    for _ in range(4):
        english_teacher()
    for _ in range(3):
        english_vacancy()
    run = services.match_run_start(actor=center_user, queue=False)
    services.match_run_execute(run_id=run.pk)
    assert MatchSuggestion.objects.filter(run=run).count() == 12
    url = reverse("admin:matching_matchsuggestion_changelist")
    with django_assert_max_num_queries(16):
        response = staff_client.get(url, {"run__id__exact": run.pk, "score_band": "0"})
    assert response.status_code == 200
    for params in ({"assigned__exact": "1"}, {"score_band": "80"}, {"score_band": "60"}):
        assert staff_client.get(url, params).status_code == 200
    assert staff_client.get(url, {"assigned__exact": "1"}).context["cl"].result_count == 3


def test_school_staff_and_teachers_cannot_open_matching_admin(client, school_user, teacher_user):
    for user in (school_user, teacher_user):
        client.force_login(user)
        response = client.get(reverse("admin:matching_matchrun_changelist"))
        assert response.status_code in (302, 403)
        response = client.post(
            reverse("admin:matching_matchrun_add"), {"district": "", "kind": "full"}
        )
        assert response.status_code in (302, 403)
    assert not MatchRun.objects.exists()


def test_starting_a_second_run_over_a_scope_shows_the_reason(staff_client, center_user):
    services.match_run_start(actor=center_user, queue=False)
    response = staff_client.post(
        reverse("admin:matching_matchrun_add"), {"district": "", "kind": "full"}
    )
    assert response.status_code == 200
    assert "still queued or running" in response.content.decode()
    assert MatchRun.objects.count() == 1


def test_a_stable_round_from_admin_needs_a_season(staff_client):
    url = reverse("admin:matching_matchrun_add")
    response = staff_client.post(url, {"district": "", "kind": "stable"})
    assert response.status_code == 200
    assert "A stable round needs the season" in response.content.decode()
    assert not MatchRun.objects.exists()
    response = staff_client.post(
        url,
        {
            "district": "",
            "kind": "stable",
            "season_start": "2026-03-01",
            "season_end": "2026-06-30",
        },
    )
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.kind == "stable" and str(run.season_end) == "2026-06-30"


def test_pushed_suggestions_are_listed_read_only(staff_client, center_user):
    from apps.matching.models import Recommendation

    teacher = english_teacher(legal_name="Alice Pushed")
    english_vacancy(title_en="Grade 4 English")
    run = services.match_run_start(actor=center_user, queue=False)
    run = services.match_run_execute(run_id=run.pk)
    pair = MatchSuggestion.objects.get(run=run)
    services.recommendations_push(actor=center_user, run=run, suggestion_ids=[pair.pk])
    url = reverse("admin:matching_recommendation_changelist")
    for params in ({}, {"status__exact": "pushed"}, {"kind__exact": "suggestion"}, {"q": "Alice"}):
        response = staff_client.get(url, params)
        assert response.status_code == 200 and response.context["cl"].result_count == 1, params
    assert staff_client.get(url, {"q": "nobody"}).context["cl"].result_count == 0
    recommendation = Recommendation.objects.get(teacher=teacher)
    change = reverse("admin:matching_recommendation_change", args=[recommendation.pk])
    assert staff_client.get(change).status_code == 200  # view only
    assert staff_client.get(reverse("admin:matching_recommendation_add")).status_code == 403
    staff_client.post(change, {"status": "dismissed"})
    recommendation.refresh_from_db()
    assert recommendation.status == "pushed"


def test_a_season_in_the_wrong_order_from_admin_reads_as_a_sentence(staff_client):
    response = staff_client.post(
        reverse("admin:matching_matchrun_add"),
        {
            "district": "",
            "kind": "stable",
            "season_start": "2026-03-01",
            "season_end": "2026-02-01",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "The season must end on or after its first day." in text
    assert "matching_run_season_in_order" not in text
    assert response.context_data["adminform"].form.errors["season_end"] == [
        "The season must end on or after its first day."
    ]
    assert not MatchRun.objects.exists()


def test_the_runs_list_costs_the_same_with_many_incremental_runs(
    staff_client, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def listing_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = staff_client.get(reverse("admin:matching_matchrun_changelist"))
        assert page.status_code == 200
        return len(queries)

    teacher = english_teacher()
    vacancy = english_vacancy()
    with django_capture_on_commit_callbacks(execute=False):
        services.incremental_run_start(vacancy=vacancy)
    few = listing_queries()
    MatchRun.objects.update(status=RunStatus.FAILED, finished_at=MatchRun.objects.get().created_at)
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(3):
            services.incremental_run_start(vacancy=english_vacancy())
        services.incremental_run_start(teacher=teacher)
    assert MatchRun.objects.count() == 5
    assert listing_queries() == few
    # The suggestions list offers full runs and stable rounds only, however many runs exist.
    suggestions = staff_client.get(reverse("admin:matching_matchsuggestion_changelist"))
    assert suggestions.status_code == 200
