"""Writes for schools: verification, staff, invitations and liaison handover."""

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, User
from apps.accounts.permissions import is_center_staff_actor, require_center_staff
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record, model_snapshot
from apps.core.transitions import transition
from apps.notifications.services import notify

from ..models import (
    School,
    SchoolInvitation,
    SchoolMembership,
    VerificationStatus,
)

INVITATION_SALT = "schools.invitation"
SCHOOL_FIELDS = [
    "name_zh_hans",
    "name_en",
    "district",
    "school_type",
    "ownership",
    "licence_number",
    "address",
    "contact_phone",
    "website",
]


def _tell_existing_owner(*, email: str, attempt: str, school: str) -> None:
    from ..tasks import send_existing_account_notice

    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        send_existing_account_notice.delay_on_commit(owner.pk, attempt, school)


def _check_email_free(email: str, field: str = "email") -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {field: gettext("An account with this email address already exists.")}
        )


def _liaisons(school: School) -> list[User]:
    # Verification news goes to the liaison(s) only: they registered the school and act for it.
    return [
        m.user
        for m in SchoolMembership.objects.select_related("user").filter(
            school=school, is_liaison=True, is_active=True
        )
    ]


def _set_status(*, actor: Any, school: School, status: str, reason: str = "") -> School:
    require_center_staff(actor)
    locked = School.objects.select_for_update().get(pk=school.pk)
    # Verifying clears an earlier rejection's reason; rejecting empties verified_at, so the
    # date always belongs to the current verification.
    transition(
        locked,
        status,
        actor=actor,
        transitions=School.TRANSITIONS,
        field="verification_status",
        action=f"school.{status}",
        reason=reason,
        extra={
            "rejection_reason": reason,
            "verified_at": timezone.now() if status == VerificationStatus.VERIFIED else None,
        },
        audit_fields=["rejection_reason"],
    )
    return locked


@transaction.atomic
def school_verify(*, actor: Any, school: School) -> School:
    """Mark a pending (or rejected) school verified and tell its liaison (center only); audited."""
    school = _set_status(actor=actor, school=school, status=VerificationStatus.VERIFIED)
    for liaison in _liaisons(school):
        notify(
            recipient=liaison,
            kind="school.verified",
            title=_("Your school %(school)s was verified"),
            body=_("The service center verified %(school)s. You can now post vacancies."),
            params={"school": school.name},
            url=reverse("dashboards:school"),
        )
    return school


@transaction.atomic
def school_reject(*, actor: Any, school: School, reason: str) -> School:
    """Reject a pending school with a reason and tell its liaison (center only); audited."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Give the reason for the rejection.")})
    school = _set_status(
        actor=actor, school=school, status=VerificationStatus.REJECTED, reason=reason
    )
    for liaison in _liaisons(school):
        notify(
            recipient=liaison,
            kind="school.rejected",
            title=_("Your school %(school)s was not verified"),
            body=_("The service center could not verify %(school)s: %(reason)s"),
            params={"school": school.name, "reason": reason},
            url=reverse("dashboards:school"),
        )
    return school


def school_liaison_require(actor: Any, school: School) -> SchoolMembership:
    """Return the actor's liaison membership of the school; PermissionDenied if they are not."""
    membership = (
        SchoolMembership.objects.filter(user=actor, school=school, is_active=True, is_liaison=True)
        .select_related("school")
        .first()
    )
    if membership is None:
        raise PermissionDenied(gettext("Only the school's foreign-affairs liaison may do this."))
    return membership


def invitation_token(invitation: SchoolInvitation) -> str:
    """Return the signed token that goes into the invitation link."""
    # Signed rather than stored: a link cannot be forged from a guessed code, and the row's
    # accepted_at / expires_at still decide whether it may be used.
    return signing.dumps(str(invitation.code), salt=INVITATION_SALT)


@transaction.atomic
def school_invitation_create(*, actor: Any, school: School, email: str) -> SchoolInvitation:
    """Invite a colleague to the school by email (liaison only); audited; emailed after commit."""
    school_liaison_require(actor, school)
    email = email.strip().lower()
    # No "already has an account" here: the email task tells that address's owner instead.
    valid_days = policy_settings_get().invitation_valid_days
    invitation = SchoolInvitation(
        school=school,
        email=email,
        invited_by=actor,
        language=actor.language,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="school.invite", target=school, after={"email": email})
    from ..tasks import send_invitation_email

    send_invitation_email.delay_on_commit(invitation.pk)
    return invitation


def invitation_from_token(token: str) -> SchoolInvitation:
    """Return the invitation a link points at; ValidationError if broken, used or expired."""
    try:
        code = signing.loads(token, salt=INVITATION_SALT)
        invitation = SchoolInvitation.objects.select_related("school").get(code=code)
    except (signing.BadSignature, SchoolInvitation.DoesNotExist, ValueError) as exc:
        raise ValidationError(gettext("This invitation link is not valid.")) from exc
    if invitation.accepted_at is not None:
        raise ValidationError(
            gettext("This invitation has already been used. Sign in with your email address.")
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            gettext("This invitation has expired. Ask your school's liaison for a new one.")
        )
    return invitation


@transaction.atomic
def school_invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Accept an invitation: create the verified school-staff login and membership; audited."""
    invitation = invitation_from_token(token)
    # Two clicks on one link: the second waits on this lock, then finds the invitation used.
    invitation = SchoolInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(gettext("This invitation has already been used."))
    _check_email_free(invitation.email)
    user = User(
        email=invitation.email,
        full_name=full_name,
        role=Role.SCHOOL_STAFF,
        language=invitation.language,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    # The emailed link proves the address belongs to the invitee.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    SchoolMembership.objects.create(user=user, school=invitation.school)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user, action="school.join", target=invitation.school, after={"email": user.email}
    )
    return user


@transaction.atomic
def school_staff_deactivate(*, actor: Any, membership: SchoolMembership) -> SchoolMembership:
    """End a colleague's membership and disable their login (liaison only); audited."""
    school_liaison_require(actor, membership.school)
    membership = (
        SchoolMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    )
    if membership.user_id == actor.pk:
        raise ValidationError(gettext("You cannot deactivate your own account."))
    if not membership.is_active:
        raise ValidationError(gettext("This colleague has already been deactivated."))
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    # A school-staff login serves one school: a colleague who left must not sign in again,
    # but the account row stays because the audit trail and the vacancies they wrote name it.
    User.objects.filter(pk=membership.user_id).update(is_active=False)
    audit_record(
        actor=actor,
        action="school.staff_deactivate",
        target=membership.school,
        before={"email": membership.user.email, "is_active": True},
        after={"email": membership.user.email, "is_active": False},
    )
    return membership


@transaction.atomic
def school_save_by_center(*, actor: Any, school: School, changed: list[str]) -> School:
    """Save a school's details edited by center staff in admin; audited."""
    require_center_staff(actor)
    before = None
    if school.pk:
        # The admin form already changed `school` in memory: read the stored row for "before".
        before = model_snapshot(School.objects.get(pk=school.pk), changed)
    school.full_clean()
    school.save()
    audit_record(
        actor=actor,
        action="school.change" if before is not None else "school.create",
        target=school,
        before=before,
        after=model_snapshot(school, changed),
    )
    return school


@transaction.atomic
def school_liaison_transfer(*, actor: Any, membership: SchoolMembership) -> SchoolMembership:
    """Make an active colleague the school's liaison (current liaison or center staff); audited."""
    if not is_center_staff_actor(actor):
        school_liaison_require(actor, membership.school)
    # Handovers of one school queue on its row, so two at once cannot leave two liaisons.
    School.objects.select_for_update().get(pk=membership.school_id)
    membership = (
        SchoolMembership.objects.select_for_update()
        .select_related("user", "school")
        .get(pk=membership.pk)
    )
    if not membership.is_active:
        raise ValidationError(gettext("A deactivated colleague cannot become the liaison."))
    if membership.is_liaison:
        return membership
    # One liaison per school: whoever holds the role loses it in the same transaction.
    previous = list(
        SchoolMembership.objects.select_for_update().filter(
            school=membership.school, is_liaison=True
        )
    )
    SchoolMembership.objects.filter(pk__in=[m.pk for m in previous]).update(is_liaison=False)
    membership.is_liaison = True
    membership.save(update_fields=["is_liaison"])
    audit_record(
        actor=actor,
        action="school.liaison_transfer",
        target=membership.school,
        before={"liaison": [m.user_id for m in previous]},
        after={"liaison": membership.user_id},
    )
    notify(
        recipient=membership.user,
        kind="school.liaison",
        title=_("You are now the foreign-affairs liaison of %(school)s"),
        body=_("You can now invite and deactivate colleagues and keep the school's profile."),
        params={"school": membership.school.name},
        url=reverse("dashboards:school"),
    )
    return membership
