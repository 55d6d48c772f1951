import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.teachers.models import DocumentKind, DocumentStatus, Teacher, TeacherStatus
from tests.teachers.factories import TeacherFactory, add_document, pdf_bytes

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:teachers_teacher_changelist"


@pytest.fixture
def admin_client(client, center_user):
    from django.contrib.auth.models import Group

    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    return client


def test_review_queue_filters(admin_client, django_assert_max_num_queries):
    pending = TeacherFactory(status=TeacherStatus.PENDING, nationality="US", category=2)
    TeacherFactory(status=TeacherStatus.DRAFT, nationality="GB")
    twin = TeacherFactory(passport_number=pending.passport_number)
    url = reverse(CHANGELIST)
    with django_assert_max_num_queries(25):
        response = admin_client.get(url)
    assert response.status_code == 200
    shown = lambda r: set(r.context["cl"].result_list)  # noqa: E731
    assert shown(admin_client.get(url, {"status": "pending"})) == {pending}
    assert shown(admin_client.get(url, {"category": "2"})) == {pending}
    assert shown(admin_client.get(url, {"nationality": "US"})) == {pending}
    assert shown(admin_client.get(url, {"duplicate": "yes"})) == {pending, twin}


def test_queue_query_count_does_not_grow(admin_client, django_assert_max_num_queries):
    for _ in range(15):
        TeacherFactory(status=TeacherStatus.PENDING)
    with django_assert_max_num_queries(25):
        response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 15


def test_same_file_on_two_accounts_is_flagged(admin_client):
    content = pdf_bytes("identical degree")
    first, second = TeacherFactory(), TeacherFactory()
    add_document(first, DocumentKind.DEGREE, content=content)
    add_document(second, DocumentKind.DEGREE, content=content)
    TeacherFactory()
    response = admin_client.get(reverse(CHANGELIST), {"duplicate": "yes"})
    assert set(response.context["cl"].result_list) == {first, second}


def test_verify_action(admin_client, center_user):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    doc = add_document(teacher, DocumentKind.PASSPORT, status=DocumentStatus.UPLOADED)
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "verify", "_selected_action": [teacher.pk], "reason": "", "note": ""},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    doc.refresh_from_db()
    assert teacher.status == TeacherStatus.VERIFIED and teacher.verified_by == center_user
    assert doc.status == DocumentStatus.VERIFIED
    assert Notification.objects.filter(recipient=teacher.user, kind="teacher.verified").exists()


def test_reject_action_with_standard_and_custom_reason(admin_client):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    url = reverse(CHANGELIST)
    admin_client.post(url, {"action": "reject", "_selected_action": [teacher.pk], "reason": ""})
    teacher.refresh_from_db()
    assert teacher.status == TeacherStatus.PENDING  # no reason chosen: nothing happens
    admin_client.post(
        url,
        {
            "action": "reject",
            "_selected_action": [teacher.pk],
            "reason": "other",
            "note": "Blurry scan",
        },
    )
    teacher.refresh_from_db()
    assert (teacher.status, teacher.rejection_note) == (TeacherStatus.REJECTED, "Blurry scan")
    body = Notification.objects.get(kind="teacher.rejected").body
    assert "Blurry scan" in body


def test_document_reject_action(admin_client):
    teacher = TeacherFactory()
    doc = add_document(teacher, DocumentKind.HEALTH_CHECK, status=DocumentStatus.UPLOADED)
    admin_client.post(
        reverse("admin:teachers_document_changelist"),
        {"action": "reject", "_selected_action": [doc.pk], "reason": "unreadable", "note": ""},
    )
    doc.refresh_from_db()
    assert (doc.status, doc.rejection_reason) == (DocumentStatus.REJECTED, "unreadable")
    assert Notification.objects.filter(kind="teacher.document.rejected").exists()


def test_change_page_shows_history_and_audits_passport_view(admin_client):
    teacher = TeacherFactory(status=TeacherStatus.PENDING, passport_number="E7654321")
    doc = add_document(teacher, DocumentKind.PASSPORT)
    response = admin_client.get(reverse("admin:teachers_teacher_change", args=[teacher.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("teachers:document_preview", args=[doc.code]) in html
    assert AuditEvent.objects.filter(action="teacher.passport.view").count() == 1


def test_history_reads_translated_labels_not_action_codes(admin_client, center_user):
    from django.utils import translation

    from apps.core.services import audit_record

    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    audit_record(actor=center_user, action="teacher.verify", target=teacher)
    with translation.override("zh-hans"):
        url = reverse("admin:teachers_teacher_change", args=[teacher.pk])

    html = admin_client.get(url).content.decode()

    assert "资料审核通过" in html
    assert "teacher.verify" not in html


def test_admin_edit_of_key_field_sends_back_to_review(admin_client):
    from django.utils import timezone

    teacher = TeacherFactory(status=TeacherStatus.VERIFIED, verified_at=timezone.now())
    url = reverse("admin:teachers_teacher_change", args=[teacher.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        legal_name="Changed Name",
        native_languages=[],
        subjects=[],
        levels=[],
        preferred_districts=[],
        **{
            f"{p}-{s}": v
            for p in ["certificates", "experiences", "documents"]
            for s, v in [("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0)]
        },
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    teacher.refresh_from_db()
    assert (teacher.legal_name, teacher.status) == ("Changed Name", TeacherStatus.PENDING)


def test_confirm_deletion_action(admin_client):
    teacher = TeacherFactory()
    from apps.teachers.services import teacher_deletion_request

    teacher_deletion_request(actor=teacher.user, teacher=teacher)
    admin_client.post(
        reverse(CHANGELIST), {"action": "confirm_deletion", "_selected_action": [teacher.pk]}
    )
    assert Teacher.objects.get(pk=teacher.pk).user is None


def test_review_queue_counts_for_the_center_dashboard(django_assert_max_num_queries):
    from apps.teachers.selectors import review_queue_counts

    pending = TeacherFactory(status=TeacherStatus.PENDING)
    add_document(pending, DocumentKind.PASSPORT, status=DocumentStatus.UPLOADED)
    TeacherFactory(passport_number=pending.passport_number)
    with django_assert_max_num_queries(4):
        counts = review_queue_counts()
    assert counts["pending"] == 1 and counts["documents_to_review"] == 1
    assert counts["duplicates"] == 2 and counts["deletion_requests"] == 0


def test_admin_edit_keeps_the_date_rules(admin_client):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    url = reverse("admin:teachers_teacher_change", args=[teacher.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        degree_year=teacher.date_of_birth.year + 10,
        **{
            f"{p}-{s}": v
            for p in ["certificates", "experiences", "documents"]
            for s, v in [("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0)]
        },
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "15 years old" in str(response.context["adminform"].form.errors["degree_year"])


def test_admin_change_of_subjects_goes_through_the_service_and_is_audited(admin_client):
    from apps.core.models import Subject

    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    subject = Subject.objects.get(code="english")
    assert not teacher.subjects.exists()
    url = reverse("admin:teachers_teacher_change", args=[teacher.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    for name in ["native_languages", "subjects", "levels", "preferred_districts"]:
        data[name] = [item.pk for item in data.get(name, [])]
    data.update(
        subjects=[subject.pk],
        **{
            f"{p}-{s}": v
            for p in ["certificates", "experiences", "documents"]
            for s, v in [("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0)]
        },
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(teacher.subjects.all()) == [subject]
    event = AuditEvent.objects.filter(action="teacher.update").get()
    assert event.after["m2m"] == ["subjects"]


def test_identity_fieldset_lists_exactly_the_fields_that_send_back_to_review():
    from apps.teachers.admin import TeacherAdmin
    from apps.teachers.models import IDENTITY_KEY_FIELDS
    from apps.teachers.services import KEY_FIELDS

    fieldsets = {str(title): options["fields"] for title, options in TeacherAdmin.fieldsets}
    identity = fieldsets["Identity (changing these sends a verified teacher back to review)"]
    assert set(identity) == set(IDENTITY_KEY_FIELDS) <= KEY_FIELDS
    assert "gender" in fieldsets["Personal details"]
