import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.notes import note_render
from apps.teachers.models import Category, ChineseLevel, DegreeLevel


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class Housing(models.TextChoices):
    PROVIDED = "provided", _("Free housing provided")
    ALLOWANCE = "allowance", _("Housing allowance")
    NONE = "none", _("No housing")


class HiringChannel(models.TextChoices):
    SELF_RECRUITED = "self", _("Self-recruited by the school")
    NETWORK = "network", _("Through the service network")
    AGENCY = "agency", _("Bought from a service agency")


# Categories are stored as a bitmask (category N is bit N - 1, as the matching engine encodes
# them) so "accepts category X" is one integer test on every database and needs no join.
def category_bit(category: int) -> int:
    return 1 << (int(category) - 1)


def categories_to_mask(categories) -> int:
    return sum(category_bit(value) for value in set(categories))


def mask_to_categories(mask: int) -> list[int]:
    return [value for value in Category.values if mask & category_bit(value)]


ALL_CATEGORIES_MASK = categories_to_mask(Category.values)
# About two printed pages: longer texts are pasted by mistake (or abuse) and break the pages.
DESCRIPTION_MAX_LENGTH = 5000
BENEFITS_MAX_LENGTH = 1000


class Vacancy(models.Model):
    """A school's foreign-teacher post(s); a cluster vacancy is one post shared by its schools."""

    # The life cycle, declared once; core.transitions enforces it. A published vacancy goes back
    # to "submitted" when a key field changes (the center approves it again).
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        VacancyStatus.DRAFT: {VacancyStatus.SUBMITTED, VacancyStatus.CLOSED},
        VacancyStatus.SUBMITTED: {
            VacancyStatus.DRAFT,
            VacancyStatus.PUBLISHED,
            VacancyStatus.CLOSED,
        },
        VacancyStatus.PUBLISHED: {
            VacancyStatus.SUBMITTED,
            VacancyStatus.FILLED,
            VacancyStatus.CLOSED,
            VacancyStatus.EXPIRED,
        },
        VacancyStatus.FILLED: set(),
        VacancyStatus.CLOSED: set(),
        VacancyStatus.EXPIRED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="vacancies",
        help_text=_("For a cluster vacancy: the lead school."),
    )
    cluster = models.ForeignKey(
        "schools.SchoolGroup",
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    title = models.CharField(_("title"), max_length=200)
    subjects = models.ManyToManyField(
        "core.Subject", verbose_name=_("subjects"), related_name="vacancies"
    )
    levels = models.ManyToManyField(
        "core.TeachingLevel", verbose_name=_("school levels"), related_name="vacancies"
    )
    grades = models.CharField(
        _("grades"), max_length=100, blank=True, help_text=_("For example: Grades 3–6.")
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("teaching hours per week"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    posts = models.PositiveSmallIntegerField(
        _("number of posts"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"))
    salary_min = models.PositiveIntegerField(_("minimum salary (CNY/month)"))
    salary_max = models.PositiveIntegerField(_("maximum salary (CNY/month)"))
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    benefits = models.TextField(
        _("other benefits"),
        blank=True,
        help_text=_("Flights, insurance, meals, holidays…"),
        max_length=BENEFITS_MAX_LENGTH,
        validators=[MaxLengthValidator(BENEFITS_MAX_LENGTH)],
    )
    min_degree = models.PositiveSmallIntegerField(
        _("minimum degree"), choices=DegreeLevel.choices, default=DegreeLevel.BACHELOR
    )
    min_experience_years = models.PositiveSmallIntegerField(
        _("minimum teaching experience (years)"), default=0, validators=[MaxValueValidator(40)]
    )
    certificate_required = models.BooleanField(_("teaching certificate required"), default=False)
    min_chinese_level = models.CharField(
        _("minimum Chinese level"),
        max_length=5,
        choices=ChineseLevel.choices,
        default=ChineseLevel.NONE,
    )
    accepted_categories = models.PositiveSmallIntegerField(
        _("accepted teacher categories"), default=ALL_CATEGORIES_MASK
    )
    hiring_channel = models.CharField(
        _("hiring channel"),
        max_length=10,
        choices=HiringChannel.choices,
        default=HiringChannel.NETWORK,
    )
    # A TextField's max_length only sizes the form; the validator makes full_clean refuse it.
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VacancyStatus.choices,
        default=VacancyStatus.DRAFT,
        db_index=True,
    )
    return_reason = models.TextField(_("reason sent back"), blank=True)
    filled_posts = models.PositiveSmallIntegerField(_("filled posts"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "contract_start"]),
            # The public search reads published vacancies only, in one of its three orders
            # (filters.ORDERINGS): each order walks its own small partial index.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="vacancy_published_newest",
                condition=Q(status="published"),
            ),
            models.Index(
                F("salary_max").desc(),
                F("id").desc(),
                name="vacancy_published_salary",
                condition=Q(status="published"),
            ),
            models.Index(
                F("contract_start"),
                F("id").desc(),
                name="vacancy_published_start",
                condition=Q(status="published"),
            ),
            # The bureau's list, newest first: a page is read without sorting the city.
            models.Index(F("created_at").desc(), F("id").desc(), name="vacancy_created_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__gt=models.F("contract_start")),
                name="vacancies_vacancy_end_after_start",
                violation_error_message=_("The contract must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(salary_max__gte=models.F("salary_min")),
                name="vacancies_vacancy_salary_range",
                violation_error_message=_("The maximum salary cannot be below the minimum."),
            ),
            models.CheckConstraint(
                condition=models.Q(cluster__isnull=True) | models.Q(posts=1),
                name="vacancies_cluster_vacancy_is_one_post",
                violation_error_message=_("A cluster vacancy is exactly one post."),
            ),
            models.CheckConstraint(
                condition=models.Q(filled_posts__lte=models.F("posts")),
                name="vacancies_vacancy_not_overfilled",
                violation_error_message=_("A vacancy cannot have more filled posts than posts."),
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_categories__gt=0),
                name="vacancies_vacancy_accepts_a_category",
                violation_error_message=_("Accept at least one teacher category."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("vacancies:detail", args=[self.code])

    @property
    def title_for_reader(self):
        """The title in whichever language is active when it is rendered.

        Notifications render each message in its recipient's language; passing this lazy
        value as a parameter lets modeltranslation pick that language's title.
        """
        return lazy(lambda: self.title, str)()

    @property
    def is_cluster(self) -> bool:
        return self.cluster_id is not None

    @property
    def accepted_category_values(self) -> list[int]:
        return mask_to_categories(self.accepted_categories)

    @property
    def open_posts(self) -> int:
        return self.posts - self.filled_posts


class VacancySchool(models.Model):
    """One school's share of a cluster vacancy's weekly hours (the lead school included)."""

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="cluster_schools"
    )
    school = models.ForeignKey(
        "schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("teaching hours per week"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("cluster school")
        verbose_name_plural = _("cluster schools")
        ordering = ["vacancy", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "school"],
                name="vacancies_cluster_school_once",
                violation_error_message=_("A school is named on a cluster vacancy only once."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gte=1),
                name="vacancies_cluster_school_has_hours",
                violation_error_message=_(
                    "Each school on a cluster vacancy teaches at least 1 hour a week."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.weekly_hours} h"


class VacancyNote(models.TextChoices):
    """Notes the system writes on a vacancy's history, shown in the reader's language."""

    KEY_TERMS_CHANGED = (
        "key_terms_changed",
        _("Subjects, dates, salary, hours or posts changed: approval needed again."),
    )
    WITHDRAWN_BY_SCHOOL = "withdrawn_by_school", _("Withdrawn by the school.")
    CLOSED_BY_SCHOOL = "closed_by_school", _("Closed by the school.")
    START_PASSED = "start_passed", _("The contract start date passed.")
    ALL_POSTS_FILLED = "all_posts_filled", _("Every post is filled.")
    SCHOOL_RESTRICTED = (
        "school_restricted",
        _("Closed: a credit restriction on the school is in force."),
    )
    MEMBER_SCHOOL_RESTRICTED = (
        "member_school_restricted",
        _("Closed: a credit restriction on %(school)s, a school of this cluster post, applies."),
    )


class VacancyEvent(models.Model):
    """One status change of a vacancy: who, when, from, to, and why."""

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="events"
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
        pgettext_lazy("status change", "from"), max_length=10, choices=VacancyStatus.choices
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=10, choices=VacancyStatus.choices
    )
    note = models.TextField(_("note"), blank=True, help_text=_("As a person typed it."))
    # Database defaults too: the seeds' bulk COPY names only the columns it fills.
    note_code = models.CharField(_("system note"), max_length=40, blank=True, db_default="")
    note_params = models.JSONField(_("system note values"), default=dict, blank=True, db_default={})
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("vacancy event")
        verbose_name_plural = _("vacancy events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Labels, not codes: admin shows this line to readers in their own language.
        before, after = self.get_from_status_display(), self.get_to_status_display()
        return f"{self.vacancy}: {before} → {after}"

    @property
    def note_text(self) -> str:
        """The note in the active language (a system note from its code, else as typed)."""
        return note_render(
            VacancyNote, code=self.note_code, params=self.note_params, typed=self.note
        )


class SavedSearch(models.Model):
    """A teacher's search kept for alerts about newly published vacancies that match it."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("search"), max_length=1000, blank=True)
    email_alerts = models.BooleanField(_("email me new matches"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                name="vacancies_saved_search_name",
                violation_error_message=_("You already have a saved search with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class SavedSearchAlert(models.Model):
    """That a saved search was told about a vacancy: at most once per vacancy per search."""

    saved_search = models.ForeignKey(
        SavedSearch, verbose_name=_("saved search"), on_delete=models.CASCADE, related_name="alerts"
    )
    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved-search alert")
        verbose_name_plural = _("saved-search alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "vacancy"],
                name="vacancies_alert_once_per_vacancy",
                violation_error_message=_(
                    "This vacancy was already announced for this saved search."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.saved_search} ← {self.vacancy}"
