"""A real Celery worker: redelivered and retried run tasks complete the run exactly once."""

import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from apps.matching import compute, services, tasks
from apps.matching.models import MatchRun, MatchSuggestion, RunStatus
from tests.matching.factories import english_teacher, english_vacancy

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_until_finished(run: MatchRun) -> MatchRun:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            run.refresh_from_db()
        except OperationalError:
            # SQLite's shared-cache test database refuses a read while the worker writes.
            time.sleep(0.1)
            continue
        if run.status in (RunStatus.DONE, RunStatus.FAILED):
            return run
        time.sleep(0.1)
    return run


@pytest.fixture
def market(transactional_db):
    for _ in range(3):
        english_teacher()
    for _ in range(2):
        english_vacancy()


def test_a_worker_finishes_a_started_run(celery_live_worker, market, center_user):
    run = _wait_until_finished(services.match_run_start(actor=center_user))
    assert run.status == RunStatus.DONE, run.failure_reason
    assert MatchSuggestion.objects.filter(run=run).count() == run.counts["suggestions"] == 6


def test_a_redelivered_task_of_a_killed_worker_completes_the_run_once(
    celery_live_worker, market, center_user
):
    run = services.match_run_start(actor=center_user, queue=False)
    # The first worker claimed the run and was killed before acknowledging its message.
    services.match_run_claim(run_id=run.pk, task_id="killed-worker-task")
    assert MatchRun.objects.get(pk=run.pk).started_at <= timezone.now()
    # A duplicate under another id is refused; the broker's redelivery (same id) completes it.
    other = tasks.execute_run.apply_async(args=[run.pk], task_id="another-task")
    redelivered = tasks.execute_run.apply_async(args=[run.pk], task_id="killed-worker-task")
    assert other.get(timeout=30) == "not-claimed"
    assert redelivered.get(timeout=30) == RunStatus.DONE
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.attempts == 2
    assert MatchSuggestion.objects.filter(run=run).count() == 6


def test_a_database_error_is_retried_by_the_worker(celery_live_worker, market, center_user):
    real = compute.load_matching_data
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("connection reset")
        return real(**kwargs)

    with (
        mock.patch.object(tasks, "RETRY_DELAY", 0),
        mock.patch.object(compute, "load_matching_data", side_effect=flaky),
    ):
        run = _wait_until_finished(services.match_run_start(actor=center_user))
    assert len(calls) == 2
    assert run.status == RunStatus.DONE and run.attempts == 2
    assert MatchSuggestion.objects.filter(run=run).count() == 6
