import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from .managers import UserManager

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Role(models.TextChoices):
    TEACHER = "teacher", _("Foreign teacher")
    SCHOOL_STAFF = "school_staff", _("School staff")
    CENTER_STAFF = "center_staff", _("Center staff")
    BUREAU_VIEWER = "bureau_viewer", _("Education bureau")


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    CHINESE = "zh-hans", "简体中文"


class User(AbstractBaseUser, PermissionsMixin):
    """A login: exactly one role; email is the username."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="Asia/Shanghai"
    )
    email_notifications = models.BooleanField(
        _("email notifications"),
        default=True,
        help_text=_("Also send each new notification by email."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the admin site."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting accounts."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # Admin access is for the service center only.
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role="center_staff"),
                name="accounts_user_only_center_staff_is_staff",
                violation_error_message=_("Only center staff may have access to the admin site."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def is_school_staff(self) -> bool:
        return self.role == Role.SCHOOL_STAFF

    @property
    def is_center_staff(self) -> bool:
        return self.role == Role.CENTER_STAFF

    @property
    def is_bureau_viewer(self) -> bool:
        return self.role == Role.BUREAU_VIEWER


class BureauMembership(models.Model):
    """Ties a bureau viewer to a district; an empty district means the municipal bureau."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        related_name="bureau_membership",
        verbose_name=_("user"),
    )
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bureau_memberships",
        verbose_name=_("district"),
        help_text=_("Empty for the municipal bureau (the whole city)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bureau membership")
        verbose_name_plural = _("bureau memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.jurisdiction_name}"

    @property
    def is_municipal(self) -> bool:
        return self.district_id is None

    @property
    def jurisdiction_name(self) -> str:
        return str(self.district) if self.district_id else str(_("Municipal education bureau"))
