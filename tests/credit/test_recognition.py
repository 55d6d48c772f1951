"""Recognition lists: rule-based candidates, nominations and the XLSX export."""

import io
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from apps.credit import services
from apps.credit.models import NominationKind, NominationStatus
from apps.credit.selectors import recognition_candidates
from tests.credit.factories import commendation_create, restriction_create
from tests.teachers.factories import TeacherFactory

pytestmark = pytest.mark.django_db
ON = date(2026, 12, 1)
# Twelve quarters of history, 2023Q4 … 2026Q3: three years in Hangzhou by ON.
QUARTERS = [date(2024 + (m // 12), m % 12 + 1, 1) for m in range(-3, 33, 3)]


def _history(teacher, score):
    for quarter in QUARTERS:
        services.evaluation_result_record(
            teacher=teacher,
            source_code=uuid.uuid4(),
            quarter_start=quarter,
            law_compliance=Decimal(score),
            teaching_duties=Decimal(score),
            daily_conduct=Decimal(score),
            serious_incident=False,
        )


def test_permit_candidates_need_stars_a_commendation_and_no_restriction():
    star, uncommended, restricted, weak = (TeacherFactory() for _ in range(4))
    for teacher in (star, uncommended, restricted):
        _history(teacher, "4.6")
    _history(weak, "3.6")
    for teacher in (star, restricted, weak):
        commendation_create(teacher=teacher, starts_on=date(2026, 6, 1))
    restriction_create(
        teacher=restricted,
        severity="minor",
        starts_on=date(2026, 11, 1),
        display_until=date(2027, 1, 31),
    )
    permit = recognition_candidates(kind=NominationKind.LONG_TERM_PERMIT, on=ON)
    assert [c.teacher_id for c in permit] == [star.pk]
    assert permit[0].star_level == 5 and permit[0].quarters_at_level >= 4
    friendship = recognition_candidates(kind=NominationKind.FRIENDSHIP_AWARD, on=ON)
    assert {c.teacher_id for c in friendship} == {star.pk, uncommended.pk}


def test_nominate_submit_and_refuse_the_ineligible(center_user, time_machine):
    time_machine.move_to(date(2026, 12, 1))
    star, other = TeacherFactory(), TeacherFactory()
    _history(star, 5)
    commendation_create(teacher=star, starts_on=date(2026, 6, 1))
    nomination = services.nomination_propose(
        actor=center_user, teacher=star, kind=NominationKind.LONG_TERM_PERMIT
    )
    with pytest.raises(ValidationError, match="already"):
        services.nomination_propose(
            actor=center_user, teacher=star, kind=NominationKind.LONG_TERM_PERMIT
        )
    with pytest.raises(ValidationError, match="does not meet"):
        services.nomination_propose(
            actor=center_user, teacher=other, kind=NominationKind.LONG_TERM_PERMIT
        )
    nomination = services.nomination_submit(actor=center_user, nomination=nomination)
    assert nomination.status == NominationStatus.SUBMITTED and nomination.submitted_at


def test_the_xlsx_export_neutralises_formula_like_names(client, center_user, time_machine):
    time_machine.move_to(date(2026, 12, 1))
    star = TeacherFactory(legal_name='=HYPERLINK("http://evil")')
    _history(star, 5)
    client.force_login(center_user)
    page = client.get(reverse("credit:recognition", args=["friendship"]))
    assert page.status_code == 200
    response = client.get(reverse("credit:recognition", args=["friendship"]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=1).data_type == "s"


def _candidate(name):
    """A teacher who meets the permit recommendation rules: five quarters and a commendation."""
    teacher = TeacherFactory(legal_name=name)
    _history(teacher, 5)
    commendation_create(teacher=teacher, starts_on=date(2026, 6, 1))
    return teacher


def test_the_recognition_page_reads_a_fixed_number_of_queries(
    client, center_user, time_machine, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(date(2026, 12, 1))

    services.nomination_propose(
        actor=center_user, teacher=_candidate("Ann Nominated"), kind=NominationKind.LONG_TERM_PERMIT
    )
    _candidate("Bob Waiting")
    restriction_create(teacher=_candidate("Cy Restricted"))
    client.force_login(center_user)
    url = reverse("credit:recognition", args=["permit"])
    client.get(url)
    cache.clear()  # the candidates are cached: count what computing them costs
    with CaptureQueriesContext(connection) as one:
        client.get(url)

    for name in ("Dee Waiting", "Eve Waiting"):
        _candidate(name)
    services.nomination_propose(
        actor=center_user, teacher=_candidate("Fay Nominated"), kind=NominationKind.LONG_TERM_PERMIT
    )
    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()

    assert page.count('name="nominate"') == 3  # Bob, Dee and Eve
    assert "Ann Nominated" in page and "Fay Nominated" in page
    assert "Cy Restricted" not in page


def test_the_cached_candidates_follow_new_results_nominations_and_restrictions(
    client, center_user, time_machine
):
    time_machine.move_to(date(2026, 12, 1))

    bob = _candidate("Bob Waiting")
    client.force_login(center_user)
    url = reverse("credit:recognition", args=["permit"])
    assert client.get(url).content.decode().count('name="nominate"') == 1

    _candidate("Dee Waiting")  # new results and a commendation
    assert client.get(url).content.decode().count('name="nominate"') == 2
    services.nomination_propose(
        actor=center_user, teacher=bob, kind=NominationKind.LONG_TERM_PERMIT
    )
    assert client.get(url).content.decode().count('name="nominate"') == 1
    restriction_create(teacher=TeacherFactory._meta.model.objects.get(legal_name="Dee Waiting"))
    assert client.get(url).content.decode().count('name="nominate"') == 0
