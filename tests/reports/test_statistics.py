"""Every statistic against the hand-counted city in conftest.py (run on SQLite and PostgreSQL)."""

from datetime import date
from decimal import Decimal

from apps.reports import statistics as stats
from apps.reports.statistics import CITY, Jurisdiction


def counts(rows):
    return {row.key: row.count for row in rows}


def test_teacher_profile_counts_only_teachers_employed_on_the_day(city):
    profile = stats.teacher_profile(CITY, city.today)
    # t1, t2, t3 (renewed), t5 (cluster); not t4 (left in March) nor t6 (starts in September).
    assert profile.total == 4
    assert counts(profile.by_category) == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 0}
    assert counts(profile.by_gender) == {"female": 2, "male": 2, "other": 0}
    assert counts(profile.by_age) == {
        "under_30": 1, "30_39": 1, "40_49": 0, "50_59": 1, "60_plus": 1,
    }  # fmt: skip
    assert counts(profile.by_ownership) == {"public": 3, "private": 1}
    assert profile.interns == 1
    assert profile.cluster_teachers == 1


def test_age_band_moves_on_the_birthday(city):
    before = stats.teacher_profile(CITY, date(2026, 6, 29))
    assert counts(before.by_age)["40_49"] == 1
    assert counts(before.by_age)["50_59"] == 0


def test_district_jurisdiction_counts_its_own_schools_only(city):
    xihu = Jurisdiction(city.xihu)
    gongshu = Jurisdiction(city.gongshu)
    assert stats.teacher_profile(xihu, city.today).total == 3
    assert stats.teacher_profile(gongshu, city.today).total == 1
    assert counts(stats.teachers_by_district(CITY, city.today)) == {"330106": 3, "330105": 1}


def test_nationality_by_continent_and_country(city):
    nationalities = stats.teachers_by_nationality(CITY, city.today)
    assert counts(nationalities.by_continent) == {
        "africa": 1, "asia": 0, "europe": 1, "north_america": 2, "south_america": 0,
        "oceania": 0,
    }  # fmt: skip
    assert counts(nationalities.top_countries) == {"GB": 1, "US": 1, "ZA": 1, "CA": 1}
    assert nationalities.countries == 4


def test_teachers_by_school_type_and_subject(city):
    assert counts(stats.teachers_by_school_type(CITY, city.today)) == {
        "primary": 3,
        "junior_secondary": 1,
    }
    assert stats.teachers_by_subject(CITY, city.today) == []  # the factories set no subjects


def test_coverage_per_district_and_type_against_the_target(city):
    coverage = stats.coverage(CITY, city.today)
    # Verified: Xihu A, Xihu B, Gongshu A, Gongshu B; Gongshu A is covered by t3 and as the
    # cluster member of t5's contract; Gongshu B has nobody.
    assert (coverage.schools, coverage.covered, coverage.ratio) == (4, 3, Decimal("0.75"))
    assert coverage.target == Decimal("1")
    by_district = {row.key: (row.schools, row.covered) for row in coverage.by_district}
    assert by_district == {"330106": (2, 2), "330105": (2, 1)}
    by_type = {row.key: (row.schools, row.covered) for row in coverage.by_type}
    assert by_type == {"primary": (3, 2), "junior_secondary": (1, 1)}
    xihu = stats.coverage(Jurisdiction(city.xihu), city.today)
    assert (xihu.schools, xihu.covered) == (2, 2)


def test_coverage_target_comes_from_policy_settings(city):
    from apps.core.selectors import policy_settings_get

    policy = policy_settings_get()
    policy.coverage_target_percent = 80
    policy.save()
    assert stats.coverage(CITY, city.today).target == Decimal("0.8")


def test_cluster_sharing(city):
    sharing = stats.cluster_sharing(CITY, city.today)
    assert (sharing.contracts, sharing.teachers, sharing.schools) == (1, 1, 2)
    assert stats.cluster_sharing(Jurisdiction(city.gongshu), city.today).contracts == 0


def test_vacancies_and_median_days_to_fill(city):
    figures = stats.vacancy_figures(CITY, 2026)
    assert (figures.posted, figures.posts, figures.filled, figures.expired, figures.closed) == (
        5, 6, 3, 1, 0,
    )  # fmt: skip
    assert figures.open_at_end == 2  # published this May, and last November
    assert figures.median_days_to_fill == Decimal("30.0")  # of 10, 30 and 60 days
    assert figures.applications == 3
    assert figures.applications_per_vacancy == Decimal("0.6")
    xihu = stats.vacancy_figures(Jurisdiction(city.xihu), 2026)
    assert xihu.median_days_to_fill == Decimal("20.0")  # of 10 and 30 days: the mean of two
    assert stats.vacancy_figures(CITY, 2024).median_days_to_fill is None


def test_hires_departures_and_matching(city):
    flow = stats.hires_and_departures(CITY, 2026)
    assert (flow.hires, flow.departures) == (3, 1)
    matching = stats.matching_figures(CITY, 2026)
    assert (matching.pushed, matching.hired, matching.hire_rate) == (2, 1, Decimal("0.5"))
    assert stats.matching_figures(Jurisdiction(city.gongshu), 2026).pushed == 0


def test_contracts_and_permits_expiring(city):
    expiring = stats.expiring(CITY, city.today)
    assert expiring.contracts == {30: 0, 60: 1, 90: 3}
    # t1's first permit (10 July) was replaced by one valid until 2027: not counted.
    assert expiring.work_permits == {30: 0, 60: 1, 90: 1}
    assert expiring.residence_permits == {30: 1, 60: 1, 90: 1}


def test_exchange_visits_and_internships(city):
    visits = stats.exchange_visits(CITY, 2026)
    assert (visits.visits, visits.host_schools, visits.partner_schools) == (3, 2, 2)
    assert counts(visits.by_country) == {"GB": 2, "US": 1}
    assert stats.exchange_visits(Jurisdiction(city.gongshu), 2026).visits == 1
    interns = stats.internship_agreements(CITY, 2026)
    assert (interns.submitted, interns.approved, interns.waiting) == (1, 1, 0)


def test_evaluations_due_submitted_late_and_means(city):
    figures = stats.evaluation_figures(CITY, 2026, city.today)
    assert (figures.due, figures.submitted, figures.late, figures.incidents) == (4, 2, 1, 1)
    assert [(key, mean) for key, _label, mean in figures.means] == [
        ("law_compliance", Decimal("3.00")),
        ("teaching_duties", Decimal("4.00")),
        ("daily_conduct", Decimal("4.00")),
    ]
    assert [(q.quarter, q.due, q.submitted, q.late) for q in figures.by_quarter] == [
        ("2026Q1", 3, 2, 1),
        ("2026Q2", 1, 0, 0),
    ]
    xihu = stats.evaluation_figures(Jurisdiction(city.xihu), 2026, city.today)
    assert (xihu.due, xihu.submitted, xihu.late) == (3, 1, 1)


def test_star_levels_and_credit(city):
    assert counts(stats.star_levels(CITY, city.today)) == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert counts(stats.star_levels(Jurisdiction(city.xihu), city.today))["4"] == 1
    credit = stats.credit_figures(CITY, city.today)
    assert credit.teacher_commendations == 1
    assert credit.teacher_restrictions == {"minor": 0, "general": 1, "serious": 0}
    assert credit.school_restrictions == {"minor": 1, "general": 0, "serious": 0}
    gongshu = stats.credit_figures(Jurisdiction(city.gongshu), city.today)
    assert gongshu.teacher_restrictions["general"] == 1  # t3 teaches in Gongshu
    assert gongshu.teacher_commendations == 0
    xihu = stats.credit_figures(Jurisdiction(city.xihu), city.today)
    assert xihu.school_restrictions == {"minor": 0, "general": 0, "serious": 0}


def test_satisfaction_withholds_cells_under_the_threshold(city):
    from apps.evaluations.models import (
        Evaluation,
        SurveyAnswer,
        SurveyDirection,
        SurveyQuestion,
        SurveyResponse,
    )

    question = SurveyQuestion.objects.filter(
        direction=SurveyDirection.TEACHER_ABOUT_SCHOOL, is_active=True
    ).first()
    evaluation = Evaluation.objects.filter(status="submitted").first()
    response = SurveyResponse.objects.create(
        evaluation=evaluation, direction=SurveyDirection.TEACHER_ABOUT_SCHOOL
    )
    SurveyAnswer.objects.create(response=response, question=question, score=5)
    table = stats.satisfaction(CITY, 2026).teachers_about_schools
    row = next(row for row in table.rows if row[0] == question)
    assert row[2].count == 1
    assert not row[2].shown  # one answer could point at one teacher


def test_headline_year_over_year(city):
    figures = stats.headline_figures(CITY, 2026, city.today)
    values = {key: (f.current, f.previous, f.change) for key, f in figures.items()}
    assert values["teachers"] == (4, 3, Decimal("0.3333"))  # t1, t3, t4 at the end of 2025
    assert values["covered_schools"] == (3, 3, Decimal("0"))
    assert values["coverage"][:2] == (Decimal("0.75"), Decimal("0.75"))
    assert values["hires"] == (3, 2, Decimal("0.5"))
    assert values["departures"] == (1, 0, None)  # no base year figure: no change shown
    assert values["vacancies_posted"] == (5, 1, Decimal("4"))
    assert values["exchange_visits"] == (3, 1, Decimal("2"))


def test_suppressed_hides_small_non_zero_counts():
    assert stats.suppressed(0, 5) == 0
    assert stats.suppressed(4, 5) is None
    assert stats.suppressed(5, 5) == 5
