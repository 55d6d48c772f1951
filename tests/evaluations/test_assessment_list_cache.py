"""The center's cached list of schools to assess: every write it shows changes the page."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from apps.core.selectors import policy_settings_get
from apps.employment.models import ChangeKind, ExchangeVisit
from apps.employment.services import employment_change_record
from apps.evaluations.services import school_assessment_save
from tests.schools.factories import PartnerSchoolFactory

from .factories import evaluation_for, make_employment, open_round, submitted

pytestmark = pytest.mark.usefixtures("_after_the_deadline")


@pytest.fixture
def _after_the_deadline():
    # 2026Q3's deadline is 31 October: on 10 November open evaluations are late.
    with time_machine.travel(date(2026, 11, 10)):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as a request does: its after-commit work (the version bumps) included."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def _row(client, school) -> str:
    """School A's row of the list, as HTML."""
    page = client.get(reverse("evaluations:center_assessments")).content.decode()
    rows = re.findall(r'<tr data-testid="assessment-row">.*?</tr>', page, re.S)
    return next(row for row in rows if school.name_en in row or school.name_zh_hans in row)


def _indicator(row: str, label: str) -> str:
    """One indicator's line: its mark (✓ ✗ ○), label and ratio."""
    return next(item for item in re.findall(r"<li>.*?</li>", row, re.S) if label in item)


def test_the_list_changes_after_each_write_it_shows(
    client, committed, employment_a, liaison_a, center_user
):
    school = employment_a.school
    evaluation = evaluation_for(employment_a)
    client.force_login(center_user)
    row = _row(client, school)
    assert "<td>0 / 1</td>" in row and ">Assess<" in row
    assert _row(client, school) == row  # read from the cache

    # The school submits its evaluation (late: the evaluations indicator stays unmet).
    committed(submitted, evaluation, liaison_a)
    assert "<td>1 / 1</td>" in _row(client, school)

    # The center assesses the school.
    committed(
        school_assessment_save, actor=center_user, round=evaluation.round, school=school, score=4
    )
    assert ">Change<" in _row(client, school)

    # The register records a change in the quarter, 20 days late.
    changes = "Employment changes registered in time"
    assert "(" not in _indicator(_row(client, school), changes)  # nothing to judge yet
    with time_machine.travel(date(2026, 8, 21)):
        committed(
            employment_change_record,
            actor=liaison_a,
            employment=employment_a,
            kind=ChangeKind.ARRIVAL,
            effective_on=date(2026, 8, 1),
        )
    assert "(0/1)" in _indicator(_row(client, school), changes)

    # The policy allows 30 days to register a change.
    policy = policy_settings_get()
    policy.change_registration_days = 30
    committed(policy.save)
    assert "(1/1)" in _indicator(_row(client, school), changes)

    # A short-term visitor registered after arriving.
    visits = "Short-term visitors registered before arrival"
    committed(
        ExchangeVisit.objects.create,
        school=school,
        partner_school=PartnerSchoolFactory(school=school),
        visitor_name="Ann Visitor",
        nationality="GB",
        passport_number="E1234567",
        arrival=date(2026, 8, 10),
        departure=date(2026, 9, 10),
        purpose="Exchange",
    )
    assert "(0/1)" in _indicator(_row(client, school), visits)

    # The school's liaison steps down.
    membership = school.memberships.get(user=liaison_a)
    membership.is_liaison = False
    committed(membership.save)
    assert "✗" in _indicator(_row(client, school), "A foreign-affairs liaison designated")

    # The school is renamed.
    school.name_en = "Xihu Experimental Primary"
    committed(school.save)
    assert "Xihu Experimental Primary" in _row(client, school)


def test_evaluations_added_to_an_open_round_show_at_once(
    client, committed, employment_a, center_user
):
    school = employment_a.school
    evaluation_for(employment_a)
    # A second teacher at the school, hired after the round opened.
    make_employment(school)
    client.force_login(center_user)
    assert "<td>0 / 1</td>" in _row(client, school)
    # Topping the round up bulk-creates the evaluation: only its audit event says so.
    committed(open_round, "2026Q3")
    assert "<td>0 / 2</td>" in _row(client, school)


def test_each_language_has_its_own_cached_list(client, employment_a, center_user):
    evaluation_for(employment_a)
    client.force_login(center_user)
    english = client.get(reverse("evaluations:center_assessments")).content.decode()
    with translation.override("zh-hans"):
        url = reverse("evaluations:center_assessments")
    chinese = client.get(url).content.decode()
    assert "A foreign-affairs liaison designated" in english
    assert "A foreign-affairs liaison designated" not in chinese
    assert "西湖第一小学" in chinese


def test_a_cached_list_reads_only_the_quarter(
    client, employment_a, center_user, django_assert_num_queries
):
    evaluation_for(employment_a)
    client.force_login(center_user)
    url = reverse("evaluations:center_assessments")
    client.get(url)
    # Session, user, the quarter shown (an unknown one is a 404, cached or not).
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    assert client.get(url, {"round": "2031Q1"}).status_code == 404
