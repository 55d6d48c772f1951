from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.teachers.models import Document
from apps.teachers.services import document_upload
from apps.teachers.uploads import MAX_UPLOAD_BYTES, inspect_upload
from tests.teachers.factories import PNG_BYTES, pdf_bytes

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"This is plain text pretending to be a PDF.\n" * 5, "Only PDF, JPEG and PNG"),
        ("empty.pdf", b"", "The file is empty."),
        ("image.svg", SVG, "Only PDF, JPEG and PNG"),
        ("passport.pdf", SVG, "Only PDF, JPEG and PNG"),
        ("page.html", HTML, "Only PDF, JPEG and PNG"),
        ("page.pdf", HTML, "Only PDF, JPEG and PNG"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as exc:
        inspect_upload(upload(name, content))
    assert message in exc.value.messages[0]


def test_too_large_file_refused_and_limit_accepted():
    head = pdf_bytes()
    exact = upload("big.pdf", head + b"0" * (MAX_UPLOAD_BYTES - len(head)))
    assert inspect_upload(exact).size == MAX_UPLOAD_BYTES
    over = upload("big.pdf", head + b"0" * (MAX_UPLOAD_BYTES + 1 - len(head)))
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        inspect_upload(over)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\evil.pdf", ".hidden.pdf", "a\x00b.pdf"]
)
def test_path_traversal_names_refused(name):
    with pytest.raises(ValidationError, match="file name is not allowed"):
        inspect_upload(ContentFile(pdf_bytes(), name=name))


def test_pdf_jpeg_png_accepted_with_sha256():
    info = inspect_upload(upload("passport.PDF", pdf_bytes("a")))
    assert (info.content_type, info.suffix) == ("application/pdf", ".pdf")
    assert len(info.sha256) == 64
    assert inspect_upload(upload("me.png", PNG_BYTES)).content_type == "image/png"
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
    assert inspect_upload(upload("me.jpg", jpeg)).content_type == "image/jpeg"


def test_stored_under_a_random_name(teacher, teacher_user):
    document = document_upload(
        actor=teacher_user, teacher=teacher, kind="cv", file=upload("my cv.pdf", pdf_bytes())
    )
    assert document.original_name == "my cv.pdf"
    assert document.file.name.startswith("teacher-documents/")
    assert "cv" not in document.file.name.removeprefix("teacher-documents/")
    assert document.file.name.endswith(".pdf")


def _post(client, teacher_user, **data):
    client.force_login(teacher_user)
    return client.post(reverse("teachers:documents"), {"authentication": "none", **data})


def test_upload_page_shows_field_errors_and_keeps_existing_documents(client, teacher, teacher_user):
    ok = _post(client, teacher_user, kind="cv", file=upload("cv.pdf", pdf_bytes()))
    assert ok.status_code == 302
    for name, content in [("fake.pdf", b"hello world " * 20), ("empty.pdf", b""), ("x.svg", SVG)]:
        response = _post(client, teacher_user, kind="degree", file=upload(name, content))
        assert response.status_code == 400
        assert response.context["form"].errors["file"]
    assert list(Document.objects.filter(teacher=teacher).values_list("kind", flat=True)) == ["cv"]


def test_path_traversal_through_the_browser_is_neutralised(client, teacher, teacher_user):
    response = _post(
        client, teacher_user, kind="cv", file=upload("../../../etc/cv.pdf", pdf_bytes())
    )
    assert response.status_code == 302
    document = Document.objects.get(teacher=teacher)
    assert ".." not in document.file.name and "/etc/" not in document.file.name
    assert document.original_name == "cv.pdf"


def test_expired_passport_refused(client, teacher, teacher_user):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _post(
        client,
        teacher_user,
        kind="passport",
        file=upload("p.pdf", pdf_bytes()),
        expires_on=yesterday.isoformat(),
    )
    assert response.status_code == 400
    assert "already expired" in response.context["form"].errors["expires_on"][0]
    response = _post(client, teacher_user, kind="passport", file=upload("p.pdf", pdf_bytes()))
    assert "Enter the expiry date." in response.context["form"].errors["expires_on"][0]
    assert not Document.objects.exists()


def test_criminal_record_expiry_follows_policy(teacher, teacher_user):
    issued = timezone.localdate() - timedelta(days=10)
    document = document_upload(
        actor=teacher_user,
        teacher=teacher,
        kind="criminal_record",
        file=upload("c.pdf", pdf_bytes()),
        issued_on=issued,
    )
    assert (document.expires_on.year * 12 + document.expires_on.month) - (
        issued.year * 12 + issued.month
    ) == 6
    with pytest.raises(ValidationError) as exc:
        document_upload(
            actor=teacher_user,
            teacher=teacher,
            kind="criminal_record",
            file=upload("c.pdf", pdf_bytes()),
            issued_on=issued - timedelta(days=365),
        )
    assert "valid for 6 months" in exc.value.message_dict["issued_on"][0]


def test_another_teacher_cannot_upload_to_my_vault(teacher):
    from django.core.exceptions import PermissionDenied

    from tests.accounts.factories import TeacherUserFactory

    with pytest.raises(PermissionDenied):
        document_upload(
            actor=TeacherUserFactory(),
            teacher=teacher,
            kind="cv",
            file=upload("x.pdf", pdf_bytes()),
        )


def test_ten_megabytes_plus_one_through_the_page(client, teacher, teacher_user):
    head = pdf_bytes()
    big = upload("big.pdf", head + b"0" * (MAX_UPLOAD_BYTES + 1 - len(head)))
    response = _post(client, teacher_user, kind="cv", file=big)
    assert response.status_code == 400
    assert "larger than 10 MB" in response.context["form"].errors["file"][0]


def test_documents_page_query_count_does_not_grow(
    client, teacher, teacher_user, django_assert_num_queries, django_assert_max_num_queries
):
    from apps.teachers.models import DocumentKind
    from tests.teachers.factories import add_document

    client.force_login(teacher_user)
    add_document(teacher, DocumentKind.CV)
    client.get(reverse("teachers:documents"))
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("teachers:documents"))
    for _ in range(10):
        add_document(teacher, DocumentKind.REFERENCE)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("teachers:documents"))
    assert len(response.context["documents"]) == 11
