import os
import re
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from tests.accounts.factories import (
    BureauViewerUserFactory,
    CenterStaffUserFactory,
    SchoolStaffUserFactory,
    TeacherUserFactory,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# allowed there for live_server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --- The clock (issue 12): run tests as if it were another hour of the day ---------------------
#
# `--clock=23:30+08:00` (or TEST_CLOCK=...) runs every test with the clock moved to 23:30 in
# UTC+8 today (ticking from there); a full instant such as `--clock=2026-12-03T23:30+08:00`
# is taken as is. CI runs the date-sensitive tests (marker `dates`) at 23:30 and 00:30 Shanghai
# time, the two sides of the UTC/Shanghai date boundary, so a test or a page that mixes a UTC
# date with a local one fails in CI at any hour, not only between 16:00 and 24:00 UTC.

# A module is date-sensitive when its source mentions a date or time API or a timestamp field;
# it gets the `dates` marker without anyone having to remember it.
DATE_SENSITIVE_SOURCE = re.compile(
    r"\b(date|datetime|timedelta|timezone|time_machine|localdate|localtime|now)\b"
    r"|\w_(at|on)\b|\|date\b"
)


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("TEST_CLOCK", ""),
        help=(
            "run tests with the clock moved to this instant, ticking: an ISO datetime with an "
            "offset (2026-12-03T23:30+08:00) or a time of day with an offset (23:30+08:00, "
            "meaning today there). Default: $TEST_CLOCK, else the real clock."
        ),
    )


def parse_clock(text: str, *, now: datetime | None = None) -> datetime:
    """Read a --clock value into an aware datetime; raise ValueError for anything else."""
    text = text.strip()
    if "T" in text or " " in text:
        moment = datetime.fromisoformat(text)
    else:
        at = time.fromisoformat(text)
        if at.tzinfo is None:
            raise ValueError(f"--clock {text!r}: give an offset, e.g. 23:30+08:00")
        today_there = (now or datetime.now(tz=ZoneInfo("UTC"))).astimezone(at.tzinfo).date()
        moment = datetime.combine(today_there, at)
    if moment.tzinfo is None:
        raise ValueError(f"--clock {text!r}: give an offset, e.g. 2026-12-03T23:30+08:00")
    return moment


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "dates: renders or compares dates or times; CI runs these again at 23:30 and 00:30 "
        "Asia/Shanghai (--clock). Given automatically to modules that use date/time APIs.",
    )
    text = config.getoption("--clock")
    try:
        config.test_clock = parse_clock(text) if text else None
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from exc


def pytest_report_header(config):
    if getattr(config, "test_clock", None):
        return f"clock: every test starts at {config.test_clock.isoformat()} (ticking)"
    return None


@pytest.fixture(autouse=True)
def _clock(request):
    """With --clock, run the test (and its fixtures) at that instant; the clock keeps ticking."""
    moment = getattr(request.config, "test_clock", None)
    if moment is None:
        yield None
        return
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


_date_sensitive_modules: dict[Path, bool] = {}


def _is_date_sensitive(item) -> bool:
    path = Path(str(item.fspath))
    if path not in _date_sensitive_modules:
        source = path.read_text(encoding="utf-8") if path.suffix == ".py" else ""
        _date_sensitive_modules[path] = bool(DATE_SENSITIVE_SOURCE.search(source))
    return _date_sensitive_modules[path]


def _database_is_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or fixtures & {"transactional_db", "live_server", "celery_live_worker"}
    )


def _use_serialized_rollback(item) -> None:
    # pytest-django reads the flag from the django_db marker when there is one, else from the
    # fixture names; the prepended marker becomes the closest one.
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        if not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
    elif "django_db_serialized_rollback" not in item.fixturenames:
        item.fixturenames.append("django_db_serialized_rollback")


def pytest_collection_modifyitems(config, items):
    """Give transactional tests serialized rollback; deselect PostgreSQL-only tests on SQLite.

    A transactional test ends by flushing the database, which would also wipe what data
    migrations loaded (districts, subjects, the Center staff group) for every later test in
    the same process; serialized rollback restores it when the next transactional test starts.
    pytest-django runs database tests before transactional ones, so a test that reaches the
    database only through request.getfixturevalue() must still ask for `db` to keep its place.
    """
    for item in items:
        if _is_transactional(item):
            _use_serialized_rollback(item)
        if _is_date_sensitive(item):
            item.add_marker(pytest.mark.dates)
    if _database_is_postgres():
        return
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


REPORTED_MARKERS = ("postgres", "browser", "worker")


def pytest_runtest_logreport(report):
    """Record passed tests carrying the markers CI insists on (controller process only)."""
    target = os.environ.get("PYTEST_REPORT_MARKERS")
    if not target or report.when != "call" or not report.passed:
        return
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    markers = [name for name in REPORTED_MARKERS if name in report.keywords]
    if markers:
        with Path(target).open("a", encoding="utf-8") as handle:
            for name in markers:
                handle.write(f"{name} {report.nodeid}\n")


@pytest.fixture(autouse=True)
def _english_by_default():
    """Requests to /zh-hans/ pages leave Chinese active in the test thread: reset it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (allauth) and cached lookups must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def record_mfa_sign_in(client, user) -> None:
    """Log a password and a TOTP step in the client's session, as allauth's sign-in does."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return
    request = HttpRequest()
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_mfa(monkeypatch):
    """A test client's force_login of a TOTP-enrolled user opens a session that passed MFA.

    Center staff (and superusers) must prove a second factor in each session; tests that sign
    them in with force_login stand for a completed sign-in. Tests of the MFA rules themselves
    sign in through the login form or strip these records.
    """
    from django.test import Client

    force_login = Client.force_login

    def force_login_with_mfa(self, user, backend=None):
        force_login(self, user, backend)
        record_mfa_sign_in(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_mfa)


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser, enrolled in TOTP like every account that reaches admin."""
    from apps.accounts.mfa import totp_enrol
    from apps.accounts.models import User
    from tests.accounts.factories import TOTP_SECRET

    user = User.objects.create_superuser(email="admin@example.com", password="password")
    totp_enrol(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def teacher_user(db):
    return TeacherUserFactory(email="teacher@example.org", full_name="Emma Clarke")


@pytest.fixture
def school_user(db):
    return SchoolStaffUserFactory(email="school@example.org", full_name="Chen Jing")


@pytest.fixture
def center_user(db):
    return CenterStaffUserFactory(email="center@example.org", full_name="Wang Li")


@pytest.fixture
def bureau_user(db):
    return BureauViewerUserFactory(email="bureau@example.org", full_name="Xihu Bureau")


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


def _worker_broker_url() -> str:
    """Each xdist process gets its own Redis database; no broker configured → in-memory."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        return "memory://"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = 1 + int(worker.removeprefix("gw") or 0)
    base = broker.rsplit("/", 1)[0] if broker.count("/") > 2 else broker.rstrip("/")
    return f"{base}/{index}"


@pytest.fixture
def celery_live_worker(transactional_db, settings, monkeypatch):
    """Run a real Celery worker (in a thread) consuming from a real broker for the test."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from hangzhou_waijiao.celery import app

    broker_url = _worker_broker_url()
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "result_backend", "broker_connection_retry")
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery's broker_url prefers this environment variable to its conf (CI sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    settings.CELERY_BROKER_URL = broker_url
    app.conf.update(
        broker_url=broker_url, task_always_eager=False, result_backend="cache+memory://"
    )
    _forget_broker_connections(app)
    if broker_url.startswith("redis://"):
        import redis

        redis.Redis.from_url(broker_url).flushdb()
    # The in-thread test worker never sends worker_init, so Celery's Django fixup does not
    # close the task thread's database connection; without this the test database cannot be
    # dropped at the end of the run.
    task_postrun.connect(_close_task_connections, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_task_connections)
    app.conf.update(saved)
    _forget_broker_connections(app)


def _close_task_connections(**kwargs) -> None:
    from django.db import connections

    connections.close_all()


def _forget_broker_connections(app) -> None:
    """Drop pooled connections so the next publish connects to the broker now configured."""
    app._pool = None
    app.amqp._producer_pool = None


# --- Schools and bureaus (issue 3) ---


@pytest.fixture
def school_a(db):
    from tests.schools.factories import SchoolFactory

    return SchoolFactory(name_en="Xihu No. 1 Primary", name_zh_hans="西湖第一小学")


@pytest.fixture
def school_b(db):
    from apps.core.models import District
    from tests.schools.factories import SchoolFactory

    return SchoolFactory(
        name_en="Gongshu No. 1 Primary",
        name_zh_hans="拱墅第一小学",
        district=District.objects.get(code="330105"),
    )


@pytest.fixture
def liaison_a(school_a):
    from tests.schools.factories import SchoolMembershipFactory

    return SchoolMembershipFactory(
        school=school_a, is_liaison=True, user__email="liaison.a@example.org"
    ).user


@pytest.fixture
def liaison_b(school_b):
    from tests.schools.factories import SchoolMembershipFactory

    return SchoolMembershipFactory(
        school=school_b, is_liaison=True, user__email="liaison.b@example.org"
    ).user


@pytest.fixture
def bureau_xihu_user(db):
    from apps.accounts.models import BureauMembership
    from apps.core.models import District

    user = BureauViewerUserFactory(email="bureau.xihu@example.org")
    BureauMembership.objects.create(user=user, district=District.objects.get(code="330106"))
    return user


@pytest.fixture
def bureau_city_user(db):
    from apps.accounts.models import BureauMembership

    user = BureauViewerUserFactory(email="bureau.city@example.org")
    BureauMembership.objects.create(user=user, district=None)
    return user
