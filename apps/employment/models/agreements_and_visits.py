import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from apps.core.fields import EncryptedCharField, KeyedHashField

from .register import employment_file_to


class AgreementStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the center")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class InternshipAgreement(models.Model):
    """The university–school agreement an intern hire needs, approved by the center."""

    # The center decides once; a rejected agreement is replaced by submitting a new one.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        AgreementStatus.SUBMITTED: {AgreementStatus.APPROVED, AgreementStatus.REJECTED},
        AgreementStatus.APPROVED: set(),
        AgreementStatus.REJECTED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("intern"),
        on_delete=models.PROTECT,
        related_name="internship_agreements",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="internship_agreements",
    )
    university = models.CharField(_("university"), max_length=200)
    starts_on = models.DateField(_("internship start"))
    ends_on = models.DateField(_("internship end"))
    file = models.FileField(_("signed agreement"), upload_to=employment_file_to, max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AgreementStatus.choices,
        default=AgreementStatus.SUBMITTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internship agreement")
        verbose_name_plural = _("internship agreements")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="employment_agreement_end_after_start",
                violation_error_message=_("The internship must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.university} → {self.school}"


class ExchangeVisit(models.Model):
    """A short-term visiting teacher from a partner school (category 6: no profile, no hire)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("host school"),
        on_delete=models.PROTECT,
        related_name="exchange_visits",
    )
    partner_school = models.ForeignKey(
        "schools.PartnerSchool",
        verbose_name=_("partner school"),
        on_delete=models.PROTECT,
        related_name="exchange_visits",
    )
    visitor_name = models.CharField(_("visitor's name (as in passport)"), max_length=150)
    nationality = CountryField(_("nationality"))
    passport_number = EncryptedCharField(_("passport number"), max_length=30)
    passport_number_hash = KeyedHashField(
        _("passport number hash"), source="passport_number", db_index=True
    )
    arrival = models.DateField(_("arrival"))
    departure = models.DateField(_("departure"))
    purpose = models.TextField(_("purpose of the visit"))
    subjects = models.ManyToManyField(
        "core.Subject", verbose_name=_("subjects"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # The data-exchange API syncs on (updated_at, id).
    # db_default: bulk COPY inserts (seeding) name only the columns they fill.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now())

    class Meta:
        verbose_name = _("exchange visit")
        verbose_name_plural = _("exchange visits")
        ordering = ["-arrival", "-id"]
        indexes = [models.Index(fields=["updated_at", "id"], name="employment_visit_sync")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(departure__gt=models.F("arrival")),
                name="employment_visit_departure_after_arrival",
                violation_error_message=_("The departure must come after the arrival."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_name} → {self.school}"

    @property
    def passport_masked(self) -> str:
        number = self.passport_number or ""
        return f"{'•' * max(len(number) - 3, 3)}{number[-3:]}" if number else ""

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days
