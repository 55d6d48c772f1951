from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from apps.core.models import Subject
from apps.core.selectors import policy_settings_get
from apps.credit.selectors import blacklisted_teacher_ids
from apps.teachers.models import Document, Experience, Teacher

from .rules import RULES, AdmissionFacts, RuleResult

DOCUMENT_COLUMNS = ["id", "teacher_id", "kind", "status", "expires_on", "issued_on", "uploaded_at"]
EXPERIENCE_COLUMNS = ["id", "teacher_id", "started_on", "ended_on"]


@dataclass(frozen=True)
class AdmissionResult:
    teacher_id: int
    rules: list[RuleResult]

    @property
    def eligible(self) -> bool:
        return all(rule.passed for rule in self.rules)

    @property
    def failed(self) -> list[RuleResult]:
        return [rule for rule in self.rules if not rule.passed]

    @property
    def failed_codes(self) -> list[str]:
        return [rule.code for rule in self.failed]


def evaluate_admission(
    teachers: Iterable[Teacher | int], *, on: date, passport_valid_until: date | None = None
) -> dict[int, AdmissionResult]:
    """Evaluate the admission standard for many teachers on a date, in a fixed number of queries.

    `passport_valid_until` is the contract start when a vacancy is known (default: `on`).
    Returns results keyed by teacher id; every rule is reported, passed or failed.
    """
    ids = [t.pk if isinstance(t, Teacher) else int(t) for t in teachers]
    if not ids:
        return {}
    # Deferring the passport number skips a decryption per teacher.
    loaded = (
        Teacher.objects.filter(pk__in=ids)
        .defer("passport_number", "bio")
        # to_attr lists: the rules read them many times without cloning a queryset.
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.only(*DOCUMENT_COLUMNS).order_by("-uploaded_at", "-id"),
                to_attr="admission_documents",
            ),
            Prefetch(
                "experiences",
                queryset=Experience.objects.only(*EXPERIENCE_COLUMNS),
                to_attr="admission_experiences",
            ),
            Prefetch("certificates", to_attr="admission_certificates"),
            Prefetch(
                "subjects",
                queryset=Subject.objects.select_related("language"),
                to_attr="admission_subjects",
            ),
        )
    )
    facts = AdmissionFacts(
        on=on,
        passport_valid_until=passport_valid_until or on,
        policy=policy_settings_get(),
        blacklisted_ids=blacklisted_teacher_ids(on=on, among=ids),
    )
    return {
        teacher.pk: AdmissionResult(teacher.pk, [rule(teacher, facts) for _c, rule in RULES])
        for teacher in loaded
    }


def admission_for_teacher(teacher: Teacher, *, on: date) -> AdmissionResult:
    """Evaluate one teacher (the dashboard checklist); same rules as the bulk function."""
    return evaluate_admission([teacher], on=on)[teacher.pk]


def eligible_teacher_ids(teachers: Iterable[Teacher | int], *, on: date) -> set[int]:
    """Return the ids among the given teachers that pass every admission rule on the date."""
    return {pk for pk, result in evaluate_admission(teachers, on=on).items() if result.eligible}
