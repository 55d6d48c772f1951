import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.teachers import selectors
from apps.teachers.models import DocumentKind
from tests.accounts.factories import TeacherUserFactory
from tests.teachers.factories import TeacherFactory, add_document, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(teacher_user):
    teacher = TeacherFactory(user=teacher_user)
    return add_document(teacher, DocumentKind.PASSPORT, content=pdf_bytes("secret passport"))


def download(client, document):
    return client.get(reverse("teachers:document_download", args=[document.code]))


@pytest.mark.parametrize(
    ("actor", "status"),
    [("owner", 200), ("other_teacher", 404), ("school", 404), ("center", 200), ("bureau", 404)],
)
def test_download_visibility_matrix(
    client, document, teacher_user, school_user, center_user, bureau_user, actor, status
):
    users = {
        "owner": teacher_user,
        "other_teacher": TeacherUserFactory(),
        "school": school_user,
        "center": center_user,
        "bureau": bureau_user,
    }
    client.force_login(users[actor])
    response = download(client, document)
    assert response.status_code == status
    audits = AuditEvent.objects.filter(action="teacher.document.download", target_id=document.pk)
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert audits.get().actor == users[actor]
    else:
        assert not audits.exists()


def test_anonymous_is_sent_to_login(client, document):
    response = download(client, document)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_download_writes_an_audit_row(client, document, teacher_user):
    client.force_login(teacher_user)
    download(client, document)
    download(client, document)
    assert AuditEvent.objects.filter(action="teacher.document.download").count() == 2


def test_no_direct_media_url(client, document, center_user):
    client.force_login(center_user)
    for url in [f"{settings.MEDIA_URL}{document.file.name}", f"/media/{document.file.name}"]:
        assert client.get(url).status_code == 404


def test_preview_is_inline_for_center_only(client, document, teacher_user, center_user):
    url = reverse("teachers:document_preview", args=[document.code])
    client.force_login(teacher_user)
    assert client.get(url).status_code == 403
    client.force_login(center_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="teacher.document.preview").count() == 1


def test_a_later_app_can_grant_access_through_the_same_rule(client, document, school_user):
    def school_sees_everything(user, doc):
        return user.is_school_staff

    selectors.register_document_access(school_sees_everything)
    try:
        client.force_login(school_user)
        assert download(client, document).status_code == 200
    finally:
        selectors._document_access_rules.remove(school_sees_everything)
