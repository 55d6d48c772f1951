from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.credit.models import BlackListEntry
from apps.credit.selectors import (
    blacklisted_school_ids,
    blacklisted_teacher_ids,
    school_is_blacklisted,
    teacher_is_blacklisted,
)
from apps.credit.services import blacklist_entry_create, blacklist_entry_update
from tests.teachers.factories import TeacherFactory, pdf_bytes

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def test_create_via_service_is_audited_and_selectors_see_it(center_user):
    teacher, other = TeacherFactory(), TeacherFactory()
    entry = blacklist_entry_create(
        actor=center_user,
        teacher=teacher,
        reason="Illegal employment",
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=365),
        evidence=SimpleUploadedFile("evidence.pdf", pdf_bytes()),
    )
    assert len(entry.evidence_sha256) == 64
    assert AuditEvent.objects.get(action="credit.blacklist.create").actor == center_user
    assert blacklisted_teacher_ids(on=TODAY) == {teacher.pk}
    assert blacklisted_teacher_ids(on=TODAY - timedelta(days=1)) == set()
    assert teacher_is_blacklisted(teacher, on=TODAY) and not teacher_is_blacklisted(other, on=TODAY)
    blacklist_entry_update(
        actor=center_user,
        entry=entry,
        reason=entry.reason,
        ends_on=TODAY + timedelta(days=5),
        note="Lifted early",
    )
    assert not teacher_is_blacklisted(teacher, on=TODAY + timedelta(days=6))
    assert AuditEvent.objects.get(action="credit.blacklist.update").reason == "Lifted early"


def test_only_center_staff_and_valid_evidence(teacher_user, center_user):
    teacher = TeacherFactory()
    with pytest.raises(PermissionDenied):
        blacklist_entry_create(actor=teacher_user, teacher=teacher, reason="x", starts_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        blacklist_entry_create(
            actor=center_user,
            teacher=teacher,
            reason="x",
            starts_on=TODAY,
            evidence=SimpleUploadedFile("e.pdf", b"<html><script></script></html>"),
        )
    assert "evidence" in exc.value.message_dict
    with pytest.raises(ValidationError):
        blacklist_entry_create(actor=center_user, reason="x", starts_on=TODAY)


def test_exactly_one_of_teacher_or_school_in_the_database(center_user):
    with pytest.raises(IntegrityError):
        BlackListEntry.objects.create(reason="x", starts_on=TODAY, created_by=center_user)


def test_school_blacklist_and_admission_of_a_teacher_unaffected(center_user):
    from tests.schools.factories import SchoolFactory

    school, other = SchoolFactory(), SchoolFactory()
    blacklist_entry_create(
        actor=center_user, school=school, reason="Illegal employment", starts_on=TODAY
    )
    assert school_is_blacklisted(school, on=TODAY)
    assert not school_is_blacklisted(other, on=TODAY)
    assert blacklisted_school_ids(on=TODAY) == {school.pk}
    assert blacklisted_teacher_ids(on=TODAY) == set()
    with pytest.raises(ValidationError):
        blacklist_entry_create(
            actor=center_user, school=school, teacher=TeacherFactory(), reason="x", starts_on=TODAY
        )


def test_admin_add_goes_through_the_service(client, center_user):
    from django.contrib.auth.models import Group

    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    teacher = TeacherFactory()
    response = client.post(
        reverse("admin:credit_blacklistentry_add"),
        {"teacher": teacher.pk, "reason": "Fraud", "starts_on": "2026-06-01", "ends_on": ""},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="credit.blacklist.create").exists()
    response = client.post(
        reverse("admin:credit_blacklistentry_add"),
        {
            "teacher": teacher.pk,
            "reason": "x",
            "starts_on": "2026-06-01",
            "evidence": SimpleUploadedFile("e.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["evidence"]
    assert client.get(reverse("admin:credit_blacklistentry_changelist")).status_code == 200


def test_school_staff_cannot_open_the_black_list_admin(client, school_user):
    client.force_login(school_user)
    response = client.get(reverse("admin:credit_blacklistentry_changelist"))
    assert response.status_code == 302  # admin login page: not staff
