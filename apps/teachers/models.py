import uuid
from pathlib import PurePosixPath
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from apps.accounts.models import TIMEZONE_CHOICES
from apps.core.fields import EncryptedCharField, KeyedHashField


class Category(models.IntegerChoices):
    """The policy's classified management (category 6, exchange visitors, registers no profile)."""

    IN_SERVICE = 1, _("In-service foreign teacher")
    RETIRED = 2, _("Retired teacher from a school abroad")
    FOREIGN_GRADUATE = 3, _("Foreign graduate of a university abroad")
    INTERN = 4, _("Foreign intern (enrolled student)")
    CHINA_GRADUATE = 5, _("International-student graduate of a Chinese university")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / prefer not to say")


class ChineseLevel(models.TextChoices):
    NONE = "none", _("None")
    HSK1 = "hsk1", _("HSK 1")
    HSK2 = "hsk2", _("HSK 2")
    HSK3 = "hsk3", _("HSK 3")
    HSK4 = "hsk4", _("HSK 4")
    HSK5 = "hsk5", _("HSK 5")
    HSK6 = "hsk6", _("HSK 6")


class DegreeLevel(models.IntegerChoices):
    NONE = 0, _("No degree")
    ASSOCIATE = 1, _("Associate degree")
    BACHELOR = 2, _("Bachelor's degree")
    MASTER = 3, _("Master's degree")
    DOCTORATE = 4, _("Doctorate")


class TeacherStatus(models.TextChoices):
    DRAFT = "draft", _("Profile in progress")
    PENDING = "pending", _("Waiting for review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class RejectionReason(models.TextChoices):
    UNREADABLE = "unreadable", _("The document is unreadable or incomplete.")
    MISMATCH = "mismatch", _("The details do not match your passport.")
    EXPIRED = "expired", _("The document has expired.")
    NOT_AUTHENTICATED = "not_authenticated", _("The document is not authenticated as required.")
    QUALIFICATION = "qualification", _("The qualification does not meet the admission standard.")
    OTHER = "other", _("Other (see the note)")


# Who the teacher is, as checked against the passport: a change re-queues a verified profile.
IDENTITY_KEY_FIELDS = ("legal_name", "passport_number", "date_of_birth", "nationality")
# The confidential identifiers among them: shown in full only to the teacher and the center
# (masked for everyone else, and for API clients without the identity scope), and never
# written into the audit trail, which records only that they changed.
CONFIDENTIAL_IDENTITY_FIELDS = ("passport_number", "date_of_birth")

# What a teacher's category and education consist of: edited on one profile step, shown as one
# admin section, exported together, and all verified by the center (a change re-queues review).
QUALIFICATION_FIELDS = (
    "category",
    "degree_level",
    "degree_field",
    "degree_is_education",
    "degree_university",
    "degree_country",
    "degree_year",
    "intern_university",
    "intern_expected_graduation",
    "china_university",
    "china_degree_level",
)


class Teacher(models.Model):
    """A foreign teacher's profile; the login link can be emptied so legal records stay."""

    # The one declaration of allowed profile status changes; core.transitions enforces it.
    # A verified profile goes back to pending when what the center verified changes.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        TeacherStatus.DRAFT: {TeacherStatus.PENDING},
        TeacherStatus.PENDING: {
            TeacherStatus.VERIFIED,
            TeacherStatus.REJECTED,
            TeacherStatus.DRAFT,
        },
        TeacherStatus.VERIFIED: {TeacherStatus.PENDING},
        TeacherStatus.REJECTED: {TeacherStatus.PENDING},
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teacher",
    )
    legal_name = models.CharField(_("legal name (as in passport)"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    nationality = CountryField(_("nationality"), blank=True, db_index=True)
    native_languages = models.ManyToManyField(
        "core.Language", verbose_name=_("native languages"), blank=True, related_name="+"
    )
    chinese_level = models.CharField(
        _("Chinese level"), max_length=5, choices=ChineseLevel.choices, default=ChineseLevel.NONE
    )
    current_country = CountryField(_("current country"), blank=True)
    current_city = models.CharField(_("current city"), max_length=100, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="Asia/Shanghai"
    )
    passport_number = EncryptedCharField(_("passport number"), max_length=30, blank=True)
    passport_number_hash = KeyedHashField(
        _("passport number hash"), source="passport_number", db_index=True
    )
    category = models.PositiveSmallIntegerField(
        _("category"), choices=Category.choices, null=True, blank=True, db_index=True
    )
    degree_level = models.PositiveSmallIntegerField(
        _("highest degree"), choices=DegreeLevel.choices, null=True, blank=True
    )
    degree_field = models.CharField(_("field of study"), max_length=150, blank=True)
    degree_is_education = models.BooleanField(
        _("education degree"),
        default=False,
        help_text=_("The degree is in education or teaching."),
    )
    degree_university = models.CharField(_("university"), max_length=200, blank=True)
    degree_country = CountryField(_("country of the university"), blank=True)
    degree_year = models.PositiveSmallIntegerField(
        _("year awarded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1940), MaxValueValidator(2100)],
    )
    intern_university = models.CharField(_("university enrolled at"), max_length=200, blank=True)
    intern_expected_graduation = models.DateField(_("expected graduation"), null=True, blank=True)
    china_university = models.CharField(_("Chinese university"), max_length=200, blank=True)
    china_degree_level = models.PositiveSmallIntegerField(
        _("degree level in China"), choices=DegreeLevel.choices, null=True, blank=True
    )
    subjects = models.ManyToManyField(
        "core.Subject", verbose_name=_("subjects you can teach"), blank=True, related_name="+"
    )
    levels = models.ManyToManyField(
        "core.TeachingLevel",
        verbose_name=_("school levels you can teach"),
        blank=True,
        related_name="+",
    )
    preferred_districts = models.ManyToManyField(
        "core.District", verbose_name=_("preferred districts"), blank=True, related_name="+"
    )
    earliest_start = models.DateField(_("earliest start date"), null=True, blank=True)
    salary_min = models.PositiveIntegerField(
        _("expected salary from (CNY/month)"), null=True, blank=True
    )
    salary_max = models.PositiveIntegerField(
        _("expected salary to (CNY/month)"), null=True, blank=True
    )
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    open_to_suggestions = models.BooleanField(
        _("suggest me to schools"),
        default=True,
        help_text=_("Let the service center suggest your profile to schools with vacancies."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TeacherStatus.choices,
        default=TeacherStatus.DRAFT,
        db_index=True,
    )
    completed_steps = models.JSONField(_("completed steps"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("rejection note"), blank=True)
    deletion_requested_at = models.DateTimeField(
        _("account deletion requested at"), null=True, blank=True
    )
    erased_at = models.DateTimeField(
        _("personal data erased at"),
        null=True,
        blank=True,
        help_text=_("When the deletion request was carried out, after the records' legal hold."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("foreign teacher")
        verbose_name_plural = _("foreign teachers")
        ordering = ["legal_name", "id"]
        indexes = [
            # The center's review queue joins the pending teachers to their uploaded documents.
            models.Index(
                fields=["id"],
                condition=models.Q(status="pending"),
                name="teacher_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_max__gte=models.F("salary_min")),
                name="teachers_teacher_salary_range",
                violation_error_message=_("The highest salary cannot be lower than the lowest."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="verified") | models.Q(verified_at__isnull=False),
                name="teachers_teacher_verified_has_time",
                violation_error_message=_("A verified profile needs the time it was verified."),
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name or (self.user.email if self.user_id else str(self.code))

    @property
    def is_verified(self) -> bool:
        return self.status == TeacherStatus.VERIFIED


class CertificateKind(models.TextChoices):
    TEFL = "tefl", _("TEFL")
    TESOL = "tesol", _("TESOL")
    CELTA = "celta", _("CELTA")
    LICENCE = "licence", _("Teaching licence")
    OTHER = "other", _("Other teaching certificate")


# Certificates whose hours count towards the admission standard's minimum.
HOURS_CERTIFICATES = {CertificateKind.TEFL, CertificateKind.TESOL, CertificateKind.CELTA}


class TeachingCertificate(models.Model):
    """A TEFL/TESOL/CELTA certificate or a teaching licence the teacher holds."""

    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CertificateKind.choices)
    hours = models.PositiveSmallIntegerField(
        _("hours"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    issuing_country = CountryField(_("issuing country"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1940)]
    )

    class Meta:
        verbose_name = _("teaching certificate")
        verbose_name_plural = _("teaching certificates")
        ordering = ["teacher", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.hours or '–'} h)"


class Experience(models.Model):
    """One teaching job; open-ended while the teacher still works there."""

    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="experiences"
    )
    school = models.CharField(_("school"), max_length=200)
    country = CountryField(_("country"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty if current."))
    subjects = models.CharField(_("subjects taught"), max_length=200, blank=True)
    levels = models.ManyToManyField(
        "core.TeachingLevel", verbose_name=_("levels taught"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("teaching experience")
        verbose_name_plural = _("teaching experience")
        ordering = ["teacher", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="teachers_experience_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.started_on:%Y}–{self.ended_on or ''})"


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    DEGREE = "degree", _("Degree certificate")
    CRIMINAL_RECORD = "criminal_record", _("Criminal-record certificate")
    HEALTH_CHECK = "health_check", _("Health check")
    TEACHING_CERTIFICATE = "teaching_certificate", _("Teaching certificate")
    CV = "cv", _("CV")
    REFERENCE = "reference", _("Reference letter")
    PHOTO = "photo", _("Photo")


# Kinds whose expiry the reminder job watches.
EXPIRY_REMINDER_KINDS = {DocumentKind.PASSPORT, DocumentKind.TEACHING_CERTIFICATE}


class Authentication(models.TextChoices):
    NONE = "none", _("Not authenticated")
    APOSTILLE = "apostille", _("Apostilled")
    CONSULAR = "consular", _("Consular-legalised")


class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


def document_upload_to(instance: "Document", filename: str) -> str:
    # A random name: the uploader's file name never reaches the file system.
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"teacher-documents/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """One uploaded scan in a teacher's private vault."""

    # Allowed status changes; a rejected or expired scan is final (the teacher uploads anew).
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        DocumentStatus.UPLOADED: {
            DocumentStatus.VERIFIED,
            DocumentStatus.REJECTED,
            DocumentStatus.EXPIRED,
        },
        DocumentStatus.VERIFIED: {DocumentStatus.EXPIRED, DocumentStatus.REJECTED},
        DocumentStatus.REJECTED: set(),
        DocumentStatus.EXPIRED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=25, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.UPLOADED,
        db_index=True,
    )
    issuing_country = CountryField(_("issuing country"), blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True, db_index=True)
    authentication = models.CharField(
        _("authentication"),
        max_length=10,
        choices=Authentication.choices,
        default=Authentication.NONE,
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("rejection note"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Retention: the file goes, the row stays as a stub (kind, dates, status, checksum).
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["teacher", "kind", "-uploaded_at"]
        indexes = [
            models.Index(fields=["teacher", "kind", "status"]),
            # The center's review queue counts documents waiting for review.
            models.Index(
                fields=["teacher"],
                condition=models.Q(status="uploaded"),
                name="document_uploaded_teacher",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="teachers_document_rejected_has_reason",
                violation_error_message=_("A rejected document needs the reason it was rejected."),
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0),
                name="teachers_document_not_empty",
                violation_error_message=_("The file is empty."),
            ),
            models.CheckConstraint(
                condition=~models.Q(file="") | models.Q(file_deleted_at__isnull=False),
                name="teachers_document_file_or_deleted",
                violation_error_message=_("A document keeps its file until the file is deleted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.teacher}"


class DocumentReminder(models.Model):
    """An expiry reminder already sent, so the daily job never sends it twice."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document expiry reminder")
        verbose_name_plural = _("document expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "days_before"],
                name="teachers_reminder_once",
                violation_error_message=_("This reminder was already sent for this document."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} −{self.days_before} d"
