from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    validate_comma_separated_integer_list,
)
from django.db import models
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
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("policy settings")
        verbose_name_plural = _("policy settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="core_policysettings_singleton"),
            models.CheckConstraint(
                condition=models.Q(intern_max_months__gte=models.F("intern_months")),
                name="core_policysettings_intern_max_gte_period",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    idle_application_center_days__gte=models.F("idle_application_school_days")
                ),
                name="core_policysettings_center_nudge_after_school",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Policy settings"))

    @property
    def document_reminder_day_list(self) -> list[int]:
        """The reminder thresholds, largest first (e.g. [60, 30, 7])."""
        days = {int(part) for part in self.document_reminder_days.split(",") if part.strip()}
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
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_language(self) -> bool:
        return self.group == SubjectGroup.LANGUAGE
