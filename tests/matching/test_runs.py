from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from apps.core.models import AuditEvent, District
from apps.matching import compute, services
from apps.matching.models import MatchRun, MatchSuggestion, RunStatus
from apps.teachers.models import TeacherStatus
from tests.credit.factories import restriction_create
from tests.matching.factories import XIHU, english_teacher, english_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(center_user):
    """Six teachers and four vacancies (five posts) in two districts, plus barred teachers."""
    other = District.objects.exclude(code=XIHU).order_by("sort_order").first()
    teachers = [english_teacher() for _ in range(4)]
    teachers.append(english_teacher(preferred_districts=[XIHU]))
    teachers.append(english_teacher(preferred_districts=[other.code]))
    barred = english_teacher()
    restriction_create(
        teacher=barred, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )
    unverified = english_teacher()
    unverified.status = TeacherStatus.PENDING
    unverified.save()
    opted_out = english_teacher()
    opted_out.open_to_suggestions = False
    opted_out.save()
    vacancies = [english_vacancy(posts=2), english_vacancy()]
    vacancies += [english_vacancy(district_code=other.code) for _ in range(2)]
    return {
        "teachers": teachers,
        "excluded": {barred.pk, unverified.pk, opted_out.pk},
        "vacancies": vacancies,
        "other": other,
    }


def _pairs(run: MatchRun) -> set[tuple]:
    rows = MatchSuggestion.objects.filter(run=run).values_list(
        "teacher_id", "vacancy_id", "rank", "score", "assigned", "components"
    )
    return {(t, v, r, s, a, tuple(sorted(c.items()))) for t, v, r, s, a, c in rows}


def test_center_staff_run_end_to_end(center_user, city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_start(actor=center_user)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.failure_reason
    assert run.started_by == center_user and run.finished_at and run.attempts == 1
    assert set(run.timings) >= {"load", "score", "assign", "store", "total"}
    assert run.counts["teachers"] == 6 and run.counts["posts"] == 4
    assert run.counts["capacity"] == 5
    suggestions = MatchSuggestion.objects.filter(run=run)
    assert suggestions.count() == run.counts["suggestions"] > 0
    assigned = suggestions.filter(assigned=True)
    assert assigned.count() == run.counts["assigned"] == 5
    # Capacity respected and every teacher assigned at most once.
    per_teacher = {}
    for teacher_id, vacancy_id in assigned.values_list("teacher_id", "vacancy_id"):
        per_teacher.setdefault(teacher_id, []).append(vacancy_id)
    assert all(len(v) == 1 for v in per_teacher.values())
    assert assigned.filter(vacancy=city["vacancies"][0]).count() <= 2
    seen = set(suggestions.values_list("teacher_id", flat=True))
    assert not seen & city["excluded"]
    top = suggestions.filter(rank=1).first()
    assert 0 < top.score <= 100 and {"subject", "level"} <= set(top.components)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"matching.run_started", "matching.run_claimed", "matching.run_done"} <= actions


def test_only_center_staff_start_runs(school_user, teacher_user):
    for user in (school_user, teacher_user):
        with pytest.raises(PermissionDenied):
            services.match_run_start(actor=user)
    assert not MatchRun.objects.exists()


def test_executing_twice_or_after_a_crash_gives_the_same_rows(center_user, city):
    run = services.match_run_start(actor=center_user, queue=False)
    services.match_run_execute(run_id=run.pk)
    first = _pairs(run)
    assert first
    # A second delivery of a finished run does nothing.
    assert services.match_run_execute(run_id=run.pk) is None
    assert _pairs(run) == first
    # A worker died mid-store long ago: the run is re-claimed, old rows replaced, not doubled.
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now() - timedelta(days=1), finished_at=None
    )
    again = services.match_run_execute(run_id=run.pk)
    assert again.status == RunStatus.DONE and again.attempts == 2
    assert _pairs(run) == first


def test_a_live_claim_is_not_taken_but_a_redelivered_task_is(center_user, city):
    run = services.match_run_start(actor=center_user, queue=False)
    assert services.match_run_claim(run_id=run.pk, task_id="task-1") == 1
    assert services.match_run_claim(run_id=run.pk, task_id="task-2") is None
    assert services.match_run_execute(run_id=run.pk, task_id="task-2") is None
    # The broker redelivers the dead worker's message under its id.
    done = services.match_run_execute(run_id=run.pk, task_id="task-1")
    assert done.status == RunStatus.DONE and done.attempts == 2


def test_a_stale_attempt_cannot_overwrite_a_newer_one(center_user, city):
    run = services.match_run_start(actor=center_user, queue=False)
    old = services.match_run_claim(run_id=run.pk, task_id="a")
    MatchRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(days=1))
    services.match_run_execute(run_id=run.pk, task_id="b")
    assert not services.match_run_fail(run_id=run.pk, attempt=old, reason="late")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.failure_reason == ""


def test_district_run_touches_only_that_district(center_user, city):
    xihu = District.objects.get(code=XIHU)
    run = services.match_run_start(actor=center_user, district=xihu, queue=False)
    services.match_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.counts["posts"] == 2
    vacancy_districts = set(
        MatchSuggestion.objects.filter(run=run).values_list(
            "vacancy__school__district__code", flat=True
        )
    )
    assert vacancy_districts == {XIHU}
    teacher_ids = set(MatchSuggestion.objects.filter(run=run).values_list("teacher", flat=True))
    assert city["teachers"][5].pk not in teacher_ids  # prefers only the other district


def test_a_failing_run_is_marked_failed_with_its_reason(center_user, city):
    run = services.match_run_start(actor=center_user, queue=False)
    with mock.patch.object(compute, "load_matching_data", side_effect=ValueError("bad data")):
        services.match_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.finished_at
    assert "bad data" in run.failure_reason
    assert not MatchSuggestion.objects.filter(run=run).exists()
    assert AuditEvent.objects.filter(action="matching.run_failed").exists()


def test_task_retries_database_errors_then_gives_up(center_user, city):
    from celery.exceptions import Retry
    from django.db import OperationalError

    from apps.matching.tasks import MAX_RETRIES, execute_run

    run = services.match_run_start(actor=center_user, queue=False)
    broken = mock.patch.object(
        compute, "load_matching_data", side_effect=OperationalError("server closed")
    )
    execute_run.push_request(id="task-1", retries=0, called_directly=False, is_eager=False)
    try:
        with broken, mock.patch.object(execute_run, "retry", side_effect=Retry()) as retry:
            with pytest.raises(Retry):
                execute_run.run(run.pk)
        assert retry.call_args.kwargs["max_retries"] == MAX_RETRIES
        run.refresh_from_db()
        assert run.status == RunStatus.RUNNING  # kept claimed for the retry, same task id
    finally:
        execute_run.pop_request()
    execute_run.push_request(id="task-1", retries=MAX_RETRIES, called_directly=False)
    try:
        with broken:
            assert execute_run.run(run.pk) == "failed"
    finally:
        execute_run.pop_request()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "server closed" in run.failure_reason


def test_run_matching_command_prints_timings_and_counts(center_user, city):
    out = StringIO()
    call_command("run_matching", "--sync", "--district", XIHU, stdout=out)
    text = out.getvalue()
    assert "done" in text and "total" in text and "suggestions" in text
    assert MatchRun.objects.get().district.code == XIHU


def test_run_matching_command_refuses_what_the_service_refuses(center_user):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="season"):
        call_command("run_matching", "--sync", "--kind", "stable", stdout=StringIO())
    with pytest.raises(CommandError, match="season must end"):
        call_command(
            "run_matching",
            "--kind",
            "stable",
            "--season",
            "2026-11-30",
            "2026-09-01",
            stdout=StringIO(),
        )
    assert not MatchRun.objects.exists()


def test_one_live_run_per_scope(center_user):
    from django.core.exceptions import ValidationError

    services.match_run_start(actor=center_user, queue=False)
    with pytest.raises(ValidationError):
        services.match_run_start(actor=center_user, queue=False)
    xihu = District.objects.get(code=XIHU)
    services.match_run_start(actor=center_user, district=xihu, queue=False)
    # A run queued long ago whose task was lost no longer blocks its scope.
    MatchRun.objects.update(created_at=timezone.now() - timedelta(days=1))
    services.match_run_start(actor=center_user, queue=False)
    assert MatchRun.objects.count() == 3


@pytest.mark.parametrize("teachers,vacancies", [(2, 0), (0, 2)])
def test_a_side_with_nobody_finishes_empty(center_user, teachers, vacancies):
    for _ in range(teachers):
        english_teacher()
    for _ in range(vacancies):
        english_vacancy()
    run = services.match_run_start(actor=center_user, queue=False)
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    assert run.counts["suggestions"] == 0 and run.counts["assigned"] == 0
