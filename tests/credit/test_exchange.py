"""Export to the credit platform and import back: round trip, dry-run preview, bad rows."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.credit.exchange import FIELD_NAMES, export_rows, import_preview
from apps.credit.models import CreditRecord, RecordKind, RecordStatus, Severity
from apps.credit.services import credit_import_apply
from tests.credit.factories import commendation_create, restriction_create
from tests.teachers.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def test_export_then_import_round_trip(client, center_user, school_a):
    teacher = TeacherFactory(legal_name="Anna Berg", passport_number="X1234567")
    today = timezone.localdate()
    restriction_create(
        teacher=teacher,
        severity=Severity.GENERAL,
        starts_on=today,
        display_until=today + timedelta(days=200),
        basis="Art. 12",
    )
    restriction_create(
        school=school_a,
        severity=Severity.SERIOUS,
        starts_on=today,
        display_until=today + timedelta(days=700),
    )
    commendation_create(teacher=teacher)
    client.force_login(center_user)
    response = client.get(
        reverse("credit:export", args=["restrictions", "json"]), {"since": "2020-01-01"}
    )
    rows = json.loads(response.content)
    assert [r["list_type"] for r in rows] == ["black_list", "black_list"]
    assert {r["id_type"] for r in rows} == {"passport", "unified_social_credit_code"}
    assert rows[0]["id_number"] in {"X1234567", school_a.licence_number}
    csv_text = b"".join(
        client.get(reverse("credit:export", args=["commendations", "csv"])).streaming_content
    ).decode("utf-8-sig")
    header, *body = list(csv.reader(io.StringIO(csv_text)))
    assert header == FIELD_NAMES and len(body) == 1 and body[0][1] == "red_list"
    schema = json.loads(client.get(reverse("credit:schema")).content)
    assert set(schema["items"]["properties"]) == set(FIELD_NAMES)

    # Another city sent us the same records: they are matched, then land as proposals.
    before = {
        (r.teacher_id, r.school_id, r.display_until)
        for r in CreditRecord.objects.filter(kind=RecordKind.NEGATIVE)
    }
    CreditRecord.objects.all().delete()
    content = json.dumps(rows).encode()
    preview = import_preview(name="in.json", content=content)
    assert not preview.file_errors and len(preview.applicable) == 2
    assert {row.subject for row in preview.rows} == {teacher, school_a}
    assert not CreditRecord.objects.exists()  # a preview writes nothing
    assert credit_import_apply(actor=center_user, name="in.json", content=content) == 2
    imported = CreditRecord.objects.all()
    assert {r.status for r in imported} == {RecordStatus.PROPOSED}
    assert {(r.teacher_id, r.school_id, r.display_until) for r in imported} == before
    # The same file again: every row conflicts with what is now on file.
    again = import_preview(name="in.json", content=content)
    assert not again.applicable and all(row.conflicts for row in again.rows)


def test_a_file_with_unknown_columns_is_refused_whole():
    content = b"subject_name,favourite_colour\nAnna,blue\n"
    preview = import_preview(name="in.csv", content=content)
    assert any("favourite_colour" in error for error in preview.file_errors)
    assert not preview.applicable


def test_bad_rows_are_listed_with_their_line_numbers_and_nothing_is_written(center_user):
    TeacherFactory(legal_name="Anna Berg", passport_number="X1234567")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELD_NAMES)
    writer.writeheader()
    good = {
        "list_type": "black_list",
        "subject_name": "Anna Berg",
        "subject_type": "natural_person",
        "id_type": "passport",
        "id_number": "X1234567",
        "grounds": "illegal_employment",
        "severity": "general",
        "facts": "Worked without a permit in Ningbo.",
        "decision_date": "2026-05-01",
        "start_date": "2026-05-01",
        "display_until": "2027-04-30",
        "determining_unit": "Ningbo Public Security Bureau",
    }
    writer.writerow(good)  # line 2
    writer.writerow({**good, "start_date": "01/05/2026"})  # line 3: bad date
    writer.writerow({**good, "display_until": "2030-01-01"})  # line 4: beyond 12 months
    writer.writerow({**good, "severity": "serious", "grounds": "mystery"})  # line 5
    content = out.getvalue().encode()
    preview = import_preview(name="in.csv", content=content)
    by_line = {row.line: row for row in preview.rows}
    assert by_line[2].applicable
    assert "start_date" in by_line[3].errors[0]
    assert by_line[4].errors and by_line[5].errors
    assert not CreditRecord.objects.exists()
    assert credit_import_apply(actor=center_user, name="in.csv", content=content) == 1


def test_the_exchange_page_previews_then_applies(client, center_user):
    TeacherFactory(legal_name="Anna Berg", passport_number="X1234567")
    row = {name: "" for name in FIELD_NAMES} | {
        "list_type": "red_list",
        "subject_name": "Anna Berg",
        "id_type": "passport",
        "id_number": "X1234567",
        "grounds": "award",
        "facts": "Provincial teaching award.",
        "decision_date": "2026-05-01",
        "start_date": "2026-05-01",
        "display_until": str(date(2029, 4, 30)),
        "determining_unit": "Zhejiang Education Dept",
    }
    content = json.dumps([row]).encode()
    client.force_login(center_user)
    url = reverse("credit:exchange")
    page = client.post(url, {"file": SimpleUploadedFile("in.json", content), "preview": "1"})
    assert "1 row can be applied." in page.content.decode()
    assert not CreditRecord.objects.exists()
    done = client.post(url, {"file": SimpleUploadedFile("in.json", content), "apply": "1"})
    assert done.status_code == 302
    assert CreditRecord.objects.get().status == RecordStatus.PROPOSED


def test_applying_a_file_with_no_usable_row_is_refused(center_user):
    with pytest.raises(ValidationError):
        credit_import_apply(actor=center_user, name="in.json", content=b"[]")
    assert export_rows(kind=RecordKind.NEGATIVE, since=date(2020, 1, 1)) == []
