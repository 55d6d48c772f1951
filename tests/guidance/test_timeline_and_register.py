"""The timeline of one hire, the Chinese checklist, and the register's time of arrival."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.personal_data import personal_data_export
from apps.guidance import services
from apps.guidance.models import Procedure
from apps.guidance.selectors import hire_checklist_get, hire_timeline

from .conftest import arrive, record

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_timeline_runs_from_arrival_to_the_end_with_today_marked(employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    record(
        employment_a,
        liaison_a,
        "work_permit",
        date(2026, 3, 16),
        permit_number="W1",
        expires_on=date(2027, 1, 31),
    )
    checklist = hire_checklist_get(employment=employment_a)

    items = hire_timeline(checklist=checklist, today=date(2026, 3, 20))
    labels = [(item.on, str(item.label), item.kind) for item in items]

    dates = [on for on, _label, _kind in labels]
    assert dates == sorted(dates)
    assert labels[0] == (date(2026, 3, 1), "Contract starts", "event")
    assert (date(2026, 3, 2), "Arrival in China", "event") in labels
    assert (date(2026, 3, 3), "Accommodation registration", "overdue") in labels
    assert (date(2026, 3, 16), "Foreigner's work permit card", "done") in labels
    assert (date(2026, 4, 1), "Work-type residence permit", "due") in labels
    assert (date(2027, 1, 1), "Renewal of the work permit", "due") in labels
    assert labels[-1][1] in {"Contract ends", "Cancellation of the work permit"}
    today = labels.index((date(2026, 3, 20), "Today", "today"))
    assert labels[today + 1][0] == date(2026, 4, 1)  # what comes next


def test_the_timeline_page_marks_today(client, employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    client.force_login(liaison_a)

    text = client.get(reverse("guidance:timeline", args=[employment_a.code])).content.decode()

    assert 'data-kind="today"' in text
    assert "2026-03-20" in text


def test_the_checklist_reads_in_chinese(client, employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    client.force_login(liaison_a)  # school staff read Chinese

    text = client.get(
        f"/zh-hans/guidance/hire/{employment_a.code}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "外国人工作许可证" in text
    assert "入境后 15 日内" in text
    assert "2026-03-03 23:30" in text  # 24 hours after a 23:30 arrival, Beijing time
    assert "北京时间" in text


def test_a_time_of_arrival_belongs_only_to_an_arrival(employment_a, liaison_a):
    with pytest.raises(ValidationError) as error:
        record(
            employment_a,
            liaison_a,
            "work_permit",
            date(2026, 3, 16),
            permit_number="W1",
            expires_on=date(2027, 1, 31),
            arrival_time=time(9, 0),
        )

    assert "arrival_time" in error.value.message_dict
    assert arrive(employment_a, liaison_a).arrival_time == time(23, 30)


def test_the_teachers_marks_are_in_their_data_export(employment_a, liaison_a, teacher_x):
    services.checklist_step_mark(
        actor=liaison_a,
        employment=employment_a,
        procedure=Procedure.objects.get(slug="health-certificate"),
        status="not_applicable",
        reason="Report verified abroad",
    )

    export = personal_data_export(teacher_x.user)

    assert export.sections["guidance"]["checklist_marks"][0]["reason"] == "Report verified abroad"
