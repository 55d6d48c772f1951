"""Retention: expired documents lose their files after the keeping period; deletion requests
are carried out when the legal hold (employment, credit records) ends. README "Retention"."""

import io
import json
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.core.services import policy_settings_update
from apps.employment.models import Employment, EmploymentStatus
from apps.teachers.models import Document, DocumentKind, DocumentStatus, Teacher
from apps.teachers.services import (
    documents_expired_files_delete,
    teacher_account_delete,
    teachers_erase_due,
)
from apps.teachers.tasks import apply_retention
from hangzhou_waijiao.celery import app
from tests.credit.factories import restriction_create
from tests.evaluations.factories import make_employment
from tests.schools.factories import SchoolFactory
from tests.teachers.factories import TeacherFactory, add_document, make_eligible_teacher

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
EXPIRY = date(2026, 1, 31)


def _file_events(document: Document):
    return AuditEvent.objects.filter(
        action="teacher.document.file_deleted", target_id=str(document.pk)
    )


def test_an_expired_documents_file_is_deleted_after_the_keeping_period_not_before():
    teacher = TeacherFactory()
    passport = add_document(
        teacher, DocumentKind.PASSPORT, status=DocumentStatus.EXPIRED, expires_on=EXPIRY
    )
    rejected = add_document(
        teacher, DocumentKind.CRIMINAL_RECORD, status=DocumentStatus.REJECTED, expires_on=EXPIRY
    )
    cv = add_document(teacher, DocumentKind.CV)
    stored_name = passport.file.name
    last_kept_day = EXPIRY + timedelta(days=180)  # the default keeping period

    assert documents_expired_files_delete(on=last_kept_day) == 0
    assert default_storage.exists(stored_name)

    assert documents_expired_files_delete(on=last_kept_day + timedelta(days=1)) == 1
    passport.refresh_from_db()
    assert not passport.file and not default_storage.exists(stored_name)
    assert passport.file_deleted_at is not None
    # The stub: kind, dates, status and checksum stay.
    assert (passport.kind, passport.status, passport.expires_on) == (
        DocumentKind.PASSPORT,
        DocumentStatus.EXPIRED,
        EXPIRY,
    )
    assert len(passport.sha256) == 64 and passport.original_name == ""
    [event] = _file_events(passport)
    assert event.before == {"size": passport.size, "sha256": passport.sha256}
    assert "180 days" in event.reason
    # A second run (or a second worker) changes nothing and writes no second event.
    assert documents_expired_files_delete(on=last_kept_day + timedelta(days=1)) == 0
    assert _file_events(passport).count() == 1
    # A rejected scan (possible evidence) and a live CV keep their files.
    for document in (rejected, cv):
        document.refresh_from_db()
        assert document.file and default_storage.exists(document.file.name)


def test_the_keeping_period_is_a_policy_setting(center_user):
    teacher = TeacherFactory()
    add_document(teacher, DocumentKind.PASSPORT, status=DocumentStatus.EXPIRED, expires_on=EXPIRY)
    policy_settings_update(actor=center_user, expired_document_keep_days=30)
    assert documents_expired_files_delete(on=EXPIRY + timedelta(days=30)) == 0
    assert documents_expired_files_delete(on=EXPIRY + timedelta(days=31)) == 1


def test_the_teacher_sees_the_stub_and_the_export_says_the_file_is_gone(client, teacher_user):
    teacher = TeacherFactory(user=teacher_user)
    passport = add_document(
        teacher, DocumentKind.PASSPORT, status=DocumentStatus.EXPIRED, expires_on=EXPIRY
    )
    documents_expired_files_delete(on=date(2027, 1, 1))
    client.force_login(teacher_user)
    page = client.get(reverse("teachers:documents")).content.decode()
    assert 'data-testid="file-deleted"' in page
    assert reverse("teachers:document_download", args=[passport.code]) not in page
    download = client.get(reverse("teachers:document_download", args=[passport.code]))
    assert download.status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("teachers:export_data")).content))
    [exported] = json.loads(archive.read("data.json"))["teacher"]["documents"]
    assert exported["file"] == "" and exported["file_missing"]


def test_the_daily_retention_job_is_on_the_beat_schedule_and_registered():
    entry = settings.CELERY_BEAT_SCHEDULE["teachers-apply-retention"]
    assert entry["task"] == apply_retention.name
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({4}, {30})
    teacher = TeacherFactory()
    add_document(teacher, DocumentKind.PASSPORT, status=DocumentStatus.EXPIRED, expires_on=EXPIRY)
    with time_machine.travel(datetime(2026, 9, 1, 4, 30, tzinfo=SHANGHAI), tick=False):
        assert apply_retention() == {"files_deleted": 1, "teachers_erased": 0}
        assert apply_retention() == {"files_deleted": 0, "teachers_erased": 0}


def _audit_names(teacher: Teacher, name: str) -> list[str]:
    return [
        event.action
        for event in AuditEvent.objects.all()
        if name in event.target_repr or name in json.dumps([event.before, event.after])
    ]


def test_a_deletion_request_is_held_while_employed_and_carried_out_after(
    client, teacher_user, center_user
):
    teacher = make_eligible_teacher(on=date(2026, 3, 1), user=teacher_user, legal_name="Emma Q")
    files = [d.file.name for d in teacher.documents.all()]
    employment = make_employment(SchoolFactory(), teacher=teacher, start=date(2026, 3, 1))
    client.force_login(teacher_user)
    assert "for 2 years after your last employment ends" in (
        client.get(reverse("teachers:privacy")).content.decode()
    )
    assert client.post(reverse("teachers:request_deletion")).status_code == 302

    # Employed: nothing is erased. The center may delete the login at once; records stay.
    assert teachers_erase_due(on=date(2026, 6, 30)) == 0
    teacher.refresh_from_db()
    teacher_account_delete(actor=center_user, teacher=teacher)
    assert not User.objects.filter(pk=teacher_user.pk).exists()
    teacher.refresh_from_db()
    assert teacher.legal_name == "Emma Q" and not teacher.open_to_suggestions
    assert all(default_storage.exists(name) for name in files)

    # The employment ends on 31 August 2026: the records are kept two more years.
    Employment.objects.filter(pk=employment.pk).update(
        status=EmploymentStatus.ENDED, ended_on=date(2026, 8, 31)
    )
    assert teachers_erase_due(on=date(2028, 8, 30)) == 0
    assert teachers_erase_due(on=date(2028, 8, 31)) == 1

    teacher.refresh_from_db()
    assert teacher.erased_at is not None
    assert (teacher.legal_name, teacher.passport_number, teacher.passport_number_hash) == (
        "",
        "",
        "",
    )
    assert teacher.date_of_birth is None and not teacher.experiences.exists()
    # Kept: the anonymous profile's statistics fields, the register, the document stubs.
    assert (teacher.nationality.code, teacher.category) == ("GB", 1)
    assert Employment.objects.filter(pk=employment.pk, teacher=teacher).exists()
    assert teacher.documents.count() == len(files)
    assert not teacher.documents.exclude(file="").exists()
    assert not any(default_storage.exists(name) for name in files)
    assert (
        AuditEvent.objects.filter(action="teacher.erased", target_id=str(teacher.pk)).count() == 1
    )
    assert _audit_names(teacher, "Emma Q") == []
    # Idempotent.
    assert teachers_erase_due(on=date(2028, 9, 1)) == 0


def test_a_request_without_a_hold_is_carried_out_by_the_job_login_included(teacher_user):
    teacher = TeacherFactory(user=teacher_user)
    add_document(teacher, DocumentKind.CV)
    from apps.teachers.services import teacher_deletion_request

    teacher_deletion_request(actor=teacher_user, teacher=teacher)
    with time_machine.travel(datetime(2026, 9, 1, 4, 30, tzinfo=SHANGHAI), tick=False):
        assert apply_retention()["teachers_erased"] == 1
    assert not User.objects.filter(pk=teacher_user.pk).exists()
    teacher.refresh_from_db()
    assert teacher.user is None and teacher.erased_at is not None and teacher.legal_name == ""
    assert AuditEvent.objects.filter(action="teacher.account_delete").exists()


def test_a_kept_credit_record_holds_the_request_until_its_deletion_date(teacher_user):
    teacher = TeacherFactory(user=teacher_user)
    restriction_create(
        teacher=teacher,
        starts_on=date(2020, 1, 1),
        display_until=date(2021, 1, 1),
        status="expired",
        ended_on=date(2021, 1, 1),
        delete_after=date(2026, 1, 1),
    )
    from apps.teachers.services import teacher_deletion_request

    teacher_deletion_request(actor=teacher_user, teacher=teacher)
    assert teachers_erase_due(on=date(2025, 12, 31)) == 0
    assert teachers_erase_due(on=date(2026, 1, 1)) == 1


def test_one_teacher_that_cannot_be_erased_does_not_hold_back_the_others(monkeypatch):
    from apps.teachers.services import retention, teacher_deletion_request

    first, second = TeacherFactory(), TeacherFactory()
    for teacher in (first, second):
        teacher_deletion_request(actor=teacher.user, teacher=teacher)
    real_scrub = retention._audit_scrub

    def scrub(teacher):
        if teacher.pk == first.pk:
            raise RuntimeError("storage unavailable")
        real_scrub(teacher)

    monkeypatch.setattr(retention, "_audit_scrub", scrub)
    assert teachers_erase_due(on=date(2026, 9, 1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    # The failed one rolled back whole (tried again tomorrow); the next one was carried out.
    assert first.erased_at is None and first.legal_name != ""
    assert second.erased_at is not None and second.legal_name == ""
