"""Two workers on one run at the same moment (PostgreSQL): it is computed and stored once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.matching import services
from apps.matching.models import MatchRun, MatchSuggestion, RunStatus
from tests.concurrency import run_at_once
from tests.matching.factories import english_teacher, english_vacancy

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ITERATIONS = 5


@pytest.fixture
def market(db):
    for _ in range(4):
        english_teacher()
    for _ in range(3):
        english_vacancy()


def _execute(run_id: int, task_id: str):
    return lambda: services.match_run_execute(run_id=run_id, task_id=task_id)


def test_a_run_delivered_twice_at_once_is_stored_once(center_user, market):
    for _ in range(ITERATIONS):
        run = services.match_run_start(actor=center_user, queue=False)
        results = run_at_once(_execute(run.pk, "a"), _execute(run.pk, "b"))
        assert sum(isinstance(r, MatchRun) for r in results) == 1, results
        assert results.count(None) == 1, results
        run.refresh_from_db()
        assert run.status == RunStatus.DONE and run.attempts == 1
        assert MatchSuggestion.objects.filter(run=run).count() == run.counts["suggestions"] == 12


def test_two_workers_taking_over_a_dead_run_store_it_once(center_user, market):
    run = services.match_run_start(actor=center_user, queue=False)
    for _ in range(ITERATIONS):
        MatchRun.objects.filter(pk=run.pk).update(
            status=RunStatus.RUNNING,
            started_at=timezone.now() - timedelta(days=1),
            finished_at=None,
            task_id="dead",
        )
        before = MatchRun.objects.get(pk=run.pk).attempts
        results = run_at_once(_execute(run.pk, "a"), _execute(run.pk, "dead"))
        assert sum(isinstance(r, MatchRun) for r in results) == 1, results
        run.refresh_from_db()
        assert run.status == RunStatus.DONE and run.attempts == before + 1
        assert MatchSuggestion.objects.filter(run=run).count() == 12
