from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import User
from apps.core.site import email_subject

from .models import PendingSchoolRegistration, SchoolInvitation


@shared_task(
    name="schools.send_invitation_email", autoretry_for=(OSError,), retry_backoff=30, max_retries=4
)
def send_invitation_email(invitation_id: int) -> str:
    """Email the invitation link in the inviter's language; skip accepted invitations."""
    from .services import invitation_token

    invitation = (
        SchoolInvitation.objects.select_related("school", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return "skipped"
    owner = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if owner is not None:
        # The inviter was told "sent" either way; the address's owner learns what happened.
        _send_existing_account_notice(owner, attempt="invitation", school=invitation.school.name)
        return "existing_account"
    with translation.override(invitation.language):
        path = reverse("schools:invitation_accept", args=[invitation_token(invitation)])
        context = {
            "invitation": invitation,
            "url": f"{settings.SITE_URL.rstrip('/')}{path}",
            "school": invitation.school.name,
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
        }
        subject = email_subject(
            render_to_string("schools/email/invitation_subject.txt", context).strip()
        )
        body = render_to_string("schools/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return "sent"


@shared_task(
    name="schools.send_existing_account_notice",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=4,
)
def send_existing_account_notice(user_id: int, attempt: str, school: str) -> str:
    """Tell an account's owner that someone tried to register or invite with their address."""
    owner = User.objects.filter(pk=user_id, is_active=True).first()
    if owner is None:
        return "skipped"
    _send_existing_account_notice(owner, attempt=attempt, school=school)
    return "sent"


def _send_existing_account_notice(owner: User, *, attempt: str, school: str) -> None:
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        site = settings.SITE_URL.rstrip("/")
        context = {
            "attempt": attempt,
            "school": school,
            "email": owner.email,
            "login_url": f"{site}{reverse('account_login')}",
            "reset_url": f"{site}{reverse('account_reset_password')}",
        }
        subject = email_subject(
            render_to_string("schools/email/existing_account_subject.txt", context).strip()
        )
        body = render_to_string("schools/email/existing_account.txt", context)
    send_mail(subject, body, None, [owner.email])


@shared_task(
    name="schools.send_registration_confirmation",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=4,
)
def send_registration_confirmation(pending_id: int) -> str:
    """Email a pending school registration its confirmation link in the registrant's language."""
    from .services import registration_token

    pending = PendingSchoolRegistration.objects.filter(
        pk=pending_id, confirmed_at__isnull=True
    ).first()
    if pending is None:
        return "skipped"
    with translation.override(pending.language):
        path = reverse("schools:registration_confirm", args=[registration_token(pending)])
        context = {
            "pending": pending,
            "school": pending.name_en or pending.name_zh_hans,
            "url": f"{settings.SITE_URL.rstrip('/')}{path}",
        }
        subject = email_subject(
            render_to_string("schools/email/registration_confirm_subject.txt", context).strip()
        )
        body = render_to_string("schools/email/registration_confirm.txt", context)
    send_mail(subject, body, None, [pending.email])
    return "sent"


@shared_task(name="schools.purge_pending_registrations")
def purge_pending_registrations() -> int:
    """Delete school registrations whose confirmation link has expired."""
    from .services import pending_registrations_purge

    return pending_registrations_purge()
