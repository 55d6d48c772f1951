"""The demo's fixed ingredients: names by nationality, weights, and tiny generated PDFs."""

import hashlib
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from apps.core.seeding import tiny_pdf

from .models import Authentication, Category, Document, DocumentKind, DocumentStatus, TeacherStatus

NAMESPACE = uuid.UUID("6f1d1c3e-2a44-4c1e-9b7a-7c1f0e3a5d10")
SEEDED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SEED_DAY = SEEDED_AT.date()
EMAIL_DOMAIN = "seed.hz-waijiao.cn"

# (nationality, weight, native language code, first names, last names)
NATIONALITIES = [
    ("US", 16, "en", ["Emily", "Michael", "Ashley", "Daniel"], ["Smith", "Johnson", "Miller"]),
    ("GB", 14, "en", ["Olivia", "Harry", "Amelia", "George"], ["Taylor", "Brown", "Wilson"]),
    ("CA", 8, "en", ["Chloe", "Liam", "Ava"], ["Tremblay", "Martin", "Roy"]),
    ("AU", 7, "en", ["Charlotte", "Jack", "Mia"], ["Nguyen", "Williams", "Kelly"]),
    ("NZ", 3, "en", ["Isla", "Oliver"], ["Walker", "Ngata"]),
    ("IE", 4, "en", ["Aoife", "Sean"], ["Murphy", "O'Brien"]),
    ("ZA", 5, "en", ["Lerato", "Pieter"], ["Botha", "Dlamini"]),
    ("FR", 4, "fr", ["Camille", "Louis"], ["Dubois", "Moreau"]),
    ("DE", 4, "de", ["Lena", "Jonas"], ["Müller", "Schneider"]),
    ("ES", 3, "es", ["Lucía", "Pablo"], ["García", "López"]),
    ("MX", 2, "es", ["Sofía", "Diego"], ["Hernández", "Ramírez"]),
    ("JP", 3, "ja", ["Yui", "Haruto"], ["Sato", "Suzuki"]),
    ("KR", 3, "ko", ["Jiwoo", "Minjun"], ["Kim", "Park"]),
    ("RU", 3, "ru", ["Anna", "Ivan"], ["Ivanova", "Petrov"]),
    ("IT", 2, "it", ["Giulia", "Marco"], ["Rossi", "Bianchi"]),
    ("BR", 2, "pt", ["Beatriz", "Lucas"], ["Silva", "Santos"]),
    ("PH", 5, "", ["Maria", "Jose"], ["Reyes", "Cruz"]),
    ("IN", 3, "", ["Priya", "Arjun"], ["Sharma", "Patel"]),
    ("PL", 2, "", ["Zofia", "Jakub"], ["Nowak", "Kowalski"]),
    ("NL", 2, "", ["Sanne", "Daan"], ["de Vries", "Jansen"]),
    ("SE", 1, "", ["Elsa", "Erik"], ["Andersson", "Lindqvist"]),
    ("UA", 2, "", ["Olena", "Taras"], ["Shevchenko", "Bondarenko"]),
]
CATEGORY_WEIGHTS = [
    (Category.IN_SERVICE, 45),
    (Category.RETIRED, 10),
    (Category.FOREIGN_GRADUATE, 25),
    (Category.INTERN, 10),
    (Category.CHINA_GRADUATE, 10),
]
STATUS_WEIGHTS = [
    (TeacherStatus.VERIFIED, 55),
    (TeacherStatus.PENDING, 18),
    (TeacherStatus.DRAFT, 20),
    (TeacherStatus.REJECTED, 7),
]
LANGUAGE_SUBJECTS = [
    "english",
    "french",
    "german",
    "spanish",
    "japanese",
    "korean",
    "russian",
    "italian",
    "portuguese",
]
NON_LANGUAGE_SUBJECTS = ["science", "mathematics", "art", "music", "physical_education", "ib"]
REQUIRED_KINDS = [
    DocumentKind.PASSPORT,
    DocumentKind.DEGREE,
    DocumentKind.CRIMINAL_RECORD,
    DocumentKind.HEALTH_CHECK,
]
UNIVERSITIES = [
    "University of Leeds",
    "University of Toronto",
    "Monash University",
    "University of Michigan",
    "Trinity College Dublin",
    "Zhejiang University",
    "Hangzhou Normal University",
    "Sorbonne Université",
    "Universität Hamburg",
]


def teacher_code(index: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"teacher-{index}")


def complete_row(model: type[models.Model], row: dict) -> dict:
    """Fill model defaults into a row for bulk_insert (COPY writes every column we name)."""
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in row or field.attname in row:
            continue
        if field.has_default():
            row[field.name] = field.get_default()
        elif field.null:
            row[field.name] = None
        else:
            row[field.name] = ""
    return row


def store_pdf(label: str) -> tuple[str, int, str]:
    content = tiny_pdf(label)
    name = default_storage.save(
        f"teacher-documents/{uuid.uuid5(NAMESPACE, label).hex}.pdf", ContentFile(content)
    )
    return name, len(content), hashlib.sha256(content).hexdigest()


def document_row(teacher_id, code, kind, status, label, *, expires_on=None, issued_on=None):
    name, size, digest = store_pdf(label)
    return complete_row(
        Document,
        {
            "code": uuid.uuid5(NAMESPACE, f"doc-{label}"),
            "teacher_id": teacher_id,
            "kind": kind,
            "file": name,
            "original_name": f"{kind}.pdf",
            "content_type": "application/pdf",
            "size": size,
            "sha256": digest,
            "status": status,
            "issued_on": issued_on,
            "expires_on": expires_on,
            "authentication": Authentication.APOSTILLE
            if kind in {DocumentKind.DEGREE, DocumentKind.CRIMINAL_RECORD}
            else Authentication.NONE,
            "rejection_reason": "unreadable" if status == DocumentStatus.REJECTED else "",
            "uploaded_at": SEEDED_AT,
            "verified_at": SEEDED_AT if status == DocumentStatus.VERIFIED else None,
        },
    )
