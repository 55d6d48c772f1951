import uuid
from pathlib import PurePosixPath
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.fields import EncryptedCharField, KeyedHashField
from apps.vacancies.models import HiringChannel, Housing


class PaymentMethod(models.TextChoices):
    SALARY = "salary", _("Salary paid by the school")
    LABOUR_FEE = "labour_fee", _("Labour fee to a service agency")
    PROCUREMENT = "procurement", _("Government procurement")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


def employment_file_to(instance, filename: str) -> str:
    # A random name: the uploader's file name never reaches the file system.
    return f"employment/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:5]}"


class Employment(models.Model):
    """A foreign teacher's contract with a school (or a cluster's schools): the register row."""

    # An employment only ends (a departure, early termination or transfer); a renewal is a
    # dated change on the same row, and a new contract elsewhere is a new employment.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        EmploymentStatus.ACTIVE: {EmploymentStatus.ENDED},
        EmploymentStatus.ENDED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employment",
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employments",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="employments",
        help_text=_("For a cluster contract: the lead school."),
    )
    cluster = models.ForeignKey(
        "schools.SchoolGroup",
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employments",
    )
    salary = models.PositiveIntegerField(_("salary (CNY/month)"))
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"))
    weekly_hours = models.PositiveSmallIntegerField(
        _("teaching hours per week"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    benefits = models.TextField(_("other benefits"), blank=True)
    hiring_channel = models.CharField(
        _("hiring channel"), max_length=10, choices=HiringChannel.choices
    )
    payment_method = models.CharField(
        _("payment"), max_length=12, choices=PaymentMethod.choices, default=PaymentMethod.SALARY
    )
    agency_name = models.CharField(_("service agency"), max_length=200, blank=True)
    is_intern = models.BooleanField(_("internship"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
        db_index=True,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hired by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("hired at"), auto_now_add=True)
    # The data-exchange API syncs on (updated_at, id); recording a change touches it too.
    # db_default: bulk COPY inserts (seeding) name only the columns they fill.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now())

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-contract_start", "-id"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="employment_sync"),
            # The lists' order (school and bureau): a page is read without sorting the city.
            models.Index(fields=["status", "-contract_start", "-id"], name="employment_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher"],
                condition=models.Q(status="active"),
                name="employment_one_active_per_teacher",
                violation_error_message=_("This teacher is already employed."),
            ),
            models.CheckConstraint(
                condition=models.Q(contract_end__gt=models.F("contract_start")),
                name="employment_end_after_start",
                violation_error_message=_("The contract must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ended_on__isnull=False),
                name="employment_ended_has_date",
                violation_error_message=_("An ended employment needs the date it ended."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} @ {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("employment:school_detail", args=[self.code])

    @property
    def is_cluster(self) -> bool:
        return self.cluster_id is not None


class EmploymentSchool(models.Model):
    """One school signing the contract and its weekly hours (the lead school included)."""

    employment = models.ForeignKey(
        Employment, verbose_name=_("employment"), on_delete=models.CASCADE, related_name="schools"
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="employment_shares",
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("teaching hours per week"), validators=[MinValueValidator(1)]
    )
    is_lead = models.BooleanField(_("lead school"), default=False)

    class Meta:
        verbose_name = _("contract school")
        verbose_name_plural = _("contract schools")
        ordering = ["employment", "-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "school"],
                name="employment_school_once",
                violation_error_message=_("A school appears on an employment only once."),
            ),
            models.UniqueConstraint(
                fields=["employment"],
                condition=models.Q(is_lead=True),
                name="employment_one_lead_school",
                violation_error_message=_("An employment has exactly one lead school."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.weekly_hours} h"


class ChangeKind(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival / entry")
    WORK_PERMIT = "work_permit", _("Work permit issued")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit issued")
    RENEWAL = "renewal", _("Contract renewed")
    TRANSFER = "transfer", _("Transfer to another school")
    EARLY_TERMINATION = "early_termination", _("Early termination")
    DEPARTURE = "departure", _("Departure")
    TEACHING_PLAN_FILED = "teaching_plan", _("Teaching plan filed with the district bureau")
    HIRE_REPORTED = "hire_reported", _("Hire reported to exit-entry / foreign-experts bureaus")
    INTERNSHIP_EXTENDED = "intern_extension", _("Internship extended")


class TerminationReason(models.TextChoices):
    MUTUAL = "mutual", _("Mutual agreement")
    TEACHER_RESIGNED = "resigned", _("The teacher resigned")
    MISCONDUCT = "misconduct", _("Misconduct")
    HEALTH = "health", _("Health")
    PERMIT_REFUSED = "permit_refused", _("Permit refused or cancelled")
    OTHER = "other", _("Other reason")


class EmploymentChange(models.Model):
    """A dated change in the register; the employment's current state is derived from these."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    employment = models.ForeignKey(
        Employment, verbose_name=_("employment"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    effective_on = models.DateField(_("effective date"))
    # Guidance counts the 24-hour accommodation registration from the hour of arrival.
    arrival_time = models.TimeField(
        _("time of arrival"),
        null=True,
        blank=True,
        help_text=_("Arrival only: the local (Beijing) time the teacher arrived."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    permit_number = EncryptedCharField(_("permit number"), max_length=40, blank=True)
    permit_number_hash = KeyedHashField(
        _("permit number hash"), source="permit_number", db_index=True
    )
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    new_contract_end = models.DateField(_("new contract end"), null=True, blank=True)
    transfer_to = models.ForeignKey(
        "schools.School",
        verbose_name=_("receiving school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    termination_reason = models.CharField(
        _("reason"), max_length=20, choices=TerminationReason.choices, blank=True
    )
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=employment_file_to, blank=True, max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("employment change")
        verbose_name_plural = _("employment changes")
        ordering = ["effective_on", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["work_permit", "residence_permit"])
                | models.Q(expires_on__isnull=False),
                name="employment_change_permit_has_expiry",
                violation_error_message=_("A permit needs its expiry date."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["renewal", "intern_extension"])
                | models.Q(new_contract_end__isnull=False),
                name="employment_change_renewal_has_end",
                violation_error_message=_("A renewal or extension needs the new end date."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="early_termination") | ~models.Q(termination_reason=""),
                name="employment_change_termination_has_reason",
                violation_error_message=_("Give the reason for the early termination."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employment}: {self.get_kind_display()} {self.effective_on}"


class ReminderSubject(models.TextChoices):
    CONTRACT = "contract", _("contract")
    WORK_PERMIT = "work_permit", _("work permit")
    RESIDENCE_PERMIT = "residence_permit", _("residence permit")


class EmploymentReminder(models.Model):
    """That the school was reminded N days before an expiry: once per date and step."""

    employment = models.ForeignKey(
        Employment, verbose_name=_("employment"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(
        pgettext_lazy("what expires", "subject"), max_length=20, choices=ReminderSubject.choices
    )
    expires_on = models.DateField(_("expires on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "subject", "expires_on", "days_before"],
                name="employment_reminder_once",
                violation_error_message=_("This reminder was already sent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.employment_id} {self.subject} −{self.days_before}d"
