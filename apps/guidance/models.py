"""Procedures a foreign-teacher hire needs (bilingual data) and each hire's checklist marks."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import URLValidator, validate_comma_separated_integer_list
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .clocks import Due


class Stage(models.TextChoices):
    BEFORE_ARRIVAL = "before_arrival", _("Before arrival")
    ARRIVAL = "arrival", _("On arrival")
    DURING = "during", _("During employment")
    LEAVING = "leaving", _("Leaving")


class Applicant(models.TextChoices):
    SCHOOL = "school", _("The school")
    TEACHER = "teacher", _("The teacher")
    BOTH = "both", _("The school and the teacher")


class Situation(models.TextChoices):
    ANY = "any", _("Whether or not the teacher is already in China")
    FROM_ABROAD = "from_abroad", _("Only for a teacher coming from abroad")
    IN_CHINA = "in_china", _("Only for a teacher already in China")


class LimitUnit(models.TextChoices):
    CALENDAR_DAYS = "days", _("calendar days after")
    WORKING_DAYS = "working_days", _("working days after")
    HOURS = "hours", _("hours after")
    MONTHS = "months", _("months after")
    BEFORE_EXPIRY = "before_expiry", _("days before")


class StartEvent(models.TextChoices):
    """What a time limit counts from; each is a date the employment register records."""

    ARRIVAL = "arrival", _("entry into China")
    MOVING_IN = "moving_in", _("moving into the accommodation")
    CONTRACT_START = "contract_start", _("the contract start")
    CONTRACT_END = "contract_end", _("the end of the contract")
    RENEWAL = "renewal", _("the contract renewal")
    WORK_PERMIT_EXPIRY = "work_permit_expiry", _("the work permit's expiry")
    RESIDENCE_PERMIT_EXPIRY = "residence_permit_expiry", _("the residence permit's expiry")
    APPLICATION = "application", _("the application being accepted")
    GRADUATION = "graduation", _("graduation")


class LimitSetting(models.TextChoices):
    """The policy setting (core.PolicySettings field) that holds a time limit's number."""

    WORK_PERMIT_DECISION = "work_permit_decision_working_days", _("Work-permit decision")
    ACCOMMODATION = "accommodation_registration_hours", _("Accommodation registration")
    WORK_PERMIT_CARD = "work_permit_card_days", _("Work-permit card")
    RESIDENCE_PERMIT = "residence_permit_days", _("Residence permit")
    CHANGE = "change_registration_days", _("Registering a change")
    RENEWAL = "permit_renewal_days_before_expiry", _("Permit renewal")
    CANCELLATION = "work_permit_cancellation_working_days", _("Work-permit cancellation")
    GRADUATE_WINDOW = "china_graduate_window_months", _("Graduate route window")
    INTERN_PERIOD = "intern_months", _("Internship period")


class CompletedBy(models.TextChoices):
    """A register event that completes a checklist step by itself."""

    ARRIVAL = "arrival", _("the arrival being recorded")
    WORK_PERMIT = "work_permit", _("a work permit being recorded")
    RESIDENCE_PERMIT = "residence_permit", _("a residence permit being recorded")
    TEACHING_PLAN = "teaching_plan", _("the teaching plan being filed")
    HIRE_REPORTED = "hire_reported", _("the hire being reported")
    DEPARTURE = "departure", _("the departure being recorded")


class Validity(models.TextChoices):
    """A certificate whose validity the policy settings fix (shown with the material)."""

    CRIMINAL_RECORD = "criminal_record", _("Criminal-record certificate")
    HEALTH = "health", _("Health certificate")


# Its own code, so that form fields do not swap the message for their generic "invalid" one.
validate_http_url = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address starting with http:// or https://."),
    code="http_only",
)


class Procedure(models.Model):
    """One procedure of the human-resources or public-security departments, in two languages."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, db_index=True)
    applicant = models.CharField(_("who applies"), max_length=10, choices=Applicant.choices)
    categories = models.CharField(
        _("teacher categories"),
        max_length=20,
        blank=True,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Category numbers separated by commas (1–5); empty means every category."),
    )
    situation = models.CharField(
        _("situation"), max_length=12, choices=Situation.choices, default=Situation.ANY
    )
    cluster_only = models.BooleanField(_("cluster contracts only"), default=False)
    on_checklist = models.BooleanField(
        _("a step on each hire's checklist"),
        default=True,
        help_text=_("Off for procedures that are information only (e.g. recommendations)."),
    )
    conditions = models.TextField(_("conditions"), blank=True)
    fees = models.TextField(_("fees"), blank=True)
    authority = models.CharField(_("authority"), max_length=300, blank=True)
    link = models.URLField(
        _("online service"),
        max_length=500,
        blank=True,
        validators=[validate_http_url],
        help_text=_("The procedure on the Zhejiang government service portal."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    limit_setting = models.CharField(
        _("time limit: policy setting"),
        max_length=50,
        choices=LimitSetting.choices,
        blank=True,
        help_text=_("The number itself is edited in the policy settings."),
    )
    limit_unit = models.CharField(
        _("time limit: unit"), max_length=15, choices=LimitUnit.choices, blank=True
    )
    limit_starts_from = models.CharField(
        _("time limit: counts from"), max_length=25, choices=StartEvent.choices, blank=True
    )
    limit_uncertain = models.BooleanField(
        _("the time limit is uncertain"),
        default=False,
        help_text=_("Offices differ or the rule says only 'promptly': check locally."),
    )
    limit_note = models.CharField(_("time limit: note"), max_length=300, blank=True)
    completed_by = models.CharField(
        _("closes itself on"), max_length=20, choices=CompletedBy.choices, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(limit_unit="")
                | (~models.Q(limit_starts_from="") & ~models.Q(limit_setting="")),
                name="guidance_procedure_limit_complete",
                violation_error_message=_(
                    "A time limit needs the event it counts from and the policy setting that "
                    "holds its number."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(limit_unit="")
                | (models.Q(limit_starts_from="") & models.Q(limit_setting="")),
                name="guidance_procedure_limit_has_unit",
                violation_error_message=_("Choose the unit of the time limit."),
            ),
            models.CheckConstraint(
                condition=models.Q(link="")
                | models.Q(link__startswith="https://")
                | models.Q(link__startswith="http://"),
                name="guidance_procedure_link_http",
                violation_error_message=_("Enter a web address starting with http:// or https://."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guidance:procedure", args=[self.slug])

    @property
    def category_list(self) -> list[int]:
        return sorted({int(part) for part in self.categories.split(",") if part.strip()})

    @property
    def has_limit(self) -> bool:
        return bool(self.limit_unit)


class ProcedureStep(models.Model):
    """One numbered step of a procedure."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(pgettext_lazy("procedure step", "step"))

    class Meta:
        verbose_name = pgettext_lazy("procedure step", "step")
        verbose_name_plural = pgettext_lazy("procedure step", "steps")
        ordering = ["procedure", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ProcedureMaterial(models.Model):
    """A document a procedure requires, with notes (issued within …, apostille, copies)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("material"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    validity = models.CharField(
        _("validity set by policy"),
        max_length=20,
        choices=Validity.choices,
        blank=True,
        help_text=_("Shows 'issued within N months' from the policy settings."),
    )

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["procedure", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Checklist(models.Model):
    """A hire's situation as far as procedures go (one per employment, made on first use)."""

    employment = models.OneToOneField(
        "employment.Employment",
        verbose_name=_("employment"),
        on_delete=models.CASCADE,
        related_name="guidance_checklist",
    )
    already_in_china = models.BooleanField(
        _("the teacher was already in China when hired"),
        default=False,
        help_text=_(
            "A change of employer inside China: no visa or entry steps, and the clocks run "
            "from the contract start."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hire checklist")
        verbose_name_plural = _("hire checklists")

    def __str__(self) -> str:
        return str(self.employment)


class EntryStatus(models.TextChoices):
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


def checklist_file_to(instance, filename: str) -> str:
    # A random name: the uploader's file name never reaches the file system.
    return f"guidance/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:5]}"


class ChecklistEntry(models.Model):
    """A person's mark on one step of a hire's checklist (done, or not applicable and why)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    employment = models.ForeignKey(
        "employment.Employment",
        verbose_name=_("employment"),
        on_delete=models.CASCADE,
        related_name="guidance_entries",
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="checklist_entries",
    )
    status = models.CharField(_("status"), max_length=15, choices=EntryStatus.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # For a step that recurs with each permit (renewals): the expiry the mark was made for.
    anchor_on = models.DateField(_("for the date"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    file = models.FileField(_("file"), upload_to=checklist_file_to, blank=True, max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("checklist mark")
        verbose_name_plural = _("checklist marks")
        ordering = ["employment", "procedure__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "procedure"],
                name="guidance_entry_once",
                violation_error_message=_("This step is already marked."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False),
                name="guidance_entry_done_has_date",
                violation_error_message=_("Give the date the step was done."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="not_applicable") | ~models.Q(reason=""),
                name="guidance_entry_na_has_reason",
                violation_error_message=_("Say why the step does not apply."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employment_id} · {self.procedure} · {self.status}"


class ChecklistReminder(models.Model):
    """That a step's reminder went out N days before its due date: once each."""

    employment = models.ForeignKey(
        "employment.Employment",
        verbose_name=_("employment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist reminder")
        verbose_name_plural = _("checklist reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "procedure", "due_on", "days_before"],
                name="guidance_reminder_once",
                violation_error_message=_("This reminder was already sent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.employment_id} {self.procedure_id} −{self.days_before}d"


class OpenStep(models.Model):
    """An active hire's open, dated checklist step as last computed (the overdue lists read it).

    Written only by services.checklist_steps_refresh: on every register event, mark and
    situation change, and for every hire each night; overdue-ness is read from the due date.
    """

    employment = models.ForeignKey(
        "employment.Employment",
        verbose_name=_("employment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    # Hour limits only (accommodation registration): the exact moment, on Beijing time.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    time_assumed = models.BooleanField(_("arrival time assumed"), default=False)
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    class Meta:
        verbose_name = _("open checklist step")
        verbose_name_plural = _("open checklist steps")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "procedure"],
                name="guidance_open_step_once",
                violation_error_message=_("This hire already has this step among its open steps."),
            )
        ]
        indexes = [models.Index(fields=["due_on"], name="guidance_open_step_due")]

    def __str__(self) -> str:
        return f"{self.employment_id} · {self.procedure_id} · {self.due_on}"

    @property
    def due(self) -> Due:
        return Due(on=self.due_on, at=self.due_at)
