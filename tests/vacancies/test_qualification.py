from datetime import date

import time_machine
from django.urls import reverse

from apps.core.models import Subject, TeachingLevel
from apps.teachers.models import Category
from tests.teachers.factories import TeacherFactory, make_eligible_teacher
from tests.vacancies.factories import VacancyFactory

TODAY = date(2026, 11, 21)


def _vacancies():
    english = VacancyFactory(
        title_en="Primary English",
        subjects=[Subject.objects.get(code="english")],
        contract_start=date(2027, 2, 20),
    )
    science = VacancyFactory(
        title_en="Senior science",
        subjects=[Subject.objects.get(code="science")],
        levels=[TeachingLevel.objects.get(code="senior_secondary")],
    )
    interns_only = VacancyFactory(
        title_en="Interns only",
        subjects=[Subject.objects.get(code="english")],
        accepted_categories=0b01000,
    )
    french = VacancyFactory(title_en="French", subjects=[Subject.objects.get(code="french")])
    return english, science, interns_only, french


@time_machine.travel(TODAY, tick=False)
def test_i_qualify_filter_keeps_only_vacancies_the_teacher_may_apply_to(client, db):
    teacher = make_eligible_teacher(on=TODAY)
    english, *_ = _vacancies()
    client.force_login(teacher.user)

    everything = client.get(reverse("vacancies:search"))
    mine = client.get(reverse("vacancies:search"), {"qualify": "1"})

    assert len(everything.context["page"]) == 4
    assert [v.pk for v in mine.context["page"]] == [english.pk]


@time_machine.travel(TODAY, tick=False)
def test_a_teacher_who_is_not_admitted_qualifies_for_nothing(client, db):
    teacher = TeacherFactory()  # profile in progress, no documents
    _vacancies()
    client.force_login(teacher.user)

    response = client.get(reverse("vacancies:search"), {"qualify": "1"})

    assert len(response.context["page"]) == 0


@time_machine.travel(TODAY, tick=False)
def test_vacancy_page_says_qualified_or_lists_the_reasons(client, db):
    teacher = make_eligible_teacher(on=TODAY)
    english, science, interns_only, _french = _vacancies()
    client.force_login(teacher.user)

    def page_of(vacancy):
        return client.get(reverse("vacancies:detail", args=[vacancy.code])).content.decode()

    ok, science_page, interns_page = page_of(english), page_of(science), page_of(interns_only)

    assert "You meet every requirement for this vacancy." in ok
    assert "You have not chosen any of this vacancy&#x27;s subjects." in science_page
    assert "You have not chosen the school levels this vacancy is for." in science_page
    assert "does not accept teachers of your category" in interns_page


@time_machine.travel(TODAY, tick=False)
def test_a_late_start_is_explained(client, db):
    teacher = make_eligible_teacher(on=TODAY, earliest_start=date(2027, 6, 1))
    english, *_ = _vacancies()
    client.force_login(teacher.user)

    page = client.get(reverse("vacancies:detail", args=[english.code])).content.decode()

    assert "You can start only after the contract begins (2027-02-20)." in page


def test_anonymous_visitors_are_invited_to_sign_in(client, db):
    vacancy = VacancyFactory()

    page = client.get(reverse("vacancies:detail", args=[vacancy.code])).content.decode()

    assert "to see whether you qualify" in page


def test_categories_round_trip_through_the_mask():
    from apps.vacancies.models import categories_to_mask, mask_to_categories

    assert mask_to_categories(categories_to_mask([Category.INTERN, Category.IN_SERVICE])) == [1, 4]
