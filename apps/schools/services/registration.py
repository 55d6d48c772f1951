"""Writes for school self-registration: a pending registration, then its emailed confirmation."""

import hashlib
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from apps.accounts.models import Role, User
from apps.core.models import District, SchoolType
from apps.core.services import audit_record, model_snapshot

from ..models import PendingSchoolRegistration, School, SchoolMembership
from .schools import SCHOOL_FIELDS, _tell_existing_owner

CONFIRM_SALT = "schools.registration"


def registration_token(pending: PendingSchoolRegistration) -> str:
    """Return the token that goes into the registration's confirmation link."""
    # An HMAC of the row's random code under SECRET_KEY: the mail task rebuilds it from the id,
    # so the token never travels through the broker, and only its hash is stored.
    return salted_hmac(CONFIRM_SALT, str(pending.code), algorithm="sha256").hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _email_taken(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def school_register(
    *,
    name_zh_hans: str,
    name_en: str,
    district: District,
    school_type: SchoolType,
    ownership: str,
    licence_number: str,
    address: str,
    contact_phone: str,
    website: str = "",
    liaison_email: str,
    liaison_name: str,
    liaison_password: str,
    language: str = "zh-hans",
) -> PendingSchoolRegistration | None:
    """Store a pending registration and email its confirmation link after commit.

    Nothing else is created and no licence number is checked until the link is confirmed.
    If the address already has an account, nothing is stored, None is returned and the owner
    is emailed instead: the answer must not tell anyone which addresses have accounts.
    Raises ValidationError for invalid school details or a weak password.
    """
    licence_number = licence_number.strip().upper()
    email = liaison_email.strip().lower()
    school = School(
        name=name_en or name_zh_hans,
        name_zh_hans=name_zh_hans,
        name_en=name_en,
        district=district,
        school_type=school_type,
        ownership=ownership,
        licence_number=licence_number,
        address=address,
        contact_phone=contact_phone,
        website=website,
    )
    # Uniqueness (the licence number) is checked at confirmation only: answering "already
    # registered" here would tell a prober whether an earlier registration was confirmed.
    school.full_clean(validate_unique=False)
    user = User(email=email, full_name=liaison_name, role=Role.SCHOOL_STAFF, language=language)
    # Every check a new address gets, an existing one gets too, before the two part ways.
    try:
        validate_password(liaison_password, user)
    except ValidationError as exc:
        raise ValidationError({"liaison_password": exc.messages}) from exc
    # Hashed before the paths part, so both take the hasher's time (no timing difference).
    user.set_password(liaison_password)
    user.full_clean(validate_unique=False)
    if _email_taken(email):
        _tell_existing_owner(email=email, attempt="registration", school=school.name)
        return None
    pending = PendingSchoolRegistration(
        name_zh_hans=name_zh_hans,
        name_en=name_en,
        district=district,
        school_type=school_type,
        ownership=ownership,
        licence_number=licence_number,
        address=address,
        contact_phone=contact_phone,
        website=website,
        liaison_name=liaison_name,
        email=email,
        password=user.password,
        language=language,
        expires_at=timezone.now() + timedelta(days=settings.SCHOOL_REGISTRATION_VALID_DAYS),
    )
    pending.token_hash = _token_hash(registration_token(pending))
    pending.full_clean()
    pending.save()
    from ..tasks import send_registration_confirmation

    send_registration_confirmation.delay_on_commit(pending.pk)
    return pending


def pending_registration_from_token(token: str, *, lock: bool = False) -> PendingSchoolRegistration:
    """Return the pending registration a link points at; ValidationError if unknown/used/expired."""
    rows = PendingSchoolRegistration.objects.select_related("district", "school_type")
    if lock:
        rows = rows.select_for_update(of=("self",))
    pending = rows.filter(token_hash=_token_hash(token)).first()
    if pending is None:
        raise ValidationError(
            gettext(
                "This confirmation link is not valid or has expired. Please register the "
                "school again."
            ),
            code="invalid",
        )
    if pending.confirmed_at is not None:
        raise ValidationError(
            gettext(
                "This registration has already been confirmed. Sign in with the liaison's "
                "email address and password."
            ),
            code="used",
        )
    if pending.expires_at <= timezone.now():
        raise ValidationError(
            gettext("This confirmation link has expired. Please register the school again."),
            code="expired",
        )
    return pending


@transaction.atomic
def school_registration_confirm(*, token: str) -> School:
    """Create the pending school, its verified liaison login and membership; audited.

    Raises ValidationError for an unknown, used or expired link, a licence number registered
    meanwhile, or an address that has an account by now (nothing is created then).
    """
    # Two clicks on one link: the second waits on this lock, then finds the registration used.
    pending = pending_registration_from_token(token, lock=True)
    licence_taken = ValidationError(
        gettext(
            "A school with the licence number %(licence)s is already registered, so this "
            "registration could not be completed. If your school is registered already, ask its "
            "foreign-affairs liaison to invite you; otherwise contact the service center."
        )
        % {"licence": pending.licence_number},
        code="licence_taken",
    )
    # The confirmer proved they own the address, so they may be told it has an account.
    email_taken = ValidationError(
        gettext(
            "The address %(email)s already has an account, so this registration could not be "
            "completed. Sign in, or reset your password if you forgot it."
        )
        % {"email": pending.email},
        code="email_taken",
    )
    if School.objects.filter(licence_number__iexact=pending.licence_number).exists():
        raise licence_taken
    if _email_taken(pending.email):
        raise email_taken
    user = User(
        email=pending.email,
        full_name=pending.liaison_name,
        role=Role.SCHOOL_STAFF,
        language=pending.language,
        password=pending.password,
    )
    user.full_clean(exclude=["email"])
    try:
        # A simultaneous confirmation of another registration of the same address loses here.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise email_taken from exc
    school = School(
        name=pending.name_en or pending.name_zh_hans,
        name_zh_hans=pending.name_zh_hans,
        name_en=pending.name_en,
        district=pending.district,
        school_type=pending.school_type,
        ownership=pending.ownership,
        licence_number=pending.licence_number,
        address=pending.address,
        contact_phone=pending.contact_phone,
        website=pending.website,
    )
    school.full_clean(validate_unique=False)
    try:
        # A simultaneous confirmation of the same licence waits on the unique index, then loses.
        with transaction.atomic():
            school.save()
    except IntegrityError as exc:
        raise licence_taken from exc
    # Opening the emailed link proved the address belongs to the liaison.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    membership = SchoolMembership(user=user, school=school, is_liaison=True)
    membership.full_clean()
    membership.save()
    pending.confirmed_at = timezone.now()
    pending.save(update_fields=["confirmed_at"])
    audit_record(
        actor=user,
        action="school.register",
        target=school,
        after=model_snapshot(school, SCHOOL_FIELDS) | {"liaison": user.email},
    )
    return school


def pending_registrations_purge() -> int:
    """Delete pending registrations whose link has expired; return how many were deleted."""
    deleted, _ = PendingSchoolRegistration.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
