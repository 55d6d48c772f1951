"""Center staff pages: start a run, follow it, review and push pairs, ask why, explain a pair."""

import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apps.core.models import District, Subject, TeachingLevel
from apps.matching import selectors, services
from apps.matching.models import (
    MatchRun,
    MatchSuggestion,
    Recommendation,
    RecommendationStatus,
    RunKind,
    RunPhase,
    RunStatus,
)
from apps.matching.tasks import execute_run
from apps.notifications.models import Notification
from apps.schools.models import SchoolGroupMember
from apps.vacancies.models import VacancyStatus
from tests.applications.factories import ApplicationFactory
from tests.applications.factories import english_vacancy as vacancy_at
from tests.credit.factories import restriction_create
from tests.matching.factories import XIHU, english_teacher, english_vacancy
from tests.schools.factories import SchoolFactory, SchoolGroupFactory, SchoolMembershipFactory

pytestmark = pytest.mark.django_db


def _run(center_user, **kwargs) -> MatchRun:
    run = services.match_run_start(actor=center_user, queue=False, **kwargs)
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    return run


def _blacklist(teacher, center_user) -> None:
    restriction_create(
        teacher=teacher, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )


@pytest.fixture
def market(center_user):
    """Two English teachers for one single-post vacancy, plus a second vacancy."""
    first = english_teacher(legal_name="Alice First")
    second = english_teacher(legal_name="Bob Second")
    wanted = english_vacancy(title_en="Grade 3 English")
    other = english_vacancy(title_en="Grade 5 English")
    return {"teachers": [first, second], "vacancies": [wanted, other]}


@pytest.fixture
def done_run(center_user, market):
    return _run(center_user)


def _center_urls(run, teacher, vacancy) -> list[str]:
    return [
        reverse("matching:run_start"),
        reverse("matching:run_detail", args=[run.code]),
        reverse("matching:run_progress", args=[run.code]),
        reverse("matching:why_not_teacher", args=[run.code, teacher.code]),
        reverse("matching:why_not_vacancy", args=[run.code, vacancy.code]),
        reverse("matching:pair_explain") + f"?teacher={teacher.code}&vacancy={vacancy.code}",
    ]


def test_center_staff_open_every_page(client, center_user, done_run, market):
    client.force_login(center_user)
    for url in _center_urls(done_run, market["teachers"][0], market["vacancies"][0]):
        assert client.get(url).status_code == 200, url


def test_others_cannot_open_center_pages(
    client, done_run, market, school_user, teacher_user, bureau_user
):
    urls = _center_urls(done_run, market["teachers"][0], market["vacancies"][0])
    push = reverse("matching:run_push", args=[done_run.code])
    suggestion = MatchSuggestion.objects.filter(run=done_run).first()
    for user in (school_user, teacher_user, bureau_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert client.post(push, {"suggestion": [suggestion.pk]}).status_code == 403
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert not Recommendation.objects.exists()


# --- Starting a run ----------------------------------------------------------------------------


def test_a_stable_round_without_a_season_keeps_the_input(client, center_user):
    client.force_login(center_user)
    xihu = District.objects.get(code=XIHU)
    response = client.post(
        reverse("matching:run_start"),
        {"district": xihu.pk, "kind": "stable", "season_start": "2026-03-01"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "A stable round needs the season" in text
    assert f'value="{xihu.pk}" selected' in text
    assert 'value="stable"' in text.split("checked")[0].rsplit("<input", 1)[1]
    assert 'value="2026-03-01"' in text
    assert not MatchRun.objects.exists()


def test_a_season_in_the_wrong_order_is_refused(client, center_user):
    client.force_login(center_user)
    response = client.post(
        reverse("matching:run_start"),
        {"kind": "stable", "season_start": "2026-03-01", "season_end": "2026-02-01"},
    )
    assert response.status_code == 400
    assert not MatchRun.objects.exists()


def test_starting_a_run_queues_it_and_the_worker_finishes_it(
    client, center_user, market, django_capture_on_commit_callbacks
):
    client.force_login(center_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("matching:run_start"), {"district": "", "kind": "full"})
    run = MatchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:run_detail", args=[run.code])
    assert run.started_by == center_user and run.district is None and run.kind == RunKind.FULL
    # The queued task ran eagerly after commit (settings.test: CELERY_TASK_ALWAYS_EAGER).
    queued = [cb for cb in callbacks if getattr(cb, "func", None) == execute_run.delay]
    assert len(queued) == 1 and run.status == RunStatus.DONE
    assert run.counts["assigned"] == 2


def test_a_second_run_over_the_same_scope_is_refused_on_the_form(client, center_user):
    services.match_run_start(actor=center_user, queue=False)
    client.force_login(center_user)
    response = client.post(reverse("matching:run_start"), {"district": "", "kind": "full"})
    assert response.status_code == 400
    assert "still queued or running" in response.content.decode()
    assert MatchRun.objects.count() == 1


# --- Following a run ---------------------------------------------------------------------------


def test_the_progress_fragment_shows_the_phase_then_asks_for_a_reload(client, center_user):
    run = services.match_run_start(actor=center_user, queue=False)
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, phase=RunPhase.SCORE, started_at=timezone.now()
    )
    client.force_login(center_user)
    url = reverse("matching:run_progress", args=[run.code])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Refresh" not in response
    text = response.content.decode()
    assert "Scoring pairs" in text and f'hx-get="{url}"' in text
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, phase=RunPhase.FINISHED, finished_at=timezone.now()
    )
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-get" not in response.content.decode()


# --- Reviewing and pushing ---------------------------------------------------------------------


def test_the_run_page_filters_and_marks_pushed_pairs(
    client, center_user, done_run, market, django_assert_max_num_queries
):
    wanted = market["vacancies"][0]
    pair = MatchSuggestion.objects.get(run=done_run, vacancy=wanted, assigned=True)
    services.recommendations_push(actor=center_user, run=done_run, suggestion_ids=[pair.pk])
    client.force_login(center_user)
    url = reverse("matching:run_detail", args=[done_run.code])
    with django_assert_max_num_queries(24):
        response = client.get(url, {"show": "all", "district": XIHU, "subject": "english"})
    text = response.content.decode()
    assert text.count('data-testid="assignment-row"') == 4  # 2 teachers × 2 vacancies
    assert text.count('data-testid="recommendation-status"') == 1
    assert "Suggested to the school" in text
    # Every pair's explanation is one click away.
    assert f"?teacher={pair.teacher_id}&amp;vacancy={wanted.code}" in text
    response = client.get(url, {"min_score": "100"})
    assert response.content.decode().count('data-testid="assignment-row"') == 0
    maths = Subject.objects.exclude(code="english").first()
    response = client.get(url, {"subject": maths.code, "show": "all"})
    assert response.content.decode().count('data-testid="assignment-row"') == 0


def test_pushing_creates_recommendations_only_for_the_selected_pairs(
    client, center_user, done_run, market
):
    wanted, other = market["vacancies"]
    liaison = SchoolMembershipFactory(school=wanted.school, is_liaison=True).user
    chosen = MatchSuggestion.objects.get(run=done_run, vacancy=wanted, assigned=True)
    client.force_login(center_user)
    response = client.post(
        reverse("matching:run_push", args=[done_run.code]),
        {"suggestion": [chosen.pk], "query": "show=all"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("?show=all")
    assert "1 suggestion pushed to the schools." in response.content.decode()
    recommendation = Recommendation.objects.get()
    assert (recommendation.teacher_id, recommendation.vacancy) == (chosen.teacher_id, wanted)
    assert not Recommendation.objects.filter(vacancy=other).exists()
    note = Notification.objects.get(recipient=liaison)
    assert note.url == reverse("matching:school_candidates", args=[wanted.code])


def test_pushing_nothing_shows_the_reason(client, center_user, done_run):
    client.force_login(center_user)
    response = client.post(reverse("matching:run_push", args=[done_run.code]), follow=True)
    assert "Select at least one suggestion" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_recommendation_already_acted_on_is_left_alone(client, center_user, done_run, market):
    wanted = market["vacancies"][0]
    chosen = MatchSuggestion.objects.get(run=done_run, vacancy=wanted, assigned=True)
    services.recommendations_push(actor=center_user, run=done_run, suggestion_ids=[chosen.pk])
    Recommendation.objects.update(status=RecommendationStatus.DISMISSED)
    client.force_login(center_user)
    page = client.get(reverse("matching:run_detail", args=[done_run.code])).content.decode()
    assert f'name="suggestion" value="{chosen.pk}"' not in page  # nothing to push again
    assert "Dismissed by the school" in page
    client.post(reverse("matching:run_push", args=[done_run.code]), {"suggestion": [chosen.pk]})
    assert Recommendation.objects.get().status == RecommendationStatus.DISMISSED


def test_a_blacklisted_teacher_never_appears_on_the_run_page(client, center_user, market):
    barred = english_teacher(legal_name="Zed Barred")
    _blacklist(barred, center_user)
    run = _run(center_user)
    client.force_login(center_user)
    url = reverse("matching:run_detail", args=[run.code])
    for params in ({}, {"show": "all"}):
        text = client.get(url, params).content.decode()
        assert "Alice First" in text and "Zed Barred" not in text


def test_a_teacher_blacklisted_after_the_run_disappears_from_its_page(
    client, center_user, done_run, market
):
    barred = market["teachers"][0]
    _blacklist(barred, center_user)
    client.force_login(center_user)
    text = client.get(reverse("matching:run_detail", args=[done_run.code]), {"show": "all"})
    text = text.content.decode()
    assert barred.legal_name not in text and market["teachers"][1].legal_name in text
    assert "2 pairs on this page are hidden" in text


def test_the_comparison_shows_a_changed_vacancy(client, center_user):
    first = english_teacher(legal_name="Alice First")
    vacancy = english_vacancy(title_en="Grade 3 English")
    _run(center_user)
    _blacklist(first, center_user)
    english_teacher(legal_name="Carol Next")
    run = _run(center_user)
    client.force_login(center_user)
    text = client.get(reverse("matching:run_detail", args=[run.code])).content.decode()
    assert "0 vacancies kept their teacher, 1 changed" in text
    assert text.count('data-testid="changed-vacancy"') == 1
    row = text.split('data-testid="changed-vacancy"')[1].split("</tr>")[0]
    # The black-listed teacher keeps a place in the "before" column, not their name.
    assert vacancy.title in row and "Carol Next" in row
    assert "Alice First" not in text
    assert "A teacher who can no longer be suggested" in row


def test_the_first_run_says_there_is_nothing_to_compare(client, center_user, done_run):
    client.force_login(center_user)
    text = client.get(reverse("matching:run_detail", args=[done_run.code])).content.decode()
    assert "No earlier finished run" in text


def test_a_stable_round_page_shows_its_findings(client, center_user, django_assert_max_num_queries):
    teachers = [english_teacher(legal_name=f"Teacher {n}") for n in range(3)]
    lead, member = SchoolFactory(), SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=lead)
    SchoolGroupMember.objects.create(group=cluster, school=member)
    plain = english_vacancy()
    shared = english_vacancy(title_en="Shared English post")
    shared.school = lead
    shared.cluster = cluster
    shared.save()
    high = vacancy_at(levels=[TeachingLevel.objects.get(code="senior_secondary")])
    ApplicationFactory(teacher=teachers[0], vacancy=plain, teacher_rank=1)
    ApplicationFactory(teacher=teachers[1], vacancy=plain, school_rank=1)
    ApplicationFactory(teacher=teachers[1], vacancy=shared)
    ApplicationFactory(teacher=teachers[2], vacancy=shared)
    ApplicationFactory(teacher=teachers[2], vacancy=high)  # fails the level rule: dropped
    today = timezone.localdate()
    run = _run(
        center_user,
        kind=RunKind.STABLE,
        season_start=today - timedelta(days=7),
        season_end=today,
    )
    client.force_login(center_user)
    with django_assert_max_num_queries(26):
        response = client.get(reverse("matching:run_detail", args=[run.code]))
    text = unescape(response.content.decode())
    assert "No blocking pairs" in text
    assert "the lead school ranked the applicants; member schools must agree" in text
    caveat = text.split('data-testid="cluster-caveat"')[1].split("</div>")[0]
    assert "Shared English post" in caveat
    assert "1 application was left out" in text
    assert "Teachers' preferences: 1 from their own ranking, 3 by score." in text
    assert "Schools' preferences: 1 from their own ranking, 3 by score." in text


# --- Why not? ----------------------------------------------------------------------------------


def test_why_not_teacher_says_who_outranked_them(client, center_user, market):
    # One vacancy left: the two equal teachers compete for it.
    market["vacancies"][1].status = VacancyStatus.CLOSED
    market["vacancies"][1].save()
    run = _run(center_user)
    loser = MatchSuggestion.objects.get(run=run, assigned=False, rank__isnull=False).teacher
    client.force_login(center_user)
    text = client.get(reverse("matching:why_not_teacher", args=[run.code, loser.code])).content
    text = text.decode()
    assert 'data-code="outranked"' in text
    assert "Grade 3 English went to a teacher scoring" in text
    winner = MatchSuggestion.objects.get(run=run, assigned=True).teacher
    text = client.get(reverse("matching:why_not_teacher", args=[run.code, winner.code])).content
    assert "This run assigned the teacher to:" in text.decode()


def test_why_not_teacher_names_a_failed_teacher_condition(client, center_user, done_run, market):
    barred, out = market["teachers"]
    _blacklist(barred, center_user)
    out.open_to_suggestions = False
    out.save()
    client.force_login(center_user)
    text = client.get(reverse("matching:why_not_teacher", args=[done_run.code, barred.code]))
    # Assigned in the run: the page says where, as the run did it.
    assert "This run assigned the teacher to:" in text.content.decode()
    run = _run(center_user)
    text = client.get(reverse("matching:why_not_teacher", args=[run.code, barred.code]))
    assert "A credit restriction on the teacher is in force." in text.content.decode()
    text = client.get(reverse("matching:why_not_teacher", args=[run.code, out.code]))
    assert "The teacher has not opted in to suggestions." in text.content.decode()


def test_why_not_teacher_tallies_the_rules_when_nothing_fits(client, center_user, market):
    maths = english_teacher(legal_name="Max Maths")
    maths.subjects.set(Subject.objects.filter(group="non_language")[:1])
    run = _run(center_user)
    client.force_login(center_user)
    text = client.get(reverse("matching:why_not_teacher", args=[run.code, maths.code])).content
    text = unescape(text.decode())
    assert "No vacancy in this run's scope passes every hard rule" in text
    row = text.split('data-testid="tally-row"')[1].split("</tr>")[0]
    assert "The teacher teaches none of the vacancy's subjects." in row and "<td>2</td>" in row


def test_why_not_vacancy_explains_an_open_post(client, center_user, market):
    high = vacancy_at(
        title_en="Senior English", levels=[TeachingLevel.objects.get(code="senior_secondary")]
    )
    run = _run(center_user)
    client.force_login(center_user)
    text = client.get(reverse("matching:why_not_vacancy", args=[run.code, high.code])).content
    text = unescape(text.decode())
    assert "No teacher in this run's scope passes every hard rule" in text
    assert "The teacher has not chosen the school levels this vacancy is for." in text
    wanted = market["vacancies"][0]
    text = client.get(reverse("matching:why_not_vacancy", args=[run.code, wanted.code])).content
    assert "This run assigned to the vacancy:" in text.decode()


def test_why_not_vacancy_says_where_its_best_teacher_went(client, center_user):
    star = english_teacher(legal_name="Star Teacher")
    first = english_vacancy(title_en="First English")
    second = english_vacancy(title_en="Second English")
    run = _run(center_user)
    taken = MatchSuggestion.objects.get(run=run, teacher=star, assigned=True).vacancy
    left = second if taken == first else first
    client.force_login(center_user)
    text = client.get(reverse("matching:why_not_vacancy", args=[run.code, left.code])).content
    text = text.decode()
    assert f"Star Teacher went to {taken.title}" in text
    assert 'data-code="outranked"' in text or 'data-code="capacity"' in text


# --- One pair, live ----------------------------------------------------------------------------


def test_pair_explain_shows_components_and_the_score(client, center_user, market):
    teacher, vacancy = market["teachers"][0], market["vacancies"][0]
    client.force_login(center_user)
    response = client.get(
        reverse("matching:pair_explain"), {"teacher": teacher.code, "vacancy": vacancy.code}
    )
    text = response.content.decode()
    assert "The pair passes every hard rule." in text
    assert "Subjects" in text and "Preferred district" in text
    assert 'data-testid="pair-score"' in text


def test_pair_explain_shows_the_failed_rule_of_an_ineligible_pair(client, center_user, market):
    high = vacancy_at(levels=[TeachingLevel.objects.get(code="senior_secondary")])
    client.force_login(center_user)
    response = client.get(
        reverse("matching:pair_explain"),
        {"teacher": market["teachers"][0].code, "vacancy": high.code},
    )
    failed = response.content.decode().split('data-testid="failed-rules"')[1].split("</div>")[0]
    assert "The teacher has not chosen the school levels this vacancy is for." in failed
    assert "subjects" not in failed


def test_pair_explain_says_why_a_side_is_not_matched(client, center_user, market):
    barred, other = market["teachers"]
    wanted = market["vacancies"][0]
    _blacklist(barred, center_user)
    wanted.status = VacancyStatus.CLOSED
    wanted.save()
    client.force_login(center_user)
    text = client.get(
        reverse("matching:pair_explain"), {"teacher": barred.code, "vacancy": wanted.code}
    ).content.decode()
    assert "A credit restriction on the teacher is in force." in text
    assert 'data-testid="pair-score"' not in text
    text = client.get(
        reverse("matching:pair_explain"), {"teacher": other.code, "vacancy": wanted.code}
    ).content.decode()
    assert "The vacancy is not published" in text


def test_pair_explain_of_an_unknown_pair_is_not_found(client, center_user, market):
    client.force_login(center_user)
    url = reverse("matching:pair_explain")
    vacancy = market["vacancies"][0]
    assert client.get(url, {"teacher": uuid.uuid4(), "vacancy": vacancy.code}).status_code == 404
    assert client.get(url, {"teacher": "x", "vacancy": "y"}).status_code == 200  # form errors


# --- Teachers who can no longer be suggested, pruned runs, incremental runs ---------------------


def test_the_run_pair_selector_leaves_out_unsuggestible_teachers(center_user, done_run, market):
    _blacklist(market["teachers"][0], center_user)
    pairs = MatchSuggestion.objects.filter(run=done_run)
    shown = selectors.run_pair_rows(user=center_user, run=done_run, pairs=pairs)
    assert {row.pair.teacher_id for row in shown.rows} == {market["teachers"][1].pk}
    assert shown.hidden == 2 and len(shown.rows) == 2


def test_the_run_pair_selector_is_for_center_staff_only(school_user, done_run):
    with pytest.raises(PermissionDenied):
        selectors.run_pair_rows(user=school_user, run=done_run, pairs=[])


def test_a_blocking_pair_does_not_name_a_teacher_who_can_no_longer_be_suggested(
    client, center_user, market
):
    barred, kept = market["teachers"]
    wanted, other = market["vacancies"]
    today = timezone.localdate()
    run = MatchRun.objects.create(
        kind=RunKind.STABLE,
        status=RunStatus.DONE,
        season_start=today - timedelta(days=7),
        season_end=today,
        finished_at=timezone.now(),
        findings={"blocking_pairs": [[barred.pk, wanted.pk], [kept.pk, other.pk]]},
    )
    _blacklist(barred, center_user)
    client.force_login(center_user)
    text = client.get(reverse("matching:run_detail", args=[run.code])).content.decode()
    pairs = text.split('data-testid="blocking-pair"')[1:]
    assert len(pairs) == 2
    assert "Alice First" not in text
    assert "A teacher who can no longer be suggested" in pairs[0] and wanted.title in pairs[0]
    assert "Bob Second" in pairs[1]


def test_why_not_vacancy_does_not_name_a_teacher_who_can_no_longer_be_suggested(
    client, center_user, done_run, market
):
    wanted = market["vacancies"][0]
    assigned = MatchSuggestion.objects.get(run=done_run, vacancy=wanted, assigned=True).teacher
    _blacklist(assigned, center_user)
    client.force_login(center_user)
    url = reverse("matching:why_not_vacancy", args=[done_run.code, wanted.code])
    text = client.get(url).content.decode()
    assert "This run assigned to the vacancy:" in text
    assert assigned.legal_name not in text
    assert text.count("A teacher who can no longer be suggested") == 1


def _age(run, days: int) -> None:
    then = timezone.now() - timedelta(days=days)
    MatchRun.objects.filter(pk=run.pk).update(created_at=then, started_at=then, finished_at=then)


def test_a_pruned_run_says_its_pairs_are_gone_and_the_next_run_does_not_compare(
    client, center_user, market
):
    old = _run(center_user)
    _age(old, 31)
    new = _run(center_user)
    assert services.match_runs_prune() > 0
    assert not MatchSuggestion.objects.filter(run=old).exists()
    client.force_login(center_user)
    text = client.get(reverse("matching:run_detail", args=[old.code])).content.decode()
    assert "pairs were pruned after 30 days; only its counts and timings remain" in text
    assert "No pairs match these filters" not in text
    text = client.get(reverse("matching:run_detail", args=[new.code])).content.decode()
    box = text.split('data-testid="run-comparison"')[1].split("</section>")[0]
    assert "the previous run's pairs were pruned after 30 days" in box
    assert "newly assigned" not in box


def test_an_empty_filter_on_a_kept_run_still_says_no_pairs_match(client, center_user, done_run):
    client.force_login(center_user)
    url = reverse("matching:run_detail", args=[done_run.code])
    text = client.get(url, {"min_score": "100"}).content.decode()
    assert "No pairs match these filters" in text and "pruned" not in text


def test_an_incremental_run_page_shows_its_shortlist_by_default(client, center_user, market):
    wanted = market["vacancies"][0]
    run = MatchRun.objects.create(
        kind=RunKind.INCREMENTAL, vacancy=wanted, status=RunStatus.DONE, finished_at=timezone.now()
    )
    for rank, teacher in enumerate(market["teachers"], start=1):
        MatchSuggestion.objects.create(
            run=run, teacher=teacher, vacancy=wanted, rank=rank, score=80, components={}
        )
    client.force_login(center_user)
    url = reverse("matching:run_detail", args=[run.code])
    text = client.get(url).content.decode()
    assert text.count('data-testid="assignment-row"') == 2
    assert '<option value="all" selected>' in text
    assert client.get(url, {"show": "assigned"}).content.decode().count("assignment-row") == 0


def test_a_season_in_the_wrong_order_reads_as_a_sentence(client, center_user):
    client.force_login(center_user)
    response = client.post(
        reverse("matching:run_start"),
        {"kind": "stable", "season_start": "2026-03-01", "season_end": "2026-02-01"},
    )
    text = unescape(response.content.decode())
    assert response.status_code == 400
    assert "The season must end on or after its first day." in text
    assert "matching_run_season_in_order" not in text
    # Said next to the day to correct, before the service is asked.
    assert response.context["form"].errors["season_end"] == [
        "The season must end on or after its first day."
    ]
