"""No passport number, permit number, birth date, phone number or email reaches a log line."""

import copy
import logging

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.logging import RedactPersonalData, redact
from apps.matching.services import match_run_start
from apps.notifications.services import notify
from apps.schools.models import School
from apps.teachers.models import Teacher
from tests.security.objects import build_world
from tests.security.routes import ACTORS, ROUTES
from tests.security.test_headers_and_exports import parameterless_pages
from tests.security.test_isolation_matrix import _url


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(copy.copy(record))


@pytest.fixture
def captured():
    """Every record of every logger at every level while the test runs."""
    root = logging.getLogger()
    handler, level = Collect(), root.level
    # First in line: it copies each record before the configured handler's filter rewrites it.
    root.handlers.insert(0, handler)
    root.setLevel(logging.DEBUG)
    yield handler.records
    root.removeHandler(handler)
    root.setLevel(level)


def _configured_handler() -> logging.Handler:
    """The handler settings.LOGGING gives the root logger (the one that writes the log)."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactPersonalData) for f in handler.filters)
    ]
    assert handlers, "settings.LOGGING must attach RedactPersonalData to the root handler"
    return handlers[0]


def _written(handler: logging.Handler, record: logging.LogRecord) -> str:
    record = copy.copy(record)
    return handler.format(record) if handler.filter(record) else ""


def test_redact_blanks_search_queries_emails_and_phones():
    line = (
        '"GET /en/admin/teachers/teacher/?q=P12345678 HTTP/1.1" 200 and '
        '"GET /en/matching/explain/search/teacher/?teacher_q=X9 HTTP/1.1" from '
        "emma.clarke@example.org, phone 13912345678 or +44 20 7946 0958"
    )
    cleaned = redact(line)
    for secret in ("P12345678", "X9", "emma.clarke@example.org", "13912345678", "7946"):
        assert secret not in cleaned
    assert "/en/admin/teachers/teacher/?[redacted]" in cleaned
    assert "/en/vacancies/?subject=english" in redact("GET /en/vacancies/?subject=english")


@pytest.mark.django_db
def test_pages_searches_and_the_pipeline_log_no_personal_data(captured, record_property):
    actors, objects = build_world()
    teachers = list(Teacher.objects.select_related("user"))
    secrets = {t.passport_number for t in teachers if t.passport_number}
    secrets |= {t.date_of_birth.isoformat() for t in teachers if t.date_of_birth}
    secrets |= {user.email for user in actors.values() if user is not None}
    secrets |= {p for p in School.objects.values_list("contact_phone", flat=True) if p}
    passport = objects["teacher_y"].passport_number

    # Every page and every object route as every actor.
    for actor in ACTORS:
        client = Client(raise_request_exception=False)
        if actors[actor] is not None:
            client.force_login(actors[actor])
        for name in parameterless_pages():
            client.get(reverse(name))
        for route in ROUTES:
            client.get(_url(route, objects))
    # The two passport searches (admin and explain-pair) and the pipeline's background work.
    center = Client()
    center.force_login(actors["center"])
    assert center.get(reverse("admin:teachers_teacher_changelist"), {"q": passport}).status_code
    assert center.get(
        reverse("matching:pair_search", kwargs={"kind": "teacher"}), {"teacher_q": passport}
    ).status_code
    match_run_start(actor=actors["center"])
    notify(recipient=actors["teacher_x"], kind="test", title="Your documents were checked")
    # What runserver's access log writes for the admin search.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /en/admin/teachers/teacher/?q={passport} HTTP/1.1", 200, 1234
    )

    handler = _configured_handler()
    leaks = [
        (record.name, secret)
        for record in captured
        for secret in secrets
        if secret in _written(handler, record)
    ]
    raw = sum(1 for record in captured if any(s in record.getMessage() for s in secrets))
    record_property(
        "security_figure",
        f"logs: {len(captured)} records, {raw} carried personal data before redaction, "
        f"{len(leaks)} after",
    )
    assert len(captured) > 100
    assert not leaks, leaks
