"""The admission standard's rules: each returns a RuleResult for one teacher.

Rules read only what `evaluate_admission` prefetched (the `admission_*` lists on each teacher
and the `AdmissionFacts`), so evaluating
many teachers costs a fixed number of queries. Codes the matching engine also uses
(`blacklisted`; `not_eligible` = any rule failing) keep the same names.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.dates import add_months
from apps.core.models import PolicySettings
from apps.teachers.experience import experience_years
from apps.teachers.models import (
    HOURS_CERTIFICATES,
    Category,
    CertificateKind,
    DegreeLevel,
    Document,
    DocumentKind,
    DocumentStatus,
    Teacher,
    TeacherStatus,
)


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    message: str | Promise
    params: dict = field(default_factory=dict)
    fix_url: str = ""

    @property
    def text(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass
class AdmissionFacts:
    on: date
    passport_valid_until: date
    policy: PolicySettings
    blacklisted_ids: set[int]


def _step(slug: str) -> str:
    return reverse("teachers:profile_step", args=[slug])


def _documents_url(kind: str) -> str:
    return f"{reverse('teachers:documents')}?kind={kind}"


def _latest(teacher: Teacher, kind: str) -> tuple[Document | None, Document | None]:
    """Return (newest verified, newest still awaiting review) documents of a kind."""
    verified = pending = None
    for document in teacher.admission_documents:  # prefetched, newest first
        if document.kind != kind:
            continue
        if document.status == DocumentStatus.VERIFIED and verified is None:
            verified = document
        elif document.status == DocumentStatus.UPLOADED and pending is None:
            pending = document
    return verified, pending


def _document_rule(code: str, kind: str, teacher: Teacher, ok, label) -> RuleResult:
    verified, pending = _latest(teacher, kind)
    if verified is not None and ok(verified):
        return RuleResult(code, True, _("%(document)s verified."), {"document": label})
    if pending is not None:
        return RuleResult(
            code,
            False,
            _("%(document)s uploaded: waiting for the service center to verify it."),
            {"document": label},
            _documents_url(kind),
        )
    return RuleResult(
        code, False, _("Upload your %(document)s."), {"document": label}, _documents_url(kind)
    )


def rule_verified(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    if teacher.status == TeacherStatus.VERIFIED:
        return RuleResult("verified", True, _("Profile verified by the service center."))
    messages = {
        TeacherStatus.DRAFT: _("Complete your profile and submit it for review."),
        TeacherStatus.PENDING: _("Your profile is waiting for review by the service center."),
        TeacherStatus.REJECTED: _("The service center asked for changes: see the reason."),
    }
    return RuleResult(
        "verified", False, messages[teacher.status], fix_url=reverse("teachers:profile")
    )


def rule_blacklisted(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    if teacher.pk in facts.blacklisted_ids:
        return RuleResult(
            "blacklisted",
            False,
            _("A credit restriction on you is in force: you cannot be matched or hired."),
        )
    return RuleResult("blacklisted", True, _("No credit restriction in force."))


def rule_passport(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    until = facts.passport_valid_until
    label = DocumentKind.PASSPORT.label
    verified, pending = _latest(teacher, DocumentKind.PASSPORT)
    if verified is not None and verified.expires_on and verified.expires_on > until:
        return RuleResult(
            "passport_valid", True, _("Passport valid past %(date)s."), {"date": until}
        )
    if verified is not None and pending is None:
        return RuleResult(
            "passport_valid",
            False,
            _("Your passport must be valid past %(date)s: upload your new passport."),
            {"date": until},
            _documents_url(DocumentKind.PASSPORT),
        )
    return _document_rule("passport_valid", DocumentKind.PASSPORT, teacher, lambda d: False, label)


def rule_degree(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    if teacher.category == Category.INTERN:
        ok = bool(teacher.intern_university) and (
            teacher.intern_expected_graduation is None
            or teacher.intern_expected_graduation >= facts.on
        )
        if ok:
            return RuleResult("degree", True, _("Enrolled at a university."))
        return RuleResult(
            "degree",
            False,
            _("Interns must be enrolled at a university: enter it and your expected graduation."),
            fix_url=_step("category"),
        )
    if teacher.category == Category.CHINA_GRADUATE:
        if (teacher.china_degree_level or 0) >= DegreeLevel.MASTER and teacher.china_university:
            return RuleResult(
                "degree", True, _("Master's degree or higher from a Chinese university.")
            )
        return RuleResult(
            "degree",
            False,
            _("Graduates of a Chinese university need a master's degree or higher from it."),
            fix_url=_step("category"),
        )
    if (teacher.degree_level or 0) >= DegreeLevel.BACHELOR:
        return RuleResult("degree", True, _("Bachelor's degree or higher."))
    return RuleResult(
        "degree",
        False,
        _("A bachelor's degree or higher is required: enter your highest degree."),
        fix_url=_step("education"),
    )


def rule_experience(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    if teacher.category not in {Category.IN_SERVICE, Category.RETIRED, Category.FOREIGN_GRADUATE}:
        return RuleResult("experience", True, _("No experience requirement for your category."))
    years = experience_years(
        ((e.started_on, e.ended_on) for e in teacher.admission_experiences), on=facts.on
    )
    minimum = facts.policy.min_teaching_experience_years
    hours = facts.policy.min_certificate_hours
    certificates = teacher.admission_certificates
    if years >= minimum:
        return RuleResult(
            "experience", True, _("%(years)s years of teaching experience."), {"years": years}
        )
    if any(c.kind in HOURS_CERTIFICATES and (c.hours or 0) >= hours for c in certificates):
        return RuleResult(
            "experience",
            True,
            _("Recognised teaching certificate (%(hours)s hours or more)."),
            {"hours": hours},
        )
    if any(c.kind == CertificateKind.LICENCE for c in certificates) or teacher.degree_is_education:
        return RuleResult("experience", True, _("Teaching licence or education degree."))
    return RuleResult(
        "experience",
        False,
        _(
            "You need %(minimum)s years of teaching experience (you have %(years)s), a "
            "TEFL/TESOL/CELTA certificate of %(hours)s hours or more, a teaching licence or an "
            "education degree."
        ),
        {"minimum": minimum, "years": years, "hours": hours},
        _step("experience"),
    )


def rule_criminal_record(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    months = facts.policy.criminal_record_validity_months
    verified, pending = _latest(teacher, DocumentKind.CRIMINAL_RECORD)
    if (
        verified is not None
        and verified.issued_on
        and add_months(verified.issued_on, months) >= facts.on
    ):
        return RuleResult(
            "criminal_record", True, _("Criminal-record certificate on file and valid.")
        )
    if verified is not None and pending is None:
        return RuleResult(
            "criminal_record",
            False,
            _(
                "Your criminal-record certificate is older than %(months)s months: "
                "upload a new one."
            ),
            {"months": months},
            _documents_url(DocumentKind.CRIMINAL_RECORD),
        )
    return _document_rule(
        "criminal_record",
        DocumentKind.CRIMINAL_RECORD,
        teacher,
        lambda d: False,
        DocumentKind.CRIMINAL_RECORD.label,
    )


def rule_health_check(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    return _document_rule(
        "health_check",
        DocumentKind.HEALTH_CHECK,
        teacher,
        lambda d: True,
        DocumentKind.HEALTH_CHECK.label,
    )


def rule_native_language(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    """Fail only when no chosen subject is teachable: the engine's pair rule, teacher-wide."""
    subjects = teacher.admission_subjects
    if not subjects:
        return RuleResult(
            "native_language",
            False,
            _("Choose the subjects you can teach."),
            fix_url=_step("preferences"),
        )
    nationality = str(teacher.nationality or "")
    not_native = [
        s.name
        for s in subjects
        if s.language_id is not None
        and nationality not in {str(c) for c in s.language.native_countries}
    ]
    if len(not_native) == len(subjects):
        return RuleResult(
            "native_language",
            False,
            _(
                "A language teacher must be a native speaker: your nationality does not count as "
                "native for %(subjects)s. Choose a subject you may teach."
            ),
            {"subjects": ", ".join(not_native)},
            _step("preferences"),
        )
    if not_native:
        return RuleResult(
            "native_language",
            True,
            _("You will not be offered %(subjects)s: you are not a native speaker."),
            {"subjects": ", ".join(not_native)},
        )
    return RuleResult("native_language", True, _("You may teach the subjects you chose."))


def rule_age(teacher: Teacher, facts: AdmissionFacts) -> RuleResult:
    limit = facts.policy.age_limit
    if teacher.date_of_birth is None:
        return RuleResult("age", False, _("Enter your date of birth."), fix_url=_step("personal"))
    age = relativedelta(facts.on, teacher.date_of_birth).years
    if age <= limit:
        return RuleResult("age", True, _("Age within the limit of %(limit)s."), {"limit": limit})
    return RuleResult(
        "age", False, _("The work-permit age limit is %(limit)s years."), {"limit": limit}
    )


RULES: list[tuple[str, Callable[[Teacher, AdmissionFacts], RuleResult]]] = [
    ("verified", rule_verified),
    ("blacklisted", rule_blacklisted),
    ("passport_valid", rule_passport),
    ("degree", rule_degree),
    ("experience", rule_experience),
    ("criminal_record", rule_criminal_record),
    ("health_check", rule_health_check),
    ("native_language", rule_native_language),
    ("age", rule_age),
]
RULE_CODES = [code for code, _rule in RULES]
