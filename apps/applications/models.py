import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.notes import note_render
from apps.vacancies.models import Housing


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTERVIEW = "interview", _("Interview")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Offer accepted")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Not selected")
    DECLINED = "declined", _("Offer declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Applications still moving through the pipeline (the rest are final).
OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
)


# Applications waiting on the school's next move (an offer waits on the teacher): the school is
# nudged about these and its dashboard counts them.
WAITING_ON_SCHOOL_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
)


class RejectionReason(models.TextChoices):
    QUALIFICATIONS = "qualifications", _("Qualifications do not fit the post")
    EXPERIENCE = "experience", _("Not enough relevant experience")
    OTHER_CANDIDATE = "other_candidate", _("Another candidate was chosen")
    INTERVIEW = "interview", _("Interview not successful")
    NOT_QUALIFIED = "not_qualified", _("No longer meets the admission standard")
    POST_FILLED = "post_filled", _("All posts are filled")
    VACANCY_CLOSED = "vacancy_closed", _("The vacancy was closed")
    OTHER = "other", _("Other reason")


class ApplicationNote(models.TextChoices):
    """Notes the system writes on an application's history, shown in the reader's language."""

    INTERVIEW_PROPOSED = "interview_proposed", _("Please choose an interview time.")
    REPLY_BY = "reply_by", _("Please reply by %(date)s.")
    OFFER_LAPSED = "offer_lapsed", _("The offer lapsed: no reply by %(reply_by)s.")
    WITHDRAWN_BY_TEACHER = "withdrawn_by_teacher", _("Withdrawn by the teacher.")


class Application(models.Model):
    """A teacher's application to one vacancy and where it stands in the pipeline."""

    # The pipeline, declared once; core.transitions enforces it (application_transition adds
    # the history row and tells the other side).
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        ApplicationStatus.SUBMITTED: {
            ApplicationStatus.SHORTLISTED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        },
        ApplicationStatus.SHORTLISTED: {
            ApplicationStatus.INTERVIEW,
            ApplicationStatus.OFFERED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        },
        ApplicationStatus.INTERVIEW: {
            ApplicationStatus.OFFERED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        },
        ApplicationStatus.OFFERED: {
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        },
        # ACCEPTED -> REJECTED is only for the system closing a filled or closed vacancy
        # (applications_close_for_vacancy); the school itself cannot turn down an accepted offer.
        ApplicationStatus.ACCEPTED: {
            ApplicationStatus.HIRED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        },
        ApplicationStatus.HIRED: set(),
        ApplicationStatus.REJECTED: set(),
        ApplicationStatus.DECLINED: set(),
        ApplicationStatus.WITHDRAWN: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    cover_letter = models.TextField(_("cover letter"), max_length=5000, blank=True)
    teacher_rank = models.PositiveSmallIntegerField(
        _("teacher's preference rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    school_rank = models.PositiveSmallIntegerField(
        _("school's preference rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    rejection_reason = models.CharField(
        _("reason not selected"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("note to the teacher"), blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    school_nudged_at = models.DateTimeField(_("school reminded at"), null=True, blank=True)
    center_nudged_at = models.DateTimeField(_("center reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "status_changed_at"]),
            # The center dashboard's idle count: only nudged applications are indexed.
            models.Index(
                fields=["status"],
                condition=models.Q(center_nudged_at__isnull=False),
                name="application_center_nudged",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "teacher"],
                name="applications_once_per_vacancy",
                violation_error_message=_("You have already applied to this vacancy."),
            ),
            models.UniqueConstraint(
                fields=["teacher"],
                condition=models.Q(status="accepted"),
                name="applications_one_accepted_per_teacher",
                violation_error_message=_("You already hold an accepted offer."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="applications_rejected_has_reason",
                violation_error_message=_(
                    "A rejected application needs the reason it was rejected."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.vacancy}"

    def get_absolute_url(self) -> str:
        return reverse("applications:teacher_detail", args=[self.code])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationEvent(models.Model):
    """One step of an application: who moved it, when, from where to where, and why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"),
        max_length=12,
        choices=ApplicationStatus.choices,
        blank=True,
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=12, choices=ApplicationStatus.choices
    )
    note = models.TextField(_("note"), blank=True, help_text=_("As a person typed it."))
    # Database defaults too: the seeds' bulk COPY names only the columns it fills.
    note_code = models.CharField(_("system note"), max_length=40, blank=True, db_default="")
    note_params = models.JSONField(_("system note values"), default=dict, blank=True, db_default={})
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        # Labels, not codes: admin shows this line to readers in their own language.
        before = self.get_from_status_display() if self.from_status else "—"
        return f"{self.application_id}: {before} → {self.get_to_status_display()}"

    @property
    def note_text(self) -> str:
        """The note in the active language (a system note from its code, else as typed)."""
        return note_render(
            ApplicationNote, code=self.note_code, params=self.note_params, typed=self.note
        )


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the teacher")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(models.Model):
    """The terms a school offers; the employment copies them on hire."""

    # An open offer is answered, lapses, or is withdrawn when its application closes; an
    # accepted one is withdrawn only if the teacher withdraws or the vacancy closes before hire.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        OfferStatus.OPEN: {
            OfferStatus.ACCEPTED,
            OfferStatus.DECLINED,
            OfferStatus.LAPSED,
            OfferStatus.WITHDRAWN,
        },
        OfferStatus.ACCEPTED: {OfferStatus.WITHDRAWN},
        OfferStatus.DECLINED: set(),
        OfferStatus.LAPSED: set(),
        OfferStatus.WITHDRAWN: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="offer"
    )
    salary = models.PositiveIntegerField(_("salary (CNY/month)"), validators=[MinValueValidator(1)])
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"))
    weekly_hours = models.PositiveSmallIntegerField(
        _("teaching hours per week"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    benefits = models.TextField(_("other benefits"), blank=True)
    reply_by = models.DateField(_("reply by"))
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__gt=models.F("contract_start")),
                name="applications_offer_end_after_start",
                violation_error_message=_("The contract must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.get_status_display()})"


class InterviewMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    VIDEO = "video", _("Video call")


class InterviewSlot(models.Model):
    """A time the school proposes for an interview; the teacher picks one."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="interview_slots",
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(10)]
    )
    mode = models.CharField(_("mode"), max_length=10, choices=InterviewMode.choices)
    location = models.CharField(
        _("place or video link"),
        max_length=300,
        help_text=_("The address on site, or the link of the video call."),
    )
    chosen = models.BooleanField(_("chosen by the teacher"), default=False)
    # Each side is reminded on the eve of the interview in its own zone, so at different runs.
    reminded_at = models.DateTimeField(_("school reminded at"), null=True, blank=True)
    teacher_reminded_at = models.DateTimeField(_("teacher reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(chosen=True),
                name="applications_one_chosen_slot",
                violation_error_message=_("Only one interview time can be chosen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} @ {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
