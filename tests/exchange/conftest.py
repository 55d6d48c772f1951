from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.employment.models import ChangeKind, EmploymentChange, ExchangeVisit
from apps.exchange.services import api_client_create
from tests.credit.factories import restriction_create
from tests.evaluations.factories import make_employment
from tests.schools.factories import PartnerSchoolFactory
from tests.teachers.factories import TeacherFactory


@pytest.fixture(autouse=True)
def _no_settle(settings):
    """Rows written a moment ago are served at once (the settle window has its own test)."""
    settings.EXCHANGE_SYNC_SETTLE_SECONDS = 0


@pytest.fixture
def make_api_client(center_user):
    """Create an API client with the given scopes; return (client, token)."""

    def make(scopes, **values):
        values.setdefault("department", "Hangzhou Public Security Bureau")
        values.setdefault("expires_at", timezone.now() + timedelta(days=30))
        return api_client_create(actor=center_user, scopes=list(scopes), **values)

    return make


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def register(school_a, school_b):
    """One of every exchanged row: an employment with permits, a visit, a restriction."""
    teacher = TeacherFactory(passport_number="E12345678", legal_name="Emma Clarke")
    employment = make_employment(school_a, teacher=teacher, start=date(2026, 3, 1))
    EmploymentChange.objects.create(
        employment=employment,
        kind=ChangeKind.WORK_PERMIT,
        effective_on=date(2026, 3, 20),
        permit_number="WP998877",
        expires_on=date(2027, 3, 1),
    )
    visit = ExchangeVisit.objects.create(
        school=school_b,
        partner_school=PartnerSchoolFactory(school=school_b),
        visitor_name="Hans Weber",
        nationality="DE",
        passport_number="C01X00T47",
        arrival=date(2026, 10, 1),
        departure=date(2026, 11, 1),
        purpose="Science week",
    )
    record = restriction_create(teacher=TeacherFactory(passport_number="G55544433"))
    return {"employment": employment, "visit": visit, "record": record, "teacher": teacher}
