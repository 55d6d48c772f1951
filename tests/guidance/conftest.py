from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from apps.employment.services import employment_change_record
from tests.evaluations.factories import make_employment
from tests.teachers.factories import TeacherFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Friday, three weeks after a Monday arrival: inside the contract, before the 30-day limit.
TODAY = datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
ARRIVAL = date(2026, 3, 2)  # a Monday


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def teacher_x(db):
    return TeacherFactory(legal_name="Emma Clarke", user__email="emma@example.org")


@pytest.fixture
def teacher_y(db):
    return TeacherFactory(legal_name="Yusuf Young", user__email="yusuf@example.org")


@pytest.fixture
def employment_a(school_a, liaison_a, teacher_x):
    return make_employment(
        school_a, teacher=teacher_x, start=date(2026, 3, 1), end=date(2027, 2, 28)
    )


@pytest.fixture
def employment_b(school_b, liaison_b, teacher_y):
    return make_employment(school_b, teacher=teacher_y)


def record(employment, actor, kind, on, **values):
    """Record a register change the way the school's page does (the service, then commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return employment_change_record(
            actor=actor, employment=employment, kind=kind, effective_on=on, **values
        )


def arrive(employment, actor, on=ARRIVAL, at: time | None = time(23, 30)):
    return record(employment, actor, "arrival", on, arrival_time=at)


def issue_work_permit(employment, actor, on=date(2026, 3, 16)):
    """Record the work permit (it closes the work-permit card step), valid a year."""
    return record(
        employment, actor, "work_permit", on, permit_number="WP123", expires_on=date(2027, 3, 15)
    )
