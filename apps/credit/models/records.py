"""Credit records (commendations and restrictions), their files, objections and repairs."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.notes import note_render


class RecordKind(models.TextChoices):
    COMMENDATION = "commendation", _("commendation")
    NEGATIVE = "negative", _("restriction")


class Severity(models.TextChoices):
    MINOR = "minor", pgettext_lazy("credit severity", "minor")
    GENERAL = "general", pgettext_lazy("credit severity", "general")
    SERIOUS = "serious", pgettext_lazy("credit severity", "serious")


class Grounds(models.TextChoices):
    """Why a record is made; restrictions mirror the 2020 draft rules on hiring foreign teachers.

    No ground concerns health: health or medical data never enters a credit record.
    """

    FALSIFIED_DOCUMENTS = "falsified_documents", _("falsified documents or false statements")
    CRIMINAL_RECORD = "criminal_record", _("criminal record")
    ILLEGAL_EMPLOYMENT = "illegal_employment", _("illegal employment")
    ILLEGAL_HIRING = "illegal_hiring", _("hiring foreign teachers illegally")
    LAW_VIOLATION = "law_violation", _("breach of Chinese law or regulations")
    PROFESSIONAL_ETHICS = "professional_ethics", _("breach of teachers' professional ethics")
    SERIOUS_MISCONDUCT = "serious_misconduct", _("serious misconduct at school")
    BREACH_OF_CONTRACT = "breach_of_contract", _("breach of contract")
    REPEATED_INCIDENTS = "repeated_incidents", _("repeated serious incidents in evaluations")
    OUTSTANDING_TEACHING = "outstanding_teaching", _("outstanding teaching")
    AWARD = "award", _("award or honour")
    EXEMPLARY_MANAGEMENT = "exemplary_management", _("exemplary management of foreign teachers")
    OTHER = "other", _("other")


NEGATIVE_GROUNDS = {
    Grounds.FALSIFIED_DOCUMENTS,
    Grounds.CRIMINAL_RECORD,
    Grounds.ILLEGAL_EMPLOYMENT,
    Grounds.ILLEGAL_HIRING,
    Grounds.LAW_VIOLATION,
    Grounds.PROFESSIONAL_ETHICS,
    Grounds.SERIOUS_MISCONDUCT,
    Grounds.BREACH_OF_CONTRACT,
    Grounds.REPEATED_INCIDENTS,
    Grounds.OTHER,
}
COMMENDATION_GROUNDS = {
    Grounds.OUTSTANDING_TEACHING,
    Grounds.AWARD,
    Grounds.EXEMPLARY_MANAGEMENT,
    Grounds.OTHER,
}


class CreditEndNote(models.TextChoices):
    """Why a record ended, when the system ended it: shown in the reader's language."""

    DISPLAY_ENDED = "display_ended", _("The display period ended.")


class RecordStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    NOTIFIED = "notified", _("notified")
    OBJECTION = "objection", _("objection pending")
    ACTIVE = "active", _("active")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")
    REPAIRED = "repaired", _("repaired")
    REVOKED = "revoked", _("revoked")


S = RecordStatus
# The life cycle, enforced by apps.core.transitions.transition(): a second center user approves
# a proposal (a restriction is then notified, a commendation becomes active); an objection holds
# a notified restriction until the center decides; an active record ends by expiry, repair or
# revocation. Proposals turned down and restrictions dropped after an objection are withdrawn.
RECORD_TRANSITIONS = {
    S.PROPOSED: {S.NOTIFIED, S.ACTIVE, S.WITHDRAWN},
    S.NOTIFIED: {S.OBJECTION, S.ACTIVE, S.WITHDRAWN},
    S.OBJECTION: {S.ACTIVE, S.WITHDRAWN},
    S.ACTIVE: {S.EXPIRED, S.REPAIRED, S.REVOKED},
    S.WITHDRAWN: set(),
    S.EXPIRED: set(),
    S.REPAIRED: set(),
    S.REVOKED: set(),
}
ENDED_STATUSES = {S.WITHDRAWN, S.EXPIRED, S.REPAIRED, S.REVOKED}
# Statuses in which a record is still being decided (shown to the person, not yet enforced).
PENDING_STATUSES = {S.PROPOSED, S.NOTIFIED, S.OBJECTION}


class CreditRecord(models.Model):
    """A commendation or a restriction of a teacher or a school, with its legal life cycle."""

    TRANSITIONS = RECORD_TRANSITIONS

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    grounds = models.CharField(_("grounds"), max_length=30, choices=Grounds.choices)
    grounds_other = models.CharField(
        _("other grounds"), max_length=200, blank=True, help_text=_("Required for “other”.")
    )
    facts = models.TextField(_("facts"), max_length=5000)
    basis = models.CharField(
        _("legal basis"), max_length=300, blank=True, help_text=_("The rule the decision rests on.")
    )
    determining_unit = models.CharField(_("determining unit"), max_length=200)
    determining_unit_code = models.CharField(
        _("determining unit's unified social credit code"), max_length=18, blank=True
    )
    decision_date = models.DateField(_("decision date"))
    starts_on = models.DateField(_("start date"))
    display_until = models.DateField(_("display until"))
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    remarks = models.TextField(_("remarks"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    objection_deadline = models.DateField(_("object by"), null=True, blank=True)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    # A reason the system gives is kept as a code (CreditEndNote), a person's as typed text.
    end_note_code = models.CharField(
        _("system note on the end"), max_length=40, blank=True, db_default=""
    )
    delete_after = models.DateField(_("delete after"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["status", "display_until"]),
            models.Index(fields=["teacher", "status"]),
            models.Index(fields=["school", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(teacher__isnull=False, school__isnull=True)
                | models.Q(teacher__isnull=True, school__isnull=False),
                name="credit_record_teacher_xor_school",
            ),
            models.CheckConstraint(
                condition=models.Q(display_until__gte=models.F("starts_on")),
                name="credit_record_display_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="commendation", severity="")
                | (models.Q(kind="negative") & ~models.Q(severity="")),
                name="credit_record_severity_only_for_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("proposed_by")),
                name="credit_record_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.teacher or self.school} ({self.starts_on})"

    @property
    def subject(self):
        return self.teacher or self.school

    @property
    def is_negative(self) -> bool:
        return self.kind == RecordKind.NEGATIVE

    @property
    def end_reason_text(self) -> str:
        """Why it ended, in the active language (a system note from its code, else as typed)."""
        return note_render(
            CreditEndNote, code=self.end_note_code, params=None, typed=self.end_reason
        )


class FilePurpose(models.TextChoices):
    EVIDENCE = "evidence", _("evidence")
    OBJECTION = "objection", _("objection attachment")
    COMMITMENT = "commitment", _("credit commitment letter")


def credit_file_upload_to(instance: "CreditFile", filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"credit-files/{uuid.uuid4().hex}{suffix}"


class CreditFile(models.Model):
    """A private, content-checked file of a record: evidence, objection or commitment letter."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(
        CreditRecord,
        verbose_name=_("credit record"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    objection = models.ForeignKey(
        "credit.Objection",
        verbose_name=_("objection"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    repair = models.ForeignKey(
        "credit.RepairRequest",
        verbose_name=_("repair request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=FilePurpose.choices)
    file = models.FileField(_("file"), upload_to=credit_file_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit record file")
        verbose_name_plural = _("credit record files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ObjectionDecision(models.TextChoices):
    RECORD_STANDS = "record_stands", _("the record stands")
    RECORD_WITHDRAWN = "record_withdrawn", _("the record is withdrawn")


class Objection(models.Model):
    """The person's objection to a notified restriction; holds it until the center decides."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    record = models.OneToOneField(
        CreditRecord,
        verbose_name=_("credit record"),
        on_delete=models.CASCADE,
        related_name="objection",
    )
    statement = models.TextField(_("statement"), max_length=5000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    answer_due = models.DateField(_("answer due"))
    decision = models.CharField(
        _("decision"), max_length=20, choices=ObjectionDecision.choices, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["answer_due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="") | ~models.Q(decision_reason=""),
                name="credit_objection_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.record)


class RepairStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


class RepairRequest(models.Model):
    """A request to repair an active restriction, with a written credit commitment."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(
        CreditRecord,
        verbose_name=_("credit record"),
        on_delete=models.CASCADE,
        related_name="repair_requests",
    )
    commitment = models.TextField(_("credit commitment"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=RepairStatus.choices, default=RepairStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    TRANSITIONS = {
        RepairStatus.PENDING: {RepairStatus.GRANTED, RepairStatus.REFUSED},
        RepairStatus.GRANTED: set(),
        RepairStatus.REFUSED: set(),
    }

    class Meta:
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(status="pending"),
                name="credit_repair_one_pending_per_record",
            ),
        ]

    def __str__(self) -> str:
        return str(self.record)


def evidence_upload_to(instance, filename: str) -> str:
    """Where the former black list stored evidence (kept for its historical migrations)."""
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"credit-evidence/{uuid.uuid4().hex}{suffix}"


class NominationKind(models.TextChoices):
    LONG_TERM_PERMIT = "long_term_permit", _("long-term work permit recommendation")
    FRIENDSHIP_AWARD = "friendship_award", _("Friendship Award nomination")


class NominationStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    SUBMITTED = "submitted", _("submitted to the bureau")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Nomination(models.Model):
    """A teacher put forward for a long-term work permit or the Friendship Award."""

    TRANSITIONS = {
        NominationStatus.PROPOSED: {NominationStatus.SUBMITTED, NominationStatus.WITHDRAWN},
        NominationStatus.SUBMITTED: {NominationStatus.WITHDRAWN},
        NominationStatus.WITHDRAWN: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NominationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.PROPOSED,
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "kind"],
                condition=~models.Q(status="withdrawn"),
                name="credit_nomination_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.teacher}"
