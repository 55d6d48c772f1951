"""SIGKILL a real worker's child mid-task: the broker redelivers and the job finishes once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.matching import services as matching_services
from apps.matching.models import MatchSuggestion, RunStatus
from apps.reports import services as report_services
from apps.reports.models import BuildStatus, ReportBuild
from hangzhou_waijiao.celery import app
from tests.conftest import _forget_broker_connections
from tests.matching.factories import english_teacher, english_vacancy

# A worker process cannot open pytest's in-memory SQLite database: PostgreSQL only.
pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _broker_url() -> str:
    """A Redis database of its own per xdist process (12 + n, clear of the live-worker ones)."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    base = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    if broker.startswith("redis://") and broker.count("/") == 2:
        base = broker.rstrip("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"{base}/{12 + int(worker.removeprefix('gw') or 0)}"


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def worker_process(tmp_path, settings, monkeypatch):
    """Start the killable worker as a process of its own; stop it (by its id) afterwards."""
    import redis

    broker = _broker_url()
    redis.Redis.from_url(broker).flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery's broker_url prefers the CELERY_BROKER_URL environment variable to its conf: with
    # it set (as in CI) an update of app.conf alone publishes where no worker listens.
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    settings.CELERY_BROKER_URL = broker
    app.conf.update(broker_url=broker, task_always_eager=False)
    _forget_broker_connections(app)
    flags = tmp_path / "flags"
    flags.mkdir()
    (flags / "hold").touch()
    process = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "tests.security.killable_worker", str(flags)],
        cwd=settings.BASE_DIR,
        env=os.environ
        | {
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker,
            "DJANGO_SETTINGS_MODULE": "hangzhou_waijiao.settings.test",
        },
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"),  # noqa: SIM115 (closed with the process)
        start_new_session=True,
    )
    try:
        yield flags
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        app.conf.update(saved)
        _forget_broker_connections(app)


def _kill_child_when_held(flags: Path, step: str) -> None:
    """Wait until the task is held mid-run, SIGKILL that pool child, release the hold."""
    marker = flags / f"entered-{step}"
    pid = int(_wait_for(lambda: marker.exists() and marker.read_text(), 60, f"{step} to start"))
    os.kill(pid, signal.SIGKILL)
    (flags / "hold").unlink()


def test_a_matching_run_survives_a_killed_worker_child_exactly_once(worker_process, center_user):
    for _ in range(3):
        english_teacher()
    for _ in range(2):
        english_vacancy()
    run = matching_services.match_run_start(actor=center_user)
    _kill_child_when_held(worker_process, "matching")

    def finished():
        run.refresh_from_db()
        return run.status in (RunStatus.DONE, RunStatus.FAILED)

    _wait_for(finished, 60, "the redelivered run to finish")
    assert run.status == RunStatus.DONE, run.failure_reason
    assert run.attempts == 2  # the killed attempt and the redelivered one
    pairs = list(MatchSuggestion.objects.filter(run=run).values_list("teacher_id", "vacancy_id"))
    assert len(pairs) == len(set(pairs)) == run.counts["suggestions"] == 6
    done = AuditEvent.objects.filter(action="matching.run_done", target_id=str(run.pk))
    assert done.count() == 1


def test_a_report_build_survives_a_killed_worker_child_exactly_once(
    worker_process, bureau_city_user
):
    year = timezone.localdate().year - 1
    build, _created = report_services.report_request(actor=bureau_city_user, year=year)
    _kill_child_when_held(worker_process, "report")

    def ready():
        build.refresh_from_db()
        return build.status in (BuildStatus.READY, BuildStatus.FAILED)

    _wait_for(ready, 30, "the redelivered build to finish")
    assert build.status == BuildStatus.READY, build.failure_reason
    assert build.attempts == 2  # the killed attempt and the redelivered one
    assert ReportBuild.objects.filter(year=build.year, district=None).count() == 1
    assert build.xlsx_file.name and build.pdf_file.name
    ready_events = AuditEvent.objects.filter(
        action="reports.reportbuild.ready", target_id=str(build.pk)
    )
    assert ready_events.count() == 1
