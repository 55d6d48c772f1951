import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.teachers.models import CONFIDENTIAL_IDENTITY_FIELDS, DocumentKind, Teacher
from apps.teachers.selectors import teacher_identity_for
from apps.teachers.services import (
    teacher_account_delete,
    teacher_deletion_request,
    teacher_identity_view_record,
    teacher_update,
)
from tests.teachers.factories import TeacherFactory, add_document, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(teacher_user):
    return TeacherFactory(
        user=teacher_user, passport_number="E1234567", date_of_birth=date(1990, 5, 17)
    )


def test_masking_for_everyone_but_owner_and_center(profile, teacher_user, school_user, center_user):
    assert teacher_identity_for(viewer=teacher_user, teacher=profile) == {
        "passport_number": "E1234567",
        "date_of_birth": "1990-05-17",
    }
    masked = teacher_identity_for(viewer=school_user, teacher=profile)
    assert masked == {"passport_number": "•••••567", "date_of_birth": "1990-••-••"}
    assert not AuditEvent.objects.filter(action="teacher.passport.view").exists()
    assert (
        teacher_identity_for(viewer=center_user, teacher=profile)["passport_number"] == "E1234567"
    )
    teacher_identity_view_record(actor=center_user, teacher=profile)
    teacher_identity_view_record(actor=school_user, teacher=profile)  # not center: not recorded
    assert AuditEvent.objects.get(action="teacher.passport.view").actor == center_user


def test_every_confidential_identifier_is_masked_for_others(profile, school_user):
    masked = teacher_identity_for(viewer=school_user, teacher=profile)

    assert set(masked) == set(CONFIDENTIAL_IDENTITY_FIELDS)
    assert "05-17" not in masked["date_of_birth"] and "1234" not in masked["passport_number"]


def test_the_audit_trail_says_identity_changed_but_never_holds_the_values(profile, center_user):
    teacher_update(
        actor=center_user,
        teacher=profile,
        values={"date_of_birth": date(1991, 6, 2), "passport_number": "E7654321"},
    )
    teacher_update(
        actor=center_user,
        teacher=profile,
        values={"date_of_birth": date(1991, 6, 2), "bio": "Hello"},
    )

    changed, unchanged = AuditEvent.objects.filter(action="teacher.update").order_by("id")
    assert changed.before["date_of_birth"] == changed.after["date_of_birth"] == "changed"
    assert changed.after["passport_number"] == "changed"
    assert unchanged.after["date_of_birth"] == "-"
    assert unchanged.after["bio"] == "Hello"
    trail = json.dumps([(e.before, e.after) for e in AuditEvent.objects.all()])
    for secret in ("1990-05-17", "1991-06-02", "E1234567", "E7654321"):
        assert secret not in trail


def test_passport_is_ciphertext_at_rest(profile):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM teachers_teacher WHERE id = %s", [profile.pk])
        stored = cursor.fetchone()[0]
    assert "E1234567" not in stored


def test_export_zip_contains_json_and_files(client, profile, teacher_user):
    add_document(profile, DocumentKind.CV, content=pdf_bytes("my cv"))
    client.force_login(teacher_user)
    response = client.post(reverse("teachers:export_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == teacher_user.email
    assert data["teacher"]["profile"]["passport_number"] == "E1234567"
    [doc] = data["teacher"]["documents"]
    assert b"my cv" in archive.read(doc["file"])
    assert "notifications" in data


def test_export_is_teacher_only(client, school_user):
    client.force_login(school_user)
    assert client.post(reverse("teachers:export_data")).status_code == 403


def test_deletion_request_then_center_confirms_records_stay_detached(
    client, profile, teacher_user, center_user
):
    add_document(profile, DocumentKind.PASSPORT)
    client.force_login(teacher_user)
    assert client.post(reverse("teachers:request_deletion")).status_code == 302
    profile.refresh_from_db()
    assert profile.deletion_requested_at is not None
    teacher_account_delete(actor=center_user, teacher=profile)
    assert not User.objects.filter(pk=teacher_user.pk).exists()
    kept = Teacher.objects.get(pk=profile.pk)
    assert kept.user is None and kept.documents.count() == 1
    assert AuditEvent.objects.filter(action="teacher.account_delete").exists()


def test_deletion_needs_a_request_and_center_staff(profile, teacher_user, center_user):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        teacher_account_delete(actor=center_user, teacher=profile)
    teacher_deletion_request(actor=teacher_user, teacher=profile)
    with pytest.raises(PermissionDenied):
        teacher_account_delete(actor=teacher_user, teacher=profile)
