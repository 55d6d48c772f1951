"""A report build whose worker died is finished exactly once: redelivery, stale sweep, late writer.

The live version (a real worker's child SIGKILLed mid-build) is in
tests/security/test_crash_safety.py; these tests put the row in the state a dead worker leaves.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from apps.core.jobs import stale_after
from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.reports import services, tasks
from apps.reports.models import BuildStatus, ReportBuild
from hangzhou_waijiao.celery import app

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 6, 30, 12, 0, tzinfo=SHANGHAI)
XLSX = "annual-report-2026-330106.xlsx"


@pytest.fixture
def queued_build(db, bureau_xihu_user):
    """A requested build whose task has not run (on_commit never fires in a test transaction).

    The whole test runs on the reference day (the clock stands still at noon).
    """
    with time_machine.travel(NOON, tick=False):
        build, _created = services.report_request(actor=bureau_xihu_user, year=2026)
        yield build


def _worker_died(build: ReportBuild, *, task_id: str, minutes_ago: float) -> None:
    """Leave the build as a worker that claimed it and then died leaves it."""
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.RUNNING,
        attempts=1,
        task_id=task_id,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def _stored_files(build: ReportBuild) -> list[str]:
    _dirs, files = default_storage.listdir("reports")
    return sorted(name for name in files if name.startswith(build.code.hex))


def _ready_events(build: ReportBuild):
    return AuditEvent.objects.filter(action="reports.reportbuild.ready", target_id=str(build.pk))


def test_a_redelivered_task_takes_over_its_dead_attempt_and_replaces_its_files(queued_build):
    build = queued_build
    _worker_died(build, task_id="task-1", minutes_ago=1)
    # The dead attempt had written its spreadsheet before it died.
    default_storage.save(f"reports/{build.code.hex}-{XLSX}", ContentFile(b"half-written"))
    # Another task may not take a build a live worker could still be running…
    assert services.report_build_run(build_id=build.pk, task_id="task-2") is None
    # …but the broker redelivers the dead worker's message under its own id.
    done = services.report_build_run(build_id=build.pk, task_id="task-1")
    assert (done.status, done.attempts) == (BuildStatus.READY, 2)
    assert _stored_files(build) == sorted(
        [f"{build.code.hex}-{XLSX}", f"{build.code.hex}-{XLSX[:-5]}.pdf"]
    )
    with default_storage.open(done.xlsx_file.name) as handle:
        assert handle.read(2) == b"PK"  # the real workbook, not the half-written file
    assert _ready_events(build).count() == 1
    assert ReportBuild.objects.count() == 1


def test_the_sweep_reclaims_a_stale_running_build_and_leaves_a_live_one(
    queued_build, bureau_xihu_user, django_capture_on_commit_callbacks
):
    build = queued_build
    limit = stale_after().total_seconds() / 60
    _worker_died(build, task_id="killed-at-the-limit", minutes_ago=limit - 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_builds_reclaim_abandoned() == 0  # still within the limit
    build.refresh_from_db()
    assert build.status == BuildStatus.RUNNING

    _worker_died(build, task_id="killed-at-the-limit", minutes_ago=limit + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reclaim_abandoned_builds() == 1  # queues the build again; the task runs
    build.refresh_from_db()
    assert (build.status, build.attempts) == (BuildStatus.READY, 2)
    assert _ready_events(build).count() == 1
    assert Notification.objects.filter(recipient=bureau_xihu_user, kind="report.ready").exists()


def test_a_build_abandoned_three_times_fails_with_the_reason_in_the_readers_language(
    client, queued_build, bureau_xihu_user
):
    build = queued_build
    _worker_died(build, task_id="t", minutes_ago=stale_after().total_seconds() / 60 + 1)
    ReportBuild.objects.filter(pk=build.pk).update(attempts=services.REPORT_BUILD_MAX_ATTEMPTS)
    assert services.report_builds_reclaim_abandoned() == 1
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED
    assert build.failure_reason == "No worker finished this report within the time limit."
    assert Notification.objects.filter(recipient=bureau_xihu_user, kind="report.failed").exists()
    bureau_xihu_user.language = "zh-hans"
    bureau_xihu_user.save(update_fields=["language"])
    client.force_login(bureau_xihu_user)
    page = client.get(f"/zh-hans{reverse('reports:build', args=[build.code])[3:]}")
    assert "在规定时间内没有后台任务完成此报告。" in page.content.decode()


def test_a_slow_attempt_that_was_taken_over_writes_nothing(queued_build, monkeypatch):
    build = queued_build
    real_build_xlsx = services.build_xlsx
    overtaken = []

    def presumed_dead(report):
        if not overtaken:
            overtaken.append(True)
            # While attempt 1 is slow, it passes the limit and a second worker builds the report.
            ReportBuild.objects.filter(pk=build.pk).update(
                started_at=timezone.now() - stale_after() - timedelta(minutes=1)
            )
            assert services.report_build_run(build_id=build.pk, task_id="second").attempts == 2
        return real_build_xlsx(report)

    monkeypatch.setattr(services, "build_xlsx", presumed_dead)
    services.report_build_run(build_id=build.pk, task_id="first")
    build.refresh_from_db()
    assert (build.status, build.attempts, build.task_id) == (BuildStatus.READY, 2, "second")
    assert _ready_events(build).count() == 1
    assert len(_stored_files(build)) == 2


def test_the_reclaim_sweep_is_on_the_beat_schedule_and_registered():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-reclaim-abandoned-builds"]
    assert entry["task"] == tasks.reclaim_abandoned_builds.name
    assert entry["task"] in app.tasks
    assert entry["schedule"].minute == {0, 15, 30, 45}
