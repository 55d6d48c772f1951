"""Incremental shortlists: a published vacancy or a verified teacher is matched at once."""

import re
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core.models import District, Subject
from apps.matching import services, tasks
from apps.matching.models import MatchRun, MatchSuggestion, RunKind, RunStatus
from apps.matching.selectors import teacher_suggested_vacancies
from apps.teachers.models import TeacherStatus
from apps.teachers.services import teacher_verify
from apps.vacancies.models import Vacancy, VacancyStatus
from apps.vacancies.services import vacancy_approve
from apps.vacancies.signals import vacancy_published
from tests.credit.factories import restriction_create
from tests.matching.factories import XIHU, english_teacher, english_vacancy
from tests.teachers.factories import make_eligible_teacher

pytestmark = pytest.mark.django_db

OTHER_DISTRICT = "330105"


@pytest.fixture
def market(center_user):
    """Four English teachers who qualify anywhere, and three who must never be shortlisted.

    The district a teacher prefers is a preference in a city-wide shortlist, not a rule.
    """
    qualifying = [english_teacher() for _ in range(2)]
    qualifying.append(english_teacher(preferred_districts=[XIHU]))
    qualifying.append(english_teacher(preferred_districts=[OTHER_DISTRICT]))
    maths = make_eligible_teacher()
    maths.subjects.set(Subject.objects.filter(code="math"))
    barred = english_teacher()
    restriction_create(
        teacher=barred, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )
    opted_out = english_teacher(open_to_suggestions=False)
    return {
        "qualifying": qualifying,
        "others": [maths, barred, opted_out],
    }


def _submitted_vacancy(**kwargs) -> Vacancy:
    vacancy = english_vacancy(**kwargs)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.SUBMITTED)
    vacancy.refresh_from_db()
    return vacancy


def _publish(center_user, vacancy, capture) -> MatchRun:
    with capture(execute=True):
        vacancy_approve(actor=center_user, vacancy=vacancy)
    return MatchRun.objects.get(kind=RunKind.INCREMENTAL, vacancy=vacancy)


def test_publishing_a_vacancy_shortlists_the_qualifying_teachers(
    center_user, market, django_capture_on_commit_callbacks
):
    vacancy = _submitted_vacancy()
    run = _publish(center_user, vacancy, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE, run.failure_reason
    assert run.started_by is None and run.teacher_id is None
    rows = MatchSuggestion.objects.filter(run=run).order_by("rank")
    assert {r.teacher_id for r in rows} == {t.pk for t in market["qualifying"]}
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    # The one who prefers another district comes last.
    assert rows.last().teacher_id == market["qualifying"][3].pk
    assert {r.vacancy_id for r in rows} == {vacancy.pk}
    scores = [r.score for r in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert run.counts["posts"] == 1 and run.counts["suggestions"] == 4


def test_verifying_a_teacher_shortlists_their_vacancies(
    center_user, market, django_capture_on_commit_callbacks
):
    fits = [english_vacancy(), english_vacancy(district_code=OTHER_DISTRICT)]
    english_vacancy(district_code=OTHER_DISTRICT, status=VacancyStatus.CLOSED)
    maths = english_vacancy()
    maths.subjects.set(Subject.objects.filter(code="math"))
    teacher = english_teacher()
    teacher.status = TeacherStatus.PENDING
    teacher.save()

    with django_capture_on_commit_callbacks(execute=True):
        teacher_verify(actor=center_user, teacher=teacher)

    run = MatchRun.objects.get(kind=RunKind.INCREMENTAL, teacher=teacher)
    assert run.status == RunStatus.DONE, run.failure_reason
    rows = MatchSuggestion.objects.filter(run=run).order_by("teacher_rank")
    assert {r.vacancy_id for r in rows} == {v.pk for v in fits}
    assert [r.teacher_rank for r in rows] == [1, 2]
    assert {r.teacher_id for r in rows} == {teacher.pk}
    shown = teacher_suggested_vacancies(user=teacher.user)
    assert {s.vacancy.pk for s in shown} == {v.pk for v in fits}


def test_a_second_publish_while_one_waits_queues_no_duplicate(
    market, django_capture_on_commit_callbacks
):
    vacancy = english_vacancy()
    with django_capture_on_commit_callbacks(execute=False):
        vacancy_published.send(sender=Vacancy, vacancy_id=vacancy.pk)
        vacancy_published.send(sender=Vacancy, vacancy_id=vacancy.pk)
    runs = MatchRun.objects.filter(kind=RunKind.INCREMENTAL, vacancy=vacancy)
    assert runs.count() == 1 and runs.get().status == RunStatus.QUEUED


def test_a_waiting_run_whose_task_was_lost_does_not_block_new_shortlists(
    market, django_capture_on_commit_callbacks
):
    """A queued run older than the stale limit was lost by the broker (as for full runs)."""
    vacancy = english_vacancy()
    with django_capture_on_commit_callbacks(execute=False):
        services.incremental_run_start(vacancy=vacancy)
    MatchRun.objects.update(created_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_published.send(sender=Vacancy, vacancy_id=vacancy.pk)
    runs = MatchRun.objects.filter(kind=RunKind.INCREMENTAL, vacancy=vacancy)
    assert runs.filter(status=RunStatus.DONE).exists()


def test_a_vacancy_that_no_longer_exists_is_ignored(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_published.send(sender=Vacancy, vacancy_id=987654)
    assert not MatchRun.objects.exists()


def test_a_vacancy_deleted_before_its_run_executes_fails_nothing(
    market, django_capture_on_commit_callbacks
):
    vacancy = english_vacancy()
    with django_capture_on_commit_callbacks(execute=False):
        run = services.incremental_run_start(vacancy=vacancy)
    vacancy.delete()  # the run goes with it (cascade)
    assert tasks.execute_run.apply(args=[run.pk]).get() == "not-claimed"


def test_a_new_vacancy_reaches_a_teacher_already_ranked_by_a_full_run(
    center_user, market, django_capture_on_commit_callbacks
):
    teacher = market["qualifying"][0]
    first = english_vacancy()
    full = services.match_run_start(actor=center_user, queue=False)
    services.match_run_execute(run_id=full.pk)
    assert [s.vacancy.pk for s in teacher_suggested_vacancies(user=teacher.user)] == [first.pk]

    vacancy = _submitted_vacancy()
    _publish(center_user, vacancy, django_capture_on_commit_callbacks)

    shown = {s.vacancy.pk for s in teacher_suggested_vacancies(user=teacher.user)}
    assert shown == {first.pk, vacancy.pk}
    # And not for a teacher the vacancy's run left out.
    maths = market["others"][0]
    assert teacher_suggested_vacancies(user=maths.user) == []


def _finished(run: MatchRun, days_ago: int) -> None:
    MatchRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(days=days_ago))


def _done_full(center_user, **kwargs) -> MatchRun:
    run = services.match_run_start(actor=center_user, queue=False, **kwargs)
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    return run


def test_nightly_refresh_prunes_old_rows_and_queues_a_city_run(
    center_user, market, django_capture_on_commit_callbacks
):
    english_vacancy()
    english_vacancy(district_code=OTHER_DISTRICT)
    xihu = District.objects.get(code=XIHU)
    oldest_city = _done_full(center_user)
    newest_city = _done_full(center_user)
    only_xihu = _done_full(center_user, district=xihu)
    with django_capture_on_commit_callbacks(execute=False):
        incremental = services.incremental_run_start(teacher=market["qualifying"][0])
        recent = services.incremental_run_start(teacher=market["qualifying"][1])
    services.match_run_execute(run_id=incremental.pk)
    services.match_run_execute(run_id=recent.pk)
    _finished(oldest_city, 60)
    _finished(newest_city, 40)
    _finished(only_xihu, 45)
    _finished(incremental, 31)
    _finished(recent, 10)
    counts = {
        run.pk: MatchSuggestion.objects.filter(run=run).count()
        for run in (oldest_city, newest_city, only_xihu, incremental, recent)
    }
    assert all(counts.values())

    with django_capture_on_commit_callbacks(execute=True):
        outcome = tasks.nightly_refresh()

    assert outcome.startswith(f"pruned {counts[oldest_city.pk] + counts[incremental.pk]};")
    left = {pk: MatchSuggestion.objects.filter(run_id=pk).count() for pk in counts}
    assert left[oldest_city.pk] == 0 and left[incremental.pk] == 0
    assert left[newest_city.pk] == counts[newest_city.pk]  # newest full run of the city
    assert left[only_xihu.pk] == counts[only_xihu.pk]  # newest full run of Xihu
    assert left[recent.pk] == counts[recent.pk]  # younger than 30 days
    # The runs themselves stay, as the record of what was recommended.
    assert MatchRun.objects.filter(pk__in=counts).count() == len(counts)
    nightly = MatchRun.objects.filter(kind=RunKind.FULL, district=None, started_by=None).get()
    assert nightly.status == RunStatus.DONE, nightly.failure_reason
    assert MatchSuggestion.objects.filter(run=nightly).exists()


def test_nightly_refresh_waits_for_a_city_run_in_progress(center_user, market):
    services.match_run_start(actor=center_user, queue=False)
    assert tasks.nightly_refresh().endswith("a city run is in progress")
    assert MatchRun.objects.count() == 1


def test_bench_incremental_prints_figures_for_both_kinds(market):
    for _ in range(3):
        english_vacancy()
    out = StringIO()
    call_command("bench_incremental", "--count", "2", stdout=out)
    text = out.getvalue()
    summary = {
        kind: re.search(rf"^{kind} runs: (\d+), median ([\d.]+) s, max ([\d.]+) s", text, re.M)
        for kind in ("vacancy", "teacher")
    }
    assert all(summary.values()), text
    assert all(int(found.group(1)) == 2 for found in summary.values())
    for phase in ("load", "score", "prepare", "store", "total"):
        assert phase in text
    runs = MatchRun.objects.filter(kind=RunKind.INCREMENTAL)
    assert runs.filter(vacancy__isnull=False, status=RunStatus.DONE).count() == 2
    assert runs.filter(teacher__isnull=False, status=RunStatus.DONE).count() == 2
    for run in runs:
        assert MatchSuggestion.objects.filter(run=run).exists()


def test_opting_back_in_shortlists_the_teacher_at_once(market, django_capture_on_commit_callbacks):
    from apps.teachers.services import teacher_update

    english_vacancy()
    teacher = market["others"][2]  # verified, opted out
    with django_capture_on_commit_callbacks(execute=True):
        teacher_update(actor=teacher.user, teacher=teacher, values={"open_to_suggestions": True})
    run = MatchRun.objects.get(kind=RunKind.INCREMENTAL, teacher=teacher)
    assert run.status == RunStatus.DONE
    assert MatchSuggestion.objects.filter(run=run, teacher=teacher).exists()
    # Turning it off (or saving it unchanged) queues nothing.
    with django_capture_on_commit_callbacks(execute=True):
        teacher_update(actor=teacher.user, teacher=teacher, values={"open_to_suggestions": True})
    assert MatchRun.objects.filter(teacher=teacher).count() == 1


def test_nightly_refresh_fails_runs_no_worker_finished(client, center_user, market):
    lost = services.match_run_start(actor=center_user, queue=False)
    MatchRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(days=1))
    tasks.nightly_refresh()
    lost.refresh_from_db()
    assert lost.status == RunStatus.FAILED and lost.finished_at is not None
    assert "No worker finished this run" in lost.failure_reason
    assert not lost.in_progress
    # Shown to center staff in their language, not in the worker's.
    client.force_login(center_user)
    page = client.get(f"/zh-hans/matching/runs/{lost.code}/").content.decode()
    assert "在规定时间内没有后台任务完成此次运行。" in page


def test_the_abandoned_sweep_leaves_a_run_a_worker_just_claimed(center_user, market):
    run = services.match_run_start(actor=center_user, queue=False)
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=1))
    real_lock = MatchRun.objects.select_for_update

    def claim_between_listing_and_lock(*args, **kwargs):
        # The worker claims the run after the sweep listed it, before the sweep locks it.
        services.match_run_claim(run_id=run.pk, task_id="late-worker")
        return real_lock(*args, **kwargs)

    with mock.patch.object(
        MatchRun.objects, "select_for_update", side_effect=claim_between_listing_and_lock
    ):
        assert services.match_runs_fail_abandoned() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING


def test_pruning_keeps_the_newest_stable_round(center_user, market):
    from tests.applications.factories import ApplicationFactory

    vacancy = english_vacancy()
    for teacher in market["qualifying"]:
        ApplicationFactory(teacher=teacher, vacancy=vacancy)
    today = timezone.localdate()
    season = {"season_start": today - timedelta(days=7), "season_end": today}
    older = _done_full(center_user, kind=RunKind.STABLE, **season)
    newest = _done_full(center_user, kind=RunKind.STABLE, **season)
    _finished(older, 200)
    _finished(newest, 100)
    kept = MatchSuggestion.objects.filter(run=newest).count()
    assert kept and MatchSuggestion.objects.filter(run=older).exists()
    services.match_runs_prune()
    assert not MatchSuggestion.objects.filter(run=older).exists()
    assert MatchSuggestion.objects.filter(run=newest).count() == kept
