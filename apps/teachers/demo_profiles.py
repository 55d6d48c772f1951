"""The demo logins' teacher profiles: Emma is ready to be matched, James is half-way."""

import uuid
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import District, Language, Subject, TeachingLevel

from .models import (
    Category,
    CertificateKind,
    DegreeLevel,
    Document,
    DocumentKind,
    DocumentStatus,
    Experience,
    Teacher,
    TeacherStatus,
    TeachingCertificate,
)
from .seed_data import SEEDED_AT, document_row
from .steps import STEP_SLUGS


def seed_demo_profiles() -> None:
    emma = User.objects.filter(email="teacher.emma@demo.hz-waijiao.cn").first()
    james = User.objects.filter(email="teacher.james@demo.hz-waijiao.cn").first()
    if emma:
        _demo_teacher(emma, complete=True, nationality="GB", passport="GB7001234")
    if james:
        _demo_teacher(james, complete=False, nationality="IE", passport="IE7004321")


def _demo_teacher(user: User, *, complete: bool, nationality: str, passport: str) -> None:
    status = TeacherStatus.VERIFIED if complete else TeacherStatus.DRAFT
    teacher, created = Teacher.objects.get_or_create(
        user=user,
        defaults={
            # A fixed code: seeds order teachers by code, so a random one would reshuffle
            # every later random choice and give each fresh database different demo data.
            "code": uuid.uuid5(uuid.NAMESPACE_URL, f"hz-waijiao-demo-teacher:{user.email}"),
            "legal_name": user.full_name,
            "date_of_birth": date(1988, 4, 12) if complete else date(1995, 9, 3),
            "gender": "female" if complete else "male",
            "nationality": nationality,
            "current_country": "CN",
            "current_city": "Hangzhou",
            "passport_number": passport,
            "category": Category.IN_SERVICE if complete else Category.FOREIGN_GRADUATE,
            "degree_level": DegreeLevel.MASTER if complete else None,
            "degree_field": "TESOL" if complete else "",
            "degree_is_education": complete,
            "degree_university": "University of Leeds" if complete else "",
            "degree_country": "GB" if complete else "",
            "degree_year": 2011 if complete else None,
            "earliest_start": date(2026, 9, 1),
            "salary_min": 18_000,
            "salary_max": 24_000,
            "bio": "Primary English teacher, eight years in the UK and Hangzhou."
            if complete
            else "",
            "status": status,
            "completed_steps": list(STEP_SLUGS) if complete else ["personal", "category"],
            "submitted_at": SEEDED_AT if complete else None,
            "verified_at": SEEDED_AT if complete else None,
        },
    )
    if not created:
        return
    teacher.native_languages.set(Language.objects.filter(code="en"))
    if not complete:
        _demo_document(
            teacher, DocumentKind.PASSPORT, DocumentStatus.UPLOADED, expires_on=date(2031, 3, 1)
        )
        return
    teacher.subjects.set(Subject.objects.filter(code__in=["english", "oral_english"]))
    # Kindergarten too, so Emma fits the demo lead school (a kindergarten) and its login
    # shows her among the applicants.
    teacher.levels.set(
        TeachingLevel.objects.filter(code__in=["kindergarten", "primary", "junior_secondary"])
    )
    teacher.preferred_districts.set(District.objects.filter(code__in=["330106", "330108"]))
    Experience.objects.create(
        teacher=teacher,
        school="St Mary's Primary, Leeds",
        country="GB",
        started_on=date(2016, 9, 1),
        ended_on=date(2021, 7, 20),
        subjects="English",
    )
    Experience.objects.create(
        teacher=teacher,
        school="Hangzhou Bilingual School",
        country="CN",
        started_on=date(2021, 8, 25),
        ended_on=None,
        subjects="Oral English",
    )
    TeachingCertificate.objects.create(
        teacher=teacher, kind=CertificateKind.CELTA, hours=120, issuing_country="GB", year=2016
    )
    # Relative to today, so Emma stays "ready to be matched" whenever the demo is seeded.
    today = timezone.localdate()
    for kind, expires, issued in [
        (DocumentKind.PASSPORT, today + relativedelta(years=6), None),
        (DocumentKind.DEGREE, None, None),
        (DocumentKind.CRIMINAL_RECORD, today + relativedelta(months=5), today - timedelta(days=30)),
        (DocumentKind.HEALTH_CHECK, None, None),
        (DocumentKind.CV, None, None),
    ]:
        _demo_document(teacher, kind, DocumentStatus.VERIFIED, expires_on=expires, issued_on=issued)


def _demo_document(teacher, kind, status, *, expires_on=None, issued_on=None) -> None:
    row = document_row(
        teacher.pk,
        None,
        kind,
        status,
        f"demo-{teacher.code}-{kind}",
        expires_on=expires_on,
        issued_on=issued_on,
    )
    Document.objects.create(**row)
