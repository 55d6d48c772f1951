"""Seeds write every file they name; a download of a missing file is a 404 that says so."""

import io
from datetime import date
from html import unescape

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import translation

from apps.core.models import AuditEvent
from apps.employment.models import InternshipAgreement
from apps.teachers.models import DocumentKind, TeacherStatus
from tests.teachers.factories import TeacherFactory, add_document

pytestmark = pytest.mark.django_db


def test_the_demo_seed_writes_every_file_its_rows_name():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())

    missing, checked = [], 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            names = model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True)
            for name in set(names):
                checked += 1
                if not default_storage.exists(name):
                    missing.append(f"{model._meta.label}.{field.name}: {name}")
    assert checked and InternshipAgreement.objects.exists()
    assert missing == []


@pytest.fixture
def center_admin(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    return client


@pytest.fixture
def lost_agreement(school_a):
    agreement = InternshipAgreement(
        teacher=TeacherFactory(status=TeacherStatus.PENDING),
        school=school_a,
        university="University of Leeds",
        starts_on=date(2027, 2, 20),
        ends_on=date(2027, 8, 20),
    )
    agreement.file.save("agreement.pdf", ContentFile(b"%PDF-1.4"), save=False)
    agreement.save()
    default_storage.delete(agreement.file.name)
    return agreement


def test_admin_download_of_a_missing_agreement_is_a_404_without_audit(center_admin, lost_agreement):
    url = reverse("admin:employment_internshipagreement_file", args=[lost_agreement.code])

    response = center_admin.get(url)

    assert response.status_code == 404
    assert "missing from the portal's storage" in unescape(response.content.decode())
    assert not AuditEvent.objects.filter(action="internship_agreement.file").exists()


def test_the_404_message_is_in_the_readers_language(center_admin, lost_agreement):
    with translation.override("zh-hans"):
        url = reverse("admin:employment_internshipagreement_file", args=[lost_agreement.code])

    response = center_admin.get(url)

    assert response.status_code == 404
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The file is missing from the portal's storage, so it cannot be downloaded. "
            "The service center has been alerted; please ask it to upload the file again."
        )
    assert expected in unescape(response.content.decode())
    assert "missing from the portal's storage" not in unescape(response.content.decode())


def test_document_download_and_preview_of_a_missing_file(client, center_admin):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    document = add_document(teacher, DocumentKind.PASSPORT)
    default_storage.delete(document.file.name)

    download = center_admin.get(reverse("teachers:document_download", args=[document.code]))
    preview = center_admin.get(reverse("teachers:document_preview", args=[document.code]))
    client.force_login(teacher.user)
    own = client.get(reverse("teachers:document_download", args=[document.code]))

    assert (download.status_code, preview.status_code, own.status_code) == (404, 404, 404)
    assert 'data-testid="not-found-reason"' in own.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="teacher.document.").exists()


def test_a_present_file_still_downloads_and_is_audited(center_admin):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    document = add_document(teacher, DocumentKind.PASSPORT)

    response = center_admin.get(reverse("teachers:document_download", args=[document.code]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="teacher.document.download").count() == 1


def test_other_404s_stay_generic(client, teacher_user):
    client.force_login(teacher_user)

    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert 'data-testid="not-found-reason"' not in response.content.decode()


def test_export_my_data_keeps_what_exists_and_lists_the_missing_file(client):
    import json
    import zipfile

    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    add_document(teacher, DocumentKind.PASSPORT)
    gone = add_document(teacher, DocumentKind.CV)
    default_storage.delete(gone.file.name)
    client.force_login(teacher.user)

    response = client.post(reverse("teachers:export_data"))

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    documents = {d["kind"]: d for d in data["teacher"]["documents"]}
    assert documents[DocumentKind.PASSPORT]["file"] in archive.namelist()
    assert documents[DocumentKind.CV]["file"] == ""
    assert "missing from the portal's storage" in documents[DocumentKind.CV]["file_missing"]
    assert documents[DocumentKind.CV]["original_name"] == gone.original_name
