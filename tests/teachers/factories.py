import itertools
from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.core.models import Subject, TeachingLevel
from apps.teachers.models import (
    Category,
    DegreeLevel,
    Document,
    DocumentKind,
    DocumentStatus,
    Experience,
    Teacher,
    TeacherStatus,
)
from apps.teachers.steps import STEP_SLUGS
from tests.accounts.factories import TeacherUserFactory

_pdf_counter = itertools.count()


def pdf_bytes(text: str = "") -> bytes:
    """A tiny valid-looking PDF whose bytes (so hash) differ per call."""
    body = text or f"document {next(_pdf_counter)}"
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
        + f"% {body}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher
        skip_postgeneration_save = True

    timezone = "Asia/Shanghai"
    # The profile service keeps the user's zone (the one pages read) equal to the teacher's.
    user = factory.SubFactory(TeacherUserFactory, timezone=factory.SelfAttribute("..timezone"))
    legal_name = factory.Faker("name")
    date_of_birth = date(1990, 5, 17)
    gender = "female"
    nationality = "GB"
    category = Category.IN_SERVICE
    degree_level = DegreeLevel.BACHELOR
    degree_field = "English literature"
    degree_university = "University of Leeds"
    degree_country = "GB"
    degree_year = 2012
    earliest_start = date(2026, 9, 1)
    passport_number = factory.Sequence(lambda n: f"P{n:08d}")
    completed_steps = factory.LazyFunction(lambda: list(STEP_SLUGS))


def add_document(
    teacher: Teacher,
    kind: str,
    *,
    status: str = DocumentStatus.VERIFIED,
    expires_on: date | None = None,
    issued_on: date | None = None,
    content: bytes | None = None,
) -> Document:
    import hashlib

    content = content or pdf_bytes()
    document = Document(
        teacher=teacher,
        kind=kind,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        status=status,
        expires_on=expires_on,
        issued_on=issued_on,
        rejection_reason="other" if status == DocumentStatus.REJECTED else "",
        verified_at=timezone.now() if status == DocumentStatus.VERIFIED else None,
    )
    document.file.save(f"x-{kind}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def make_eligible_teacher(on: date | None = None, **kwargs) -> Teacher:
    """A verified in-service English teacher who passes every admission rule."""
    on = on or timezone.localdate()
    teacher = TeacherFactory(status=TeacherStatus.VERIFIED, verified_at=timezone.now(), **kwargs)
    teacher.subjects.set(Subject.objects.filter(code__in=["english"]))
    teacher.levels.set(TeachingLevel.objects.filter(code="primary"))
    Experience.objects.create(
        teacher=teacher,
        school="Leeds Primary",
        country="GB",
        started_on=on - timedelta(days=365 * 3),
        ended_on=None,
    )
    add_document(teacher, DocumentKind.PASSPORT, expires_on=on + timedelta(days=800))
    add_document(teacher, DocumentKind.DEGREE)
    add_document(
        teacher,
        DocumentKind.CRIMINAL_RECORD,
        issued_on=on - timedelta(days=30),
        expires_on=on + timedelta(days=150),
    )
    add_document(teacher, DocumentKind.HEALTH_CHECK)
    return teacher
