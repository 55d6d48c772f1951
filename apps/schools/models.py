import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from apps.core.validators import validate_phone_number


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class School(models.Model):
    """A school or kindergarten in Hangzhou; it may post vacancies once the center verifies it."""

    # The moves `verification_status` may make (core.transitions enforces them). The center may
    # verify a school it rejected once the school has put things right; a verified school is
    # never "unverified" here (the credit black list restricts a misbehaving school instead).
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        VerificationStatus.PENDING: {VerificationStatus.VERIFIED, VerificationStatus.REJECTED},
        VerificationStatus.REJECTED: {VerificationStatus.VERIFIED},
        VerificationStatus.VERIFIED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("district"),
    )
    school_type = models.ForeignKey(
        "core.SchoolType",
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("school type"),
    )
    ownership = models.CharField(
        _("public or private"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    licence_number = models.CharField(
        _("licence / registration number"),
        max_length=64,
        unique=True,
        help_text=_("The school's operating licence or unified social credit code."),
    )
    address = models.CharField(_("address"), max_length=255)
    contact_phone = models.CharField(
        _("contact phone"), max_length=40, validators=[validate_phone_number]
    )
    website = models.URLField(_("website"), blank=True)
    verification_status = models.CharField(
        _("verification status"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # The data-exchange API syncs on (updated_at, id).
    # db_default: bulk COPY inserts (seeding) name only the columns they fill.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now())

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["district__sort_order", "name"]
        indexes = [models.Index(fields=["updated_at", "id"], name="schools_school_sync")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(verification_status="rejected")
                | ~models.Q(rejection_reason=""),
                name="schools_school_rejected_has_reason",
                violation_error_message=_("A rejected school needs the reason it was rejected."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED


class SchoolMembership(models.Model):
    """A school-staff login's school; one active liaison per school."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    # One school per login: staff who move schools get a new account, so each school's history
    # keeps naming the people who acted for it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_membership",
        verbose_name=_("user"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school")
    )
    is_liaison = models.BooleanField(_("foreign-affairs liaison"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("school membership")
        verbose_name_plural = _("school memberships")
        ordering = ["-is_liaison", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=models.Q(is_liaison=True, is_active=True),
                name="schools_one_liaison_per_school",
                violation_error_message=_("This school already has a foreign-affairs liaison."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True) | models.Q(deactivated_at__isnull=False),
                name="schools_membership_deactivated_has_date",
                violation_error_message=_("A deactivated membership needs the date it ended."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.school}"


class SchoolInvitation(models.Model):
    """An emailed invitation for a colleague to join a school; the link carries a signed code."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("school")
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # The inviter's language: the invitee has no account yet, so the email is written in the
    # language the school works in.
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.school}"


class PendingSchoolRegistration(models.Model):
    """A school registration waiting for its liaison to confirm the emailed link."""

    # Nothing (school, login, licence) exists until the link is confirmed: an unconfirmed
    # registration must not reserve a licence number or tell anyone whether an address is taken.
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    district = models.ForeignKey(
        "core.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    school_type = models.ForeignKey(
        "core.SchoolType",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("school type"),
    )
    ownership = models.CharField(_("public or private"), max_length=10, choices=Ownership.choices)
    licence_number = models.CharField(_("licence / registration number"), max_length=64)
    address = models.CharField(_("address"), max_length=255)
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    website = models.URLField(_("website"), blank=True)
    liaison_name = models.CharField(_("liaison's name"), max_length=150)
    email = models.EmailField(_("email address"))
    # Django's password hasher output, never the password itself.
    password = models.CharField(_("password"), max_length=128)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    # SHA-256 of the emailed token: a copy of the table does not yield working links.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending school registration")
        verbose_name_plural = _("pending school registrations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name_en or self.name_zh_hans} · {self.email}"


class GroupKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster")
    TIGHT = "tight", _("Tight education group")
    COOPERATIVE = "cooperative_1n", _("Cooperative (1+N) education group")
    ASSISTANCE = "assistance", _("Assistance education group")
    ENTRUSTED = "entrusted", _("Entrusted management")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member school")
    ENTRUSTED = "entrusted", _("Entrusted school")


class SchoolGroup(models.Model):
    """A cluster, education group or entrusted-management pair led by one school."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="school_groups",
        verbose_name=_("district"),
        help_text=_("The bureau whose plan names the group; empty for cross-district groups."),
    )
    # PROTECT: a group's vacancies and employments are filed under its lead school, so the lead
    # cannot disappear from under them.
    lead_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="led_groups",
        verbose_name=_("lead school"),
        help_text=_("For entrusted management: the trustee school."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("school group")
        verbose_name_plural = _("school groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolGroupMember(models.Model):
    """A school in a group besides its lead school."""

    # How many members a cluster may have is a policy number (PolicySettings), so it is checked
    # by services.school_group_validate rather than by a constraint here.

    group = models.ForeignKey(
        SchoolGroup,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=pgettext_lazy("school group", "group"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("school")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "school"],
                name="schools_group_member_once",
                violation_error_message=_("A school appears in a group only once."),
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(role="entrusted"),
                name="schools_one_entrusted_school_per_group",
                violation_error_message=_("Entrusted management has exactly one entrusted school."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.group})"


class PartnerSchool(models.Model):
    """An overseas sister school paired with a Hangzhou school."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="partner_schools", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    since = models.DateField(_("partner since"))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("partner school")
        verbose_name_plural = _("partner schools")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="schools_partner_name_once_per_school",
                violation_error_message=_("This school already has a partner school of that name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.name})"

    def get_absolute_url(self) -> str:
        return reverse("schools:partner_edit", args=[self.code])
