"""Vacancy history notes are read in the reader's language (issue 12, item 8)."""

import importlib

from django.apps import apps as django_apps
from django.utils import translation

from apps.vacancies import services
from apps.vacancies.models import VacancyEvent, VacancyNote, VacancyStatus
from tests.schools.factories import SchoolMembershipFactory
from tests.vacancies.factories import VacancyFactory


def test_a_vacancy_closed_in_chinese_reads_in_english_for_a_colleague(client, liaison_a, school_a):
    colleague = SchoolMembershipFactory(school=school_a, user__language="en").user
    vacancy = VacancyFactory(school=school_a)

    with translation.override("zh-hans"):
        services.vacancy_close(actor=liaison_a, vacancy=vacancy)
    client.force_login(colleague)
    english = client.get(f"/en/vacancies/school/{vacancy.code}/").content.decode()
    chinese = client.get(f"/zh-hans/vacancies/school/{vacancy.code}/").content.decode()

    event = vacancy.events.get(to_status=VacancyStatus.CLOSED)
    assert (event.note, event.note_code) == ("", VacancyNote.CLOSED_BY_SCHOOL)
    assert "Closed by the school." in english
    assert "学校已关闭" not in english
    assert "学校已关闭。" in chinese


def test_a_reason_the_center_typed_stays_as_typed(center_user, school_a):
    vacancy = VacancyFactory(school=school_a, status=VacancyStatus.SUBMITTED)

    services.vacancy_send_back(actor=center_user, vacancy=vacancy, reason="Salary range missing.")

    event = vacancy.events.get(to_status=VacancyStatus.DRAFT)
    assert (event.note, event.note_code) == ("Salary range missing.", "")


def test_existing_vacancy_notes_in_either_language_become_codes(db):
    migration = importlib.import_module("apps.vacancies.migrations.0003_event_note_code")
    vacancy = VacancyFactory()
    texts = ["合同开始日期已过。", "Every post is filled.", "Please add the salary."]
    events = [
        VacancyEvent.objects.create(
            vacancy=vacancy, from_status="published", to_status="closed", note=text
        )
        for text in texts
    ]

    migration.notes_to_codes(django_apps, None)

    rows = [VacancyEvent.objects.values_list("note_code", "note").get(pk=e.pk) for e in events]
    assert rows == [
        ("start_passed", ""),
        ("all_posts_filled", ""),
        ("", "Please add the salary."),
    ]
