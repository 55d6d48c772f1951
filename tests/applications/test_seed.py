"""The demo seed: applications respect the pair rules, and matching has something to show."""

import io

import pytest
from django.core.management import call_command

from apps.applications.models import Application
from apps.matching.models import MatchRun, Recommendation, RunKind, RunStatus
from apps.vacancies.models import VacancyStatus

pytestmark = pytest.mark.django_db


def test_seeded_applications_fit_their_vacancies_and_matching_is_seeded():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    # Historic hires (the employment seed) predate today's profiles; open vacancies must fit.
    applications = Application.objects.filter(vacancy__status=VacancyStatus.PUBLISHED)
    applications = applications.select_related("teacher", "vacancy").prefetch_related(
        "teacher__subjects", "teacher__levels", "vacancy__subjects", "vacancy__levels"
    )
    assert applications.count() >= 300
    for application in applications:
        teacher, vacancy = application.teacher, application.vacancy
        # As applying requires: a shared subject and level, and a category the post takes.
        assert {s.pk for s in teacher.subjects.all()} & {s.pk for s in vacancy.subjects.all()}
        assert {lv.pk for lv in teacher.levels.all()} & {lv.pk for lv in vacancy.levels.all()}
        assert vacancy.accepted_categories >> (teacher.category - 1) & 1
    assert applications.filter(teacher_rank__isnull=False).exists()
    assert applications.filter(school_rank__isnull=False).exists()

    run = MatchRun.objects.get(kind=RunKind.FULL)
    assert run.status == RunStatus.DONE and run.counts["assigned"] > 0
    demo_school = "school.lead@demo.hz-waijiao.cn"
    assert Recommendation.objects.filter(
        vacancy__school__memberships__user__email=demo_school
    ).exists()
    assert Recommendation.objects.filter(teacher__user__email="teacher.emma@demo.hz-waijiao.cn")

    before = (Application.objects.count(), MatchRun.objects.count(), Recommendation.objects.count())
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    after = (Application.objects.count(), MatchRun.objects.count(), Recommendation.objects.count())
    assert after == before
