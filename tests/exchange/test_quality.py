"""Data-quality rules (table-driven) and who may see the data-quality page."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from apps.employment.models import ChangeKind, EmploymentChange, ExchangeVisit
from apps.employment.services import employment_change_record
from apps.exchange.quality import RULES, quality_issues
from apps.schools.models import School
from tests.evaluations.factories import make_employment
from tests.schools.factories import PartnerSchoolFactory, SchoolFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def permit(employment, kind, expires):
    EmploymentChange.objects.create(
        employment=employment,
        kind=kind,
        effective_on=date(2026, 3, 10),
        permit_number="WP123456",
        expires_on=expires,
    )


def visit(school, arrival, departure):
    ExchangeVisit.objects.create(
        school=school,
        partner_school=PartnerSchoolFactory(school=school),
        visitor_name="Hans Weber",
        nationality="DE",
        passport_number="C01X00T47",
        arrival=arrival,
        departure=departure,
        purpose="Science week",
    )


def expired_work_permit(school, liaison):
    permit(make_employment(school), ChangeKind.WORK_PERMIT, date(2026, 6, 1))


def valid_permits(school, liaison):
    employment = make_employment(school)
    permit(employment, ChangeKind.WORK_PERMIT, date(2026, 7, 1))
    permit(employment, ChangeKind.RESIDENCE_PERMIT, date(2027, 3, 1))


def expired_residence_permit_after_the_end(school, liaison):
    employment = make_employment(school, ended_on=date(2026, 5, 1))
    permit(employment, ChangeKind.RESIDENCE_PERMIT, date(2026, 5, 20))


def long_visit(school, liaison):
    visit(school, date(2026, 1, 1), date(2026, 4, 2))


def three_month_visit(school, liaison):
    visit(school, date(2026, 1, 1), date(2026, 4, 1))


def cluster_hours_off(school, liaison):
    employment = make_employment(school, hours=10, members=[(SchoolFactory(), 6)])
    employment.weekly_hours = 20
    employment.save()


def cluster_hours_sum(school, liaison):
    make_employment(school, hours=10, members=[(SchoolFactory(), 6)])


def departure_long_ago(school, liaison):
    employment = make_employment(school)
    employment_change_record(
        actor=liaison,
        employment=employment,
        kind=ChangeKind.DEPARTURE,
        effective_on=date(2026, 5, 1),
    )


def departure_yesterday(school, liaison):
    employment = make_employment(school)
    employment_change_record(
        actor=liaison,
        employment=employment,
        kind=ChangeKind.DEPARTURE,
        effective_on=date(2026, 6, 14),
    )


def arrival_weeks_ago(school, liaison):
    employment = make_employment(school)
    employment_change_record(
        actor=liaison,
        employment=employment,
        kind=ChangeKind.ARRIVAL,
        effective_on=date(2026, 5, 1),
        arrival_time=time(14, 0),
    )


def arrival_this_morning(school, liaison):
    employment = make_employment(school)
    employment_change_record(
        actor=liaison,
        employment=employment,
        kind=ChangeKind.ARRIVAL,
        effective_on=date(2026, 6, 15),
        arrival_time=time(8, 0),
    )


# (situation, rules it must raise, rules it must not raise)
CASES = [
    (expired_work_permit, {"permit_expired"}, set(RULES) - {"permit_expired"}),
    (valid_permits, set(), {"permit_expired"}),
    (expired_residence_permit_after_the_end, set(), {"permit_expired"}),
    (long_visit, {"visit_too_long"}, set(RULES) - {"visit_too_long"}),
    (three_month_visit, set(), set(RULES)),
    (cluster_hours_off, {"cluster_hours"}, {"permit_expired", "visit_too_long"}),
    (cluster_hours_sum, set(), {"cluster_hours"}),
    (departure_long_ago, {"departure_without_cancellation"}, {"arrival_without_registration"}),
    (departure_yesterday, set(), {"departure_without_cancellation"}),
    (arrival_weeks_ago, {"arrival_without_registration"}, {"departure_without_cancellation"}),
    (arrival_this_morning, set(), {"arrival_without_registration"}),
]


@pytest.mark.parametrize(
    "situation, raised, not_raised", CASES, ids=lambda v: getattr(v, "__name__", "")
)
def test_rules(frozen, school_a, liaison_a, situation, raised, not_raised):
    situation(school_a, liaison_a)
    issues = quality_issues(schools=School.objects.filter(pk=school_a.pk), now=NOW)
    rules = {issue.rule for issue in issues}
    assert raised <= rules
    assert not rules & not_raised
    for issue in issues:
        assert issue.fix and issue.fix_url.startswith("/")


def test_the_fix_links_to_the_place_to_fix_it(frozen, school_a, liaison_a):
    arrival_weeks_ago(school_a, liaison_a)
    expired_work_permit(school_a, liaison_a)
    issues = quality_issues(schools=School.objects.filter(pk=school_a.pk), now=NOW)
    urls = {issue.rule: issue.fix_url for issue in issues}
    assert "/guidance/hire/" in urls["arrival_without_registration"]
    assert "/employment/school/" in urls["permit_expired"]


@pytest.fixture
def both_schools(frozen, school_a, school_b, liaison_a, liaison_b):
    expired_work_permit(school_a, liaison_a)
    long_visit(school_b, liaison_b)


def test_a_school_sees_only_its_own_issues(client, both_schools, liaison_b):
    client.force_login(liaison_b)
    response = client.get(reverse("exchange:quality"))
    assert response.status_code == 200
    issues = response.context["page"].object_list
    assert {issue.rule for issue in issues} == {"visit_too_long"}
    assert {issue.school.name for issue in issues} == {"Gongshu No. 1 Primary"}
    assert b"Xihu No. 1 Primary" not in response.content
    assert response.context["district_counts"] is None


@pytest.mark.parametrize("actor", ["teacher_user", "bureau_user", "bureau_city_user"])
def test_teachers_and_bureaus_may_not_open_the_page(client, both_schools, request, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("exchange:quality")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, both_schools):
    response = client.get(reverse("exchange:quality"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_center_sees_the_city_and_counts_per_district(client, both_schools, center_user):
    client.force_login(center_user)
    response = client.get(reverse("exchange:quality"))
    assert response.status_code == 200
    assert {i.rule for i in response.context["page"].object_list} == {
        "permit_expired",
        "visit_too_long",
    }
    counts = {district.code: count for district, count in response.context["district_counts"]}
    assert counts["330106"] == 1 and counts["330105"] == 1
    assert sum(counts.values()) == 2
    links = {i.rule: i.fix_url for i in response.context["page"].object_list}
    assert links["permit_expired"].startswith("/en/admin/employment/employment/")
    assert links["visit_too_long"].startswith("/en/admin/employment/exchangevisit/")
    filtered = client.get(reverse("exchange:quality"), {"district": "330105"})
    assert [i.rule for i in filtered.context["page"].object_list] == ["visit_too_long"]
