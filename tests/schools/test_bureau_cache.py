"""The bureau's cached lists and dashboard counts (issue 18).

Each page is cached per jurisdiction and query until a committed write of something it shows:
the page changes after each kind of write, and no bureau ever sees another jurisdiction's rows.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from apps.core.models import District
from apps.core.transitions import transition
from apps.employment.models import Employment, EmploymentStatus
from apps.schools.models import SchoolGroup, VerificationStatus
from apps.schools.services import school_verify
from apps.vacancies.models import Vacancy
from apps.vacancies.services import vacancy_close
from tests.evaluations.factories import evaluation_for, make_employment, submitted
from tests.schools.factories import SchoolFactory
from tests.vacancies.factories import VacancyFactory

pytestmark = pytest.mark.django_db

# 2026Q3's round closed on 31 October 2026 (plus the policy's extension): its drafts are late.
AFTER_DEADLINE = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

LISTS = {
    "vacancies": ("vacancies:bureau_list", "vacancy-row"),
    "employments": ("employment:bureau_list", "employment-row"),
    "evaluations": ("evaluations:bureau_late", "late-row"),
}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write as if committed: its after-commit cache retirements happen."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.fixture
def after_deadline():
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        yield


def html(client, user, name: str, **params) -> str:
    client.force_login(user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def listed_count(page: str) -> str:
    return re.search(r'data-testid="list-count">([^<]*)<', page).group(1)


@pytest.fixture
def both_districts(school_a, school_b):
    """One vacancy, employment and late evaluation in Xihu (school_a) and in Gongshu (school_b)."""
    for school in (school_a, school_b):
        VacancyFactory(school=school)
        evaluation_for(make_employment(school))
    return school_a, school_b


# --- Jurisdictions ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name, _row in LISTS.values()])
def test_a_district_bureau_never_sees_the_city_pages_cached_rows(
    client, both_districts, bureau_city_user, bureau_xihu_user, after_deadline, name
):
    city_page = html(client, bureau_city_user, name)
    assert "Gongshu No. 1 Primary" in city_page and "Xihu No. 1 Primary" in city_page

    xihu_page = html(client, bureau_xihu_user, name)
    assert "Xihu No. 1 Primary" in xihu_page
    assert "Gongshu No. 1 Primary" not in xihu_page
    # And the other way round: the district's page does not become the city's.
    assert "Gongshu No. 1 Primary" in html(client, bureau_city_user, name)


@pytest.mark.parametrize("name", [name for name, _row in LISTS.values()])
def test_asking_for_another_district_shows_nothing_even_when_the_city_asked_first(
    client, both_districts, bureau_city_user, bureau_xihu_user, after_deadline, name
):
    gongshu = District.objects.get(code="330105")
    # The late list's district filter names districts by code, the others by id.
    value = gongshu.code if name == "evaluations:bureau_late" else gongshu.pk
    assert "Gongshu No. 1 Primary" in html(client, bureau_city_user, name, district=value)

    client.force_login(bureau_xihu_user)
    response = client.get(reverse(name), {"district": value})
    assert response.status_code in (200, 400)  # the late list refuses a district not offered
    assert "Gongshu No. 1 Primary" not in response.content.decode()


def test_the_school_list_is_per_jurisdiction(
    client, school_a, school_b, bureau_city_user, bureau_xihu_user
):
    assert "Gongshu No. 1 Primary" in html(client, bureau_city_user, "schools:bureau_schools")
    xihu_page = html(client, bureau_xihu_user, "schools:bureau_schools")
    assert "Xihu No. 1 Primary" in xihu_page
    assert "Gongshu No. 1 Primary" not in xihu_page


def test_a_repeated_visit_is_served_from_the_cache(
    client, both_districts, bureau_xihu_user, after_deadline, django_assert_max_num_queries
):
    for name, row in LISTS.values():
        html(client, bureau_xihu_user, name)
        # Session, user and jurisdiction: no list, count or filter query.
        with django_assert_max_num_queries(4):
            page = client.get(reverse(name)).content.decode()
        assert page.count(f'data-testid="{row}"') == 1


# --- Writes that change the pages ------------------------------------------------------------


def test_vacancy_list_follows_new_vacancies_status_moves_and_school_moves(
    client, commit, school_a, liaison_a, bureau_xihu_user
):
    vacancy = VacancyFactory(school=school_a, title_en="Oral English teacher")
    name = "vacancies:bureau_list"
    assert listed_count(html(client, bureau_xihu_user, name)) == "1 vacancy"

    commit(VacancyFactory, school=school_a)  # a save
    assert listed_count(html(client, bureau_xihu_user, name)) == "2 vacancies"

    assert listed_count(html(client, bureau_xihu_user, name, status="closed")) == "0 vacancies"
    commit(vacancy_close, actor=liaison_a, vacancy=vacancy)  # a status move (an UPDATE)
    page = html(client, bureau_xihu_user, name, status="closed")
    assert listed_count(page) == "1 vacancy" and "Oral English teacher" in page

    school_a.district = District.objects.get(code="330105")
    commit(school_a.save)  # the school moves out of Xihu
    assert listed_count(html(client, bureau_xihu_user, name)) == "0 vacancies"


def test_a_raw_update_alone_is_not_seen_until_a_write_retires_the_list(
    client, commit, school_a, bureau_xihu_user
):
    vacancy = VacancyFactory(school=school_a, title_en="Oral English teacher")
    name = "vacancies:bureau_list"
    assert "Oral English teacher" in html(client, bureau_xihu_user, name)
    Vacancy.objects.filter(pk=vacancy.pk).update(title_en="Renamed in SQL")
    assert "Renamed in SQL" not in html(client, bureau_xihu_user, name)  # cached
    commit(VacancyFactory, school=school_a)
    assert "Renamed in SQL" in html(client, bureau_xihu_user, name)


def test_employment_list_follows_hires_endings_and_teacher_names(
    client, commit, school_a, bureau_xihu_user
):
    employment = make_employment(school_a)
    name = "employment:bureau_list"
    assert listed_count(html(client, bureau_xihu_user, name)) == "1 employment"

    commit(make_employment, school_a)
    assert listed_count(html(client, bureau_xihu_user, name)) == "2 employments"

    assert listed_count(html(client, bureau_xihu_user, name, status="ended")) == "0 employments"
    commit(
        transition,
        employment,
        EmploymentStatus.ENDED,
        actor=None,
        transitions=Employment.TRANSITIONS,
        extra={"ended_on": date(2026, 6, 30)},
    )
    assert listed_count(html(client, bureau_xihu_user, name, status="ended")) == "1 employment"

    teacher = employment.teacher
    teacher.legal_name = "Renamed Teacher"
    commit(teacher.save)  # e.g. an erasure empties the name
    assert "Renamed Teacher" in html(client, bureau_xihu_user, name)


def test_school_list_follows_registrations_and_verification(
    client, commit, center_user, bureau_xihu_user
):
    pending = SchoolFactory(
        name_en="Waiting School", verification_status=VerificationStatus.PENDING
    )
    name = "schools:bureau_schools"
    assert "1 school" in html(client, bureau_xihu_user, name, verification_status="pending")

    commit(SchoolFactory, verification_status=VerificationStatus.PENDING)
    assert "2 schools" in html(client, bureau_xihu_user, name, verification_status="pending")

    commit(school_verify, actor=center_user, school=pending)  # a status move (an UPDATE)
    assert "1 school" in html(client, bureau_xihu_user, name, verification_status="pending")


def test_late_list_follows_submissions_new_evaluations_and_the_day(
    client, commit, school_a, liaison_a, bureau_xihu_user
):
    name = "evaluations:bureau_late"
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        evaluation = evaluation_for(make_employment(school_a))
        deadline = evaluation.round.deadline
    rows = 'data-testid="late-row"'

    # On the deadline the evaluation is still open; the next day the same page lists it.
    on_deadline = datetime.combine(deadline, AFTER_DEADLINE.timetz())
    with time_machine.travel(on_deadline, tick=False):
        assert html(client, bureau_xihu_user, name).count(rows) == 0
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        assert html(client, bureau_xihu_user, name).count(rows) == 1

        commit(lambda: evaluation_for(make_employment(school_a)))
        assert html(client, bureau_xihu_user, name).count(rows) == 2

        commit(submitted, evaluation, liaison_a)
        assert html(client, bureau_xihu_user, name).count(rows) == 1


# --- Dashboard counts ------------------------------------------------------------------------


def dashboard_counts(client, user) -> str:
    page = html(client, user, "dashboards:bureau")
    registered = re.search(r"Registered: [^.]*\.", page).group(0)
    late = re.search(r'data-testid="count-late-evaluations">(\d+)<', page).group(1)
    return f"{registered} late {late}"


def test_dashboard_counts_follow_schools_groups_and_late_evaluations(
    client, commit, school_a, liaison_a, bureau_xihu_user, bureau_city_user
):
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        evaluation = evaluation_for(make_employment(school_a))
        expected = "Registered: 1 schools (1 verified, 0 waiting), 0 groups and clusters. late 1"
        assert dashboard_counts(client, bureau_xihu_user) == expected

        commit(SchoolFactory, verification_status=VerificationStatus.PENDING)
        expected = "Registered: 2 schools (1 verified, 1 waiting), 0 groups and clusters. late 1"
        assert dashboard_counts(client, bureau_xihu_user) == expected

        commit(SchoolGroup.objects.create, kind="group", name="West Lake", lead_school=school_a)
        commit(submitted, evaluation, liaison_a)
        expected = "Registered: 2 schools (1 verified, 1 waiting), 1 groups and clusters. late 0"
        assert dashboard_counts(client, bureau_xihu_user) == expected

        # The city's counts are its own, and the district's stay the district's.
        commit(SchoolFactory, district=District.objects.get(code="330105"))
        assert dashboard_counts(client, bureau_city_user).startswith("Registered: 3 schools")
        assert dashboard_counts(client, bureau_xihu_user).startswith("Registered: 2 schools")


# --- Languages -------------------------------------------------------------------------------


def test_each_language_gets_its_own_cached_pages(client, school_a, bureau_xihu_user):
    VacancyFactory(school=school_a)
    client.force_login(bureau_xihu_user)
    for name, english, chinese in [
        ("dashboards:bureau", "Registered:", "已登记"),
        ("vacancies:bureau_list", ">Published<", ">已发布<"),
        ("schools:bureau_schools", "Verified", "已认证"),
    ]:
        url = reverse(name)  # /en/…
        assert chinese in client.get(url.replace("/en/", "/zh-hans/", 1)).content.decode()
        page = client.get(url).content.decode()
        assert english in page and chinese not in page
