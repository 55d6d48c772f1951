"""Who sees which credit records: the person, their school, bureaus (counts), center pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.credit.models import CreditFile, Objection, RecordStatus
from tests.credit.factories import commendation_create, restriction_create
from tests.teachers.factories import TeacherFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def _notified(teacher=None, school=None):
    today = timezone.localdate()
    return restriction_create(
        teacher=teacher,
        school=school,
        severity="general",
        starts_on=today + timedelta(days=10),
        display_until=today + timedelta(days=200),
        status=RecordStatus.NOTIFIED,
        objection_deadline=today + timedelta(days=7),
    )


def test_a_teacher_sees_own_records_and_stars_but_not_anothers(client):
    teacher, other = TeacherFactory(), TeacherFactory()
    own = _notified(teacher=teacher)
    theirs = restriction_create(teacher=other, facts="Someone else's facts.")
    proposed = restriction_create(
        teacher=teacher, status=RecordStatus.PROPOSED, facts="Not yet approved."
    )
    client.force_login(teacher.user)
    page = client.get(reverse("credit:teacher_home")).content.decode()
    assert "Breach of contract" in page or own.get_grounds_display() in page
    assert "Star level" in page and "black list" not in page.lower()
    assert client.get(reverse("credit:record", args=[own.code])).status_code == 200
    assert client.get(reverse("credit:record", args=[theirs.code])).status_code == 404
    assert client.get(reverse("credit:record", args=[proposed.code])).status_code == 404


def test_a_school_sees_only_its_own_records(client, liaison_a, school_a, school_b):
    own = restriction_create(school=school_a)
    other = restriction_create(school=school_b)
    teacher_record = restriction_create(teacher=TeacherFactory())
    client.force_login(liaison_a)
    page = client.get(reverse("credit:school_home")).content.decode()
    assert str(own.code) in page and str(other.code) not in page
    assert client.get(reverse("credit:record", args=[other.code])).status_code == 404
    assert client.get(reverse("credit:record", args=[teacher_record.code])).status_code == 404
    assert client.get(reverse("credit:teacher_home")).status_code == 403


def test_bureaus_see_counts_only(client, bureau_xihu_user, school_a):
    teacher = TeacherFactory(legal_name="Secret Person")
    restriction_create(teacher=teacher)
    commendation_create(teacher=TeacherFactory())
    client.force_login(bureau_xihu_user)
    page = client.get(reverse("credit:bureau_counts")).content.decode()
    assert "Secret Person" not in page
    assert client.get(reverse("credit:teacher_home")).status_code == 403
    assert client.get(reverse("credit:exchange")).status_code == 403


def test_center_pages_are_refused_to_others(client, teacher_user, liaison_a):
    for user in (teacher_user, liaison_a):
        client.force_login(user)
        for url in (
            reverse("credit:recognition", args=["permit"]),
            reverse("credit:exchange"),
            reverse("credit:export", args=["restrictions", "csv"]),
        ):
            assert client.get(url).status_code == 403


def test_the_teacher_objects_on_the_page_and_a_bad_file_keeps_the_statement(client):
    teacher = TeacherFactory()
    record = _notified(teacher=teacher)
    client.force_login(teacher.user)
    url = reverse("credit:record", args=[record.code])
    bad = client.post(
        url,
        {
            "objection-statement": "The dates are wrong.",
            "objection-files": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf"),
        },
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Only PDF, JPEG and PNG" in body and "The dates are wrong." in body
    assert not Objection.objects.exists()
    good = client.post(
        url,
        {
            "objection-statement": "The dates are wrong.",
            "objection-files": SimpleUploadedFile("proof.pdf", pdf_bytes()),
        },
    )
    assert good.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.OBJECTION
    credit_file = CreditFile.objects.get(objection__record=record)
    download = client.get(reverse("credit:file", args=[credit_file.code]))
    assert download.status_code == 200
    assert AuditEvent.objects.filter(action="credit.file.downloaded", actor=teacher.user)
    client.force_login(TeacherFactory().user)
    assert client.get(reverse("credit:file", args=[credit_file.code])).status_code == 404


def test_the_teachers_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    teacher = TeacherFactory()
    client.force_login(teacher.user)
    restriction_create(teacher=teacher)
    client.get(reverse("credit:teacher_home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("credit:teacher_home"))
    # Session, user, teacher, star level with the policy it is explained by, records, star
    # history: the rows show each record's own fields, not its objection, files or repairs.
    assert len(one.captured_queries) == 7
    for _ in range(5):
        commendation_create(teacher=teacher)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("credit:teacher_home"))


def test_a_school_sees_the_star_level_of_its_applicants(client, liaison_a, school_a):
    from apps.credit.models import TeacherStarLevel
    from tests.applications.factories import ApplicationFactory, english_vacancy

    vacancy = english_vacancy(school=school_a, created_by=liaison_a)
    starred = ApplicationFactory(vacancy=vacancy)
    ApplicationFactory(vacancy=vacancy)
    TeacherStarLevel.objects.create(teacher=starred.teacher, level=4)
    client.force_login(liaison_a)
    page = client.get(reverse("applications:applicants", args=[vacancy.code])).content.decode()
    assert "4★" in page
