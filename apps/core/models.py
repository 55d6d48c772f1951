from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    validate_comma_separated_integer_list,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class AuditEvent(models.Model):
    """One state change or sensitive read: who did what to which row, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return (
            f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
        )


class PolicySettings(models.Model):
    """The policy's numbers, one row, edited by center staff in admin (never literals in code)."""

    SINGLETON_PK = 1

    max_cluster_members = models.PositiveSmallIntegerField(
        _("maximum member schools in a cluster"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Member schools besides the lead school, per cluster and cluster vacancy."),
    )
    exchange_visit_max_months = models.PositiveSmallIntegerField(
        _("maximum short-term exchange visit (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    intern_months = models.PositiveSmallIntegerField(
        _("internship period (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    intern_max_months = models.PositiveSmallIntegerField(
        _("maximum internship with extension (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    age_limit = models.PositiveSmallIntegerField(
        _("age limit for a work permit (years)"),
        default=60,
        validators=[MinValueValidator(18), MaxValueValidator(80)],
    )
    # Read by the pair rules (admission.pairs) and passed into the matching engine, which
    # keeps the same number only as its default when used on its own (benchmarks, tests).
    start_tolerance_days = models.PositiveSmallIntegerField(
        _("latest start after the contract start (days)"),
        default=14,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "A teacher available this many days after a vacancy's contract start still "
            "qualifies for it."
        ),
    )
    min_teaching_experience_years = models.PositiveSmallIntegerField(
        _("minimum teaching experience (years)"),
        default=2,
        validators=[MaxValueValidator(20)],
    )
    min_certificate_hours = models.PositiveSmallIntegerField(
        _("minimum teaching-certificate hours"),
        default=120,
        validators=[MaxValueValidator(1000)],
    )
    criminal_record_validity_months = models.PositiveSmallIntegerField(
        _("criminal-record certificate validity (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    idle_application_school_days = models.PositiveSmallIntegerField(
        _("nudge the school about an idle application after (days)"),
        default=14,
        validators=[MinValueValidator(1)],
    )
    idle_application_center_days = models.PositiveSmallIntegerField(
        _("nudge the center about an idle application after (days)"),
        default=21,
        validators=[MinValueValidator(1)],
    )
    survey_privacy_threshold = models.PositiveSmallIntegerField(
        _("minimum answers before survey results are shown"),
        default=5,
        validators=[MinValueValidator(1)],
    )
    evaluation_deadline_days = models.PositiveSmallIntegerField(
        _("extension of the quarterly evaluation deadline (days)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text=_(
            "Evaluations are due at the end of the first month of the next quarter; this many "
            "days are added to that date (0: no extension)."
        ),
    )
    evaluation_reminder_days = models.PositiveSmallIntegerField(
        _("remind about open evaluations before the deadline (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    change_registration_days = models.PositiveSmallIntegerField(
        _("register an employment change within (days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("staff invitation validity (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    document_reminder_days = models.CharField(
        _("remind before a document expires (days)"),
        max_length=50,
        default="60,30,7",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Days before a passport or certificate expires, separated by commas."),
    )
    # Credit (stars, records): figures from the Zhejiang credit regulation and the State
    # Council's 2020/2025 credit documents, kept editable because they may change.
    star_window_quarters = models.PositiveSmallIntegerField(
        _("star level: evaluated quarters counted"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    star_min_quarters = models.PositiveSmallIntegerField(
        _("star level: fewest evaluated quarters for any star"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    star_cap_general_record = models.PositiveSmallIntegerField(
        _("star level: highest level with an active general restriction"),
        default=2,
        validators=[MaxValueValidator(5)],
    )
    credit_objection_working_days = models.PositiveSmallIntegerField(
        _("credit: working days to object after notice"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    credit_objection_answer_working_days = models.PositiveSmallIntegerField(
        _("credit: working days to answer an objection"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    credit_objection_answer_max_working_days = models.PositiveSmallIntegerField(
        _("credit: longest extended answer to an objection (working days)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    credit_minor_min_months = models.PositiveSmallIntegerField(
        _("credit: minor restriction shown at least (months)"),
        default=1,
        validators=[MaxValueValidator(120)],
    )
    credit_minor_max_months = models.PositiveSmallIntegerField(
        _("credit: minor restriction shown at most (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    credit_general_min_months = models.PositiveSmallIntegerField(
        _("credit: general restriction shown at least (months)"),
        default=3,
        validators=[MaxValueValidator(120)],
    )
    credit_general_max_months = models.PositiveSmallIntegerField(
        _("credit: general restriction shown at most (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    credit_serious_min_months = models.PositiveSmallIntegerField(
        _("credit: serious restriction shown at least (months)"),
        default=12,
        validators=[MaxValueValidator(120)],
    )
    credit_serious_max_months = models.PositiveSmallIntegerField(
        _("credit: serious restriction shown at most (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    credit_commendation_months = models.PositiveSmallIntegerField(
        _("credit: commendation shown for (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    credit_deletion_years = models.PositiveSmallIntegerField(
        _("credit: delete records this many years after they end"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    permit_recommendation_min_stars = models.PositiveSmallIntegerField(
        _("long-term permit recommendation: minimum star level"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    permit_recommendation_min_quarters = models.PositiveSmallIntegerField(
        _("long-term permit recommendation: consecutive quarters at that level"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    permit_recommendation_min_years = models.PositiveSmallIntegerField(
        _("long-term permit recommendation: years working in Hangzhou"),
        default=2,
        validators=[MaxValueValidator(30)],
    )
    friendship_award_min_stars = models.PositiveSmallIntegerField(
        _("Friendship Award nomination: minimum star level"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    friendship_award_min_quarters = models.PositiveSmallIntegerField(
        _("Friendship Award nomination: consecutive quarters at that level"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    friendship_award_min_years = models.PositiveSmallIntegerField(
        _("Friendship Award nomination: years working in Hangzhou"),
        default=3,
        validators=[MaxValueValidator(30)],
    )
    # Guidance clocks (issue 17): statutory time limits for a hire's procedures. Offices differ
    # on some of them (the work-permit card: 15 days, some say 10), so they are settings.
    work_permit_decision_working_days = models.PositiveSmallIntegerField(
        _("work-permit decision (working days)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    accommodation_registration_hours = models.PositiveSmallIntegerField(
        _("accommodation registration after moving in (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    work_permit_card_days = models.PositiveSmallIntegerField(
        _("work-permit card after entry (days)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("15 days by the national rules; some local offices ask for 10."),
    )
    residence_permit_days = models.PositiveSmallIntegerField(
        _("work-type residence permit after entry (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    permit_renewal_days_before_expiry = models.PositiveSmallIntegerField(
        _("apply for a permit renewal at least (days before expiry)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    work_permit_cancellation_working_days = models.PositiveSmallIntegerField(
        _("cancel the work permit after the contract ends (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    health_certificate_validity_months = models.PositiveSmallIntegerField(
        _("health certificate validity (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    china_graduate_window_months = models.PositiveSmallIntegerField(
        _("graduate route: apply within (months of graduation)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    short_term_work_max_days = models.PositiveSmallIntegerField(
        _("short-term work in China at most (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    guidance_reminder_days = models.CharField(
        _("remind before a procedure is due (days)"),
        max_length=50,
        default="7,1",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Days before a checklist step's due date, separated by commas."),
    )
    coverage_target_percent = models.PositiveSmallIntegerField(
        _("city target: schools with a foreign teacher (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of verified schools that should employ a foreign teacher."),
    )
    # Retention (issue 19): how long personal data outlives its purpose. README "Retention".
    expired_document_keep_days = models.PositiveSmallIntegerField(
        _("delete an expired document's file after (days)"),
        default=180,
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "Days after a document's expiry date; the document's record stays, without its file."
        ),
    )
    employment_records_keep_years = models.PositiveSmallIntegerField(
        _("keep a teacher's records after the last employment ends (years)"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        help_text=_(
            "A teacher's deletion request is carried out once they have no active employment "
            "and this many years have passed since the last one ended (the Labour Contract Law "
            "keeps ended contracts for at least 2 years)."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("policy settings")
        verbose_name_plural = _("policy settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1),
                name="core_policysettings_singleton",
                violation_error_message=_("There is only one set of policy settings."),
            ),
            models.CheckConstraint(
                condition=models.Q(intern_max_months__gte=models.F("intern_months")),
                name="core_policysettings_intern_max_gte_period",
                violation_error_message=_(
                    "The longest internship cannot be shorter than the internship period."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    idle_application_center_days__gte=models.F("idle_application_school_days")
                ),
                name="core_policysettings_center_nudge_after_school",
                violation_error_message=_(
                    "The center cannot be reminded of an idle application before the school is."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(credit_minor_max_months__gte=models.F("credit_minor_min_months"))
                & models.Q(credit_general_max_months__gte=models.F("credit_general_min_months"))
                & models.Q(credit_serious_max_months__gte=models.F("credit_serious_min_months")),
                name="core_policysettings_credit_bounds_ordered",
                violation_error_message=_(
                    "For each severity, the longest display period cannot be shorter than "
                    "the shortest."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    credit_objection_answer_max_working_days__gte=models.F(
                        "credit_objection_answer_working_days"
                    )
                ),
                name="core_policysettings_credit_answer_max_gte_answer",
                violation_error_message=_(
                    "The longest time to answer an objection cannot be shorter than the usual time."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Policy settings"))

    @property
    def document_reminder_day_list(self) -> list[int]:
        """The reminder thresholds, largest first (e.g. [60, 30, 7])."""
        days = {int(part) for part in self.document_reminder_days.split(",") if part.strip()}
        return sorted(days, reverse=True)

    @property
    def guidance_reminder_day_list(self) -> list[int]:
        """The checklist reminder thresholds, largest first (e.g. [7, 1])."""
        days = {int(part) for part in self.guidance_reminder_days.split(",") if part.strip()}
        return sorted(days, reverse=True)


class DistrictKind(models.TextChoices):
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    COUNTY_CITY = "county-level city", _("County-level city")
    SCENIC_AREA = "scenic area", _("Scenic area")


class District(models.Model):
    """A Hangzhou district/county (national division code) or the West Lake Scenic Area."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=DistrictKind.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class TeachingLevel(models.Model):
    """A school level a teacher can teach at (kindergarten, primary, …)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("teaching level")
        verbose_name_plural = _("teaching levels")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SchoolType(models.Model):
    """A kind of school; nine- and twelve-year schools span several teaching levels."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    levels = models.ManyToManyField(
        TeachingLevel, verbose_name=_("teaching levels"), related_name="school_types"
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("school type")
        verbose_name_plural = _("school types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language taught, with the countries whose nationals count as native speakers."""

    code = models.SlugField(_("code"), max_length=10, unique=True, help_text=_("ISO 639-1"))
    name = models.CharField(_("name"), max_length=100)
    native_countries = CountryField(_("native-speaker countries"), multiple=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SubjectGroup(models.TextChoices):
    LANGUAGE = "language", _("Foreign language")
    NON_LANGUAGE = "non_language", _("Subject taught in a foreign language")


class Subject(models.Model):
    """A subject a foreign teacher teaches; a language subject names its language."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("group"), max_length=20, choices=SubjectGroup.choices)
    language = models.ForeignKey(
        Language,
        verbose_name=_("language"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subjects",
        help_text=_("For a language subject: the language, whose native speakers may teach it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(group="language", language__isnull=False)
                    | models.Q(group="non_language", language__isnull=True)
                ),
                name="core_subject_language_iff_language_group",
                violation_error_message=_(
                    "A language subject names its language; "
                    "a subject taught in a foreign language names none."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_language(self) -> bool:
        return self.group == SubjectGroup.LANGUAGE
