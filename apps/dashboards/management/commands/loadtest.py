"""Drive the portal under production settings with wrk and print the figures (`make loadtest`).

Run through `make loadtest`, which sets the environment: a PostgreSQL database of its own
(LOADTEST_DATABASE_URL), throwaway secrets, Redis for the cache and the broker. The command
seeds the city (or reuses it), collects static files, starts gunicorn, signs users of every
role in by writing their sessions (no passwords over the wire), runs wrk page by page and then
the realistic mix, and prints one table. MODE=matching runs the mix while a city-wide matching
run executes on a real Celery worker.
"""

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psycopg2
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from apps.core.seeding import is_production_settings
from apps.matching.models import MatchRun, RunStatus
from apps.schools.models import School
from apps.teachers.models import Teacher

from ...loadtest import report

SCRIPT = Path(__file__).resolve().parents[2] / "loadtest" / "wrk.lua"
# A database holds "the city" once seed_demo --scale city has run (DESIGN.md "Scales").
CITY_SCHOOLS, CITY_TEACHERS = 3_000, 10_000
# gunicorn answers /healthz within this many seconds of starting, or the run stops.
START_SECONDS = 60
# After a run, wait at most this long for the requests wrk gave up on to finish.
DRAIN_SECONDS = 60
# The Celery worker's niceness in MODE=matching (docker-compose: cpu_shares 256 of 1024).
WORKER_NICENESS = 10


class Command(BaseCommand):
    help = "Run the load test against gunicorn with production settings and print the table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mode", choices=["web", "matching"], default="web")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--connections", type=int, default=32)
        parser.add_argument("--threads", type=int, default=2, help="wrk threads")
        parser.add_argument("--page-seconds", type=int, default=10)
        parser.add_argument("--mix-seconds", type=int, default=30)
        parser.add_argument("--wrk", default="wrk")
        parser.add_argument(
            "--pages",
            default="",
            help="Comma-separated labels: drive only these pages, without the mix (web mode).",
        )

    def handle(self, *args: object, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The load test runs on PostgreSQL: set LOADTEST_DATABASE_URL.")
        if is_production_settings():
            raise CommandError("Run the driver with the dev settings; it starts production ones.")
        if options["mode"] == "matching" and not settings.CELERY_BROKER_URL:
            raise CommandError("MODE=matching needs a broker: set CELERY_BROKER_URL (Redis).")
        self.options = options
        self.workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
        self.environment = self._production_environment()
        self._prepare_database()
        self._manage("collectstatic", "--noinput", "--verbosity", "0")
        plan_file = self.workdir / "plan.json"
        self._manage("loadtest_sessions", "--output", str(plan_file))
        plan = json.loads(plan_file.read_text())
        entries = [report.PlanEntry(**entry) for entry in plan["entries"]]
        processes: list[subprocess.Popen] = []
        try:
            processes.append(self._start_gunicorn())
            self._wait_until_up()
            self._wrk(entries, seconds=3)  # warm-up: connections, caches, compiled templates
            self._drain()
            if options["pages"]:
                rows = self._pages(_labelled(entries, options["pages"]))
            elif options["mode"] == "web":
                rows = self._pages(entries) + self._mix(entries, p95_limit_ms=None)
            else:
                processes.append(self._start_worker())
                rows = self._mix_during_matching(entries)
        finally:
            for process in reversed(processes):
                _stop(process)
            Session.objects.filter(session_key__in=plan["sessions"]).delete()
        self.stdout.write("")
        self.stdout.write(self._header())
        self.stdout.write(report.format_table(rows))

    def _production_environment(self) -> dict[str, str]:
        """Production settings with throwaway secrets, plain HTTP on 127.0.0.1.

        The field keys are the ones the seed wrote with (the dev settings' own or derived from
        the dev secret, as apps.core.fields does), so seeded passport numbers stay readable.
        """
        keys = list(settings.FIELD_ENCRYPTION_KEYS) or [
            base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()
        ]
        return os.environ | {
            "DJANGO_SETTINGS_MODULE": "hangzhou_waijiao.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "FIELD_ENCRYPTION_KEYS": ",".join(keys),
            "FIELD_HASH_KEY": settings.FIELD_HASH_KEY or f"hash:{settings.SECRET_KEY}",
            "EMAIL_URL": "consolemail://",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
            "SITE_URL": f"http://127.0.0.1:{self.options['port']}",
        }

    def _manage(self, *arguments: str) -> None:
        """Run a manage.py command with the production environment gunicorn gets."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR, env=self.environment
        )
        if done.returncode:
            raise CommandError(f"manage.py {arguments[0]} failed (exit {done.returncode}).")

    # --- Database ------------------------------------------------------------------------

    def _prepare_database(self) -> None:
        database = settings.DATABASES["default"]
        maintenance = psycopg2.connect(
            dbname="postgres",
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
        )
        maintenance.autocommit = True
        try:
            with maintenance.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
                if cursor.fetchone() is None:
                    self.stdout.write(f"Creating database {database['NAME']}…")
                    cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
        finally:
            maintenance.close()
        call_command("migrate", interactive=False, verbosity=0)
        if School.objects.count() >= CITY_SCHOOLS and Teacher.objects.count() >= CITY_TEACHERS:
            self.stdout.write(f"Reusing the seeded city in {database['NAME']}.")
        else:
            self.stdout.write("Seeding the city (seed_demo --scale city, a few minutes)…")
            call_command("seed_demo", scale="city")
        # Bulk-loaded tables have no planner statistics until autovacuum gets to them (if it
        # runs at all): without them PostgreSQL picks plans for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- Processes -----------------------------------------------------------------------

    def _start_gunicorn(self) -> subprocess.Popen:
        self.access_log = self.workdir / "access.log"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "hangzhou_waijiao.wsgi",
            "--bind",
            f"127.0.0.1:{self.options['port']}",
            "--workers",
            str(self.options["workers"]),
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            report.ACCESS_LOG_FORMAT,
            "--error-logfile",
            str(self.workdir / "gunicorn.log"),
        ]
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=self.environment)  # noqa: S603

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        url = f"http://127.0.0.1:{self.options['port']}/healthz"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        log = (self.workdir / "gunicorn.log").read_text(errors="replace")[-3000:]
        raise CommandError(f"gunicorn did not answer {url} within {START_SECONDS} s:\n{log}")

    def _start_worker(self) -> subprocess.Popen:
        # At a lower CPU priority, as docker-compose gives the worker a smaller CPU share: the
        # batch waits, the pages do not.
        command = [
            "nice",
            "-n",
            str(WORKER_NICENESS),
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "hangzhou_waijiao",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            "1",
            "--hostname",
            f"loadtest-{os.getpid()}@%h",
            "--logfile",
            str(self.workdir / "worker.log"),
        ]
        with (self.workdir / "worker.out").open("w") as banner:  # the start-up banner
            return subprocess.Popen(  # noqa: S603
                command, cwd=settings.BASE_DIR, env=self.environment, stdout=banner
            )

    # --- Runs ----------------------------------------------------------------------------

    def _wrk(self, entries: list[report.PlanEntry], *, seconds: int) -> report.WrkResult:
        plan = self.workdir / "plan.tsv"
        plan.write_text(report.plan_text(entries))
        command = [
            self.options["wrk"],
            f"-t{self.options['threads']}",
            f"-c{self.options['connections']}",
            f"-d{seconds}s",
            "-s",
            str(SCRIPT),
            f"http://127.0.0.1:{self.options['port']}",
            "--",
            str(plan),
        ]
        try:
            done = subprocess.run(  # noqa: S603
                command, capture_output=True, text=True, check=True
            )
        except FileNotFoundError as error:
            raise CommandError(
                "wrk is not installed: apt-get install wrk (see README, system packages)."
            ) from error
        return report.parse_wrk(done.stdout)

    def _log_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def _drain(self) -> None:
        """Wait until gunicorn has answered what wrk left queued (timed-out requests)."""
        size, quiet_since = -1, time.monotonic()
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline and time.monotonic() - quiet_since < 1:
            time.sleep(0.2)
            if self._log_offset() != size:
                size, quiet_since = self._log_offset(), time.monotonic()

    def _log_since(self, offset: int) -> list[str]:
        self._drain()
        with self.access_log.open(errors="replace") as log:
            log.seek(offset)
            return log.read().splitlines()

    def _pages(self, entries: list[report.PlanEntry]) -> list[report.Row]:
        """Drive each page alone (all its variants and sessions) and return its row."""
        rows = []
        labels = list(dict.fromkeys(entry.label for entry in entries))
        for label in labels:
            alone = [
                report.PlanEntry(1, entry.label, entry.path, entry.cookie)
                for entry in entries
                if entry.label == label
            ]
            offset = self._log_offset()
            result = self._wrk(alone, seconds=self.options["page_seconds"])
            server = report.parse_access_log(self._log_since(offset), {})
            rows.append(report.page_row(label, result, server.get("other")))
            self.stdout.write(f"  {label}: {result.rps:.0f} requests/s")
        return rows

    def _mix(self, entries: list[report.PlanEntry], *, p95_limit_ms: float | None):
        mixed = [entry for entry in entries if entry.weight]
        offset = self._log_offset()
        result = self._wrk(mixed, seconds=self.options["mix_seconds"])
        labels = {entry.path: entry.label for entry in mixed}
        server = report.parse_access_log(self._log_since(offset), labels)
        if p95_limit_ms is None:  # the mix alone: requests/s and p95
            return report.mix_rows(result, server, p95_limit_ms=report.MIX_TARGET["p95_ms"])
        return report.mix_rows(result, server, p95_limit_ms=p95_limit_ms, min_rps=None)

    def _queue_city_run(self) -> MatchRun:
        before = MatchRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self._manage("run_matching")
        run = MatchRun.objects.filter(pk__gt=before, district__isnull=True).order_by("pk").first()
        if run is None:
            raise CommandError("run_matching queued no run.")
        return run

    def _mix_during_matching(self, entries: list[report.PlanEntry]) -> list[report.Row]:
        """Drive the mix while city-wide runs execute on the worker, one after another."""
        runs = [self._queue_city_run()]
        deadline = time.monotonic() + 120
        while runs[0].status == RunStatus.QUEUED:
            if time.monotonic() > deadline:
                raise CommandError("The worker did not pick the matching run up within 120 s.")
            time.sleep(0.5)
            runs[0].refresh_from_db()
        # A city run takes seconds: queue the next as soon as one ends, so the worker is busy
        # matching for the whole mix.
        stop = threading.Event()

        def keep_matching() -> None:
            try:
                while not stop.wait(0.5):
                    runs[-1].refresh_from_db()
                    if runs[-1].status in (RunStatus.DONE, RunStatus.FAILED):
                        runs.append(self._queue_city_run())
            finally:
                connection.close()

        keeper = threading.Thread(target=keep_matching, daemon=True)
        keeper.start()
        try:
            rows = self._mix(entries, p95_limit_ms=report.MATCHING_MIX_P95_MS)
        finally:
            stop.set()
            keeper.join()
        deadline = time.monotonic() + settings.CELERY_TASK_TIME_LIMIT
        for run in runs:
            run.refresh_from_db()
            while run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
                if time.monotonic() > deadline:
                    break
                time.sleep(1)
                run.refresh_from_db()
        took = [
            f"{(run.finished_at - run.started_at).total_seconds():.0f} s"
            for run in runs
            if run.finished_at and run.started_at
        ]
        statuses = sorted({str(run.status) for run in runs})
        self.stdout.write(
            f"City matching runs during the mix: {len(runs)} back to back "
            f"({', '.join(statuses)}; each took {', '.join(took)})."
        )
        return rows

    def _header(self) -> str:
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        return (
            f"mode {self.options['mode']}, gunicorn {self.options['workers']} workers, wrk "
            f"{self.options['threads']} threads × {self.options['connections']} connections, "
            + (
                f"{self.options['page_seconds']} s per page, "
                if self.options["mode"] == "web"
                else ""
            )
            + f"{self.options['mix_seconds']} s mix; "
            f"load average now {load} on {os.cpu_count()} cores"
        )


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _labelled(entries: list[report.PlanEntry], labels: str) -> list[report.PlanEntry]:
    wanted = {label.strip() for label in labels.split(",") if label.strip()}
    unknown = wanted - {entry.label for entry in entries}
    if unknown:
        raise CommandError(f"No page labelled {', '.join(sorted(unknown))} in the plan.")
    return [entry for entry in entries if entry.label in wanted]
