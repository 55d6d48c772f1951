from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language

from apps.core.models import Subject
from apps.core.selectors import (
    REFERENCE_CHOICES_SECONDS,
    policy_settings_get,
    reference_version,
)
from apps.credit.selectors import blacklist_entries_active
from apps.teachers.models import Document, Experience, Teacher, TeachingCertificate
from apps.teachers.selectors import LIVE_DOCUMENT_STATUSES

from .availability import availability_annotations, availability_result
from .rules import RULES, AdmissionFacts, RuleResult

# The teacher fields the rules read: a rule reading another one would cost a query per teacher.
TEACHER_COLUMNS = [
    "status",
    "category",
    "nationality",
    "date_of_birth",
    "degree_level",
    "degree_is_education",
    "intern_university",
    "intern_expected_graduation",
    "china_university",
    "china_degree_level",
]
DOCUMENT_COLUMNS = ["teacher_id", "kind", "status", "expires_on", "issued_on"]
EXPERIENCE_COLUMNS = ["teacher_id", "started_on", "ended_on"]
CERTIFICATE_COLUMNS = ["teacher_id", "kind", "hours"]


@dataclass(frozen=True)
class AdmissionResult:
    teacher_id: int
    rules: list[RuleResult]
    # Free for hiring (availability.py): not a rule of the standard, so a hired teacher's
    # checklist stays green, but matching and hiring need both.
    availability: RuleResult | None = None
    # The kinds of the teacher's live (uploaded or verified) documents the rules read: the
    # dashboard's completeness meter shows them without reading the documents again.
    live_document_kinds: frozenset[str] = frozenset()

    @property
    def eligible(self) -> bool:
        return all(rule.passed for rule in self.rules)

    @property
    def available(self) -> bool:
        return self.availability is None or self.availability.passed

    @property
    def may_be_hired(self) -> bool:
        """Passes the standard and is not committed elsewhere: may be matched or hired."""
        return self.eligible and self.available

    @property
    def failed(self) -> list[RuleResult]:
        return [rule for rule in self.rules if not rule.passed]

    @property
    def failed_codes(self) -> list[str]:
        return [rule.code for rule in self.failed]


class _Language(NamedTuple):
    native_countries: tuple[str, ...]  # country codes


class _Subject(NamedTuple):
    name: str
    language_id: int | None
    language: _Language | None


def _rows_by_teacher(queryset, columns: list[str]) -> dict[int, list]:
    by_teacher: dict[int, list] = defaultdict(list)
    for row in queryset.values_list(*columns, named=True):
        by_teacher[row.teacher_id].append(row)
    return by_teacher


def _subject_catalogue() -> dict[int, _Subject]:
    """Return every subject as the rules read it, in display order, in the active language."""
    # One record per subject, shared by its teachers: model instances per (teacher, subject)
    # row, and the country objects a CountryField builds on every read, cost seconds in bulk.
    subjects = {}
    for subject in Subject.objects.select_related("language"):
        language = subject.language
        native = _Language(tuple(str(c) for c in language.native_countries)) if language else None
        subjects[subject.pk] = _Subject(str(subject.name), subject.language_id, native)
    return subjects


def _subjects_by_teacher(ids: list[int]) -> dict[int, list[_Subject]]:
    """Return each teacher's subjects in the subjects' display order (one query, or two)."""
    pairs = list(
        Teacher.subjects.through.objects.filter(teacher_id__in=ids).values_list(
            "teacher_id", "subject_id"
        )
    )
    # Reference data: cached per language until the reference admin edits a subject or
    # language (reference_data_changed); a subject newer than the cached copy reloads it.
    key = f"admission:subjects:{get_language()}:{reference_version()}"
    subjects = cache.get(key)
    if subjects is None or any(subject_id not in subjects for _t, subject_id in pairs):
        subjects = _subject_catalogue()
        cache.set(key, subjects, REFERENCE_CHOICES_SECONDS)
    rank = {pk: n for n, pk in enumerate(subjects)}
    by_teacher: dict[int, list[_Subject]] = defaultdict(list)
    for teacher_id, subject_id in sorted(pairs, key=lambda pair: rank[pair[1]]):
        by_teacher[teacher_id].append(subjects[subject_id])
    return by_teacher


def evaluate_admission(
    teachers: Iterable[Teacher | int],
    *,
    on: date,
    passport_valid_until: date | None = None,
    vacancy_id: int | None = None,
) -> dict[int, AdmissionResult]:
    """Evaluate the admission standard for many teachers on a date, in a fixed number of queries.

    `passport_valid_until` is the contract start when a vacancy is known (default: `on`), and
    `vacancy_id` that vacancy (its own accepted offer does not make the teacher unavailable).
    Returns results keyed by teacher id; every rule is reported, passed or failed, and each
    result carries the teacher's availability for hiring.
    """
    ids = [t.pk if isinstance(t, Teacher) else int(t) for t in teachers]
    if not ids:
        return {}
    blacklisted = blacklist_entries_active(on=on).filter(teacher=OuterRef("pk"))
    loaded = list(
        Teacher.objects.filter(pk__in=ids)
        .only(*TEACHER_COLUMNS)
        .annotate(
            admission_blacklisted=Exists(blacklisted),
            # Read in the same query: availability costs no extra round trip.
            **availability_annotations(vacancy_id=vacancy_id),
        )
    )
    # The rules read only these columns: plain rows instead of model instances.
    documents = _rows_by_teacher(
        Document.objects.filter(teacher_id__in=ids).order_by("-uploaded_at", "-id"),
        DOCUMENT_COLUMNS,
    )
    experiences = _rows_by_teacher(
        Experience.objects.filter(teacher_id__in=ids).order_by(), EXPERIENCE_COLUMNS
    )
    certificates = _rows_by_teacher(
        TeachingCertificate.objects.filter(teacher_id__in=ids).order_by(), CERTIFICATE_COLUMNS
    )
    subjects = _subjects_by_teacher(ids)
    for teacher in loaded:
        teacher.admission_documents = documents.get(teacher.pk, [])  # newest first
        teacher.admission_experiences = experiences.get(teacher.pk, [])
        teacher.admission_certificates = certificates.get(teacher.pk, [])
        teacher.admission_subjects = subjects.get(teacher.pk, [])
    facts = AdmissionFacts(
        on=on,
        passport_valid_until=passport_valid_until or on,
        policy=policy_settings_get(),
        blacklisted_ids={teacher.pk for teacher in loaded if teacher.admission_blacklisted},
    )
    return {
        teacher.pk: AdmissionResult(
            teacher.pk,
            [rule(teacher, facts) for _c, rule in RULES],
            availability_result(teacher),
            frozenset(
                document.kind
                for document in teacher.admission_documents
                if document.status in LIVE_DOCUMENT_STATUSES
            ),
        )
        for teacher in loaded
    }


def admission_for_teacher(teacher: Teacher, *, on: date) -> AdmissionResult:
    """Evaluate one teacher (the dashboard checklist); same rules as the bulk function."""
    return evaluate_admission([teacher], on=on)[teacher.pk]


def eligible_teacher_ids(teachers: Iterable[Teacher | int], *, on: date) -> set[int]:
    """Return the ids among the given teachers that pass every admission rule on the date."""
    return {pk for pk, result in evaluate_admission(teachers, on=on).items() if result.eligible}
