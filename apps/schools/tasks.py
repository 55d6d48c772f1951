from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import SchoolInvitation


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
    with translation.override(invitation.language):
        path = reverse("schools:invitation_accept", args=[invitation_token(invitation)])
        context = {
            "invitation": invitation,
            "url": f"{settings.SITE_URL.rstrip('/')}{path}",
            "school": invitation.school.name,
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
        }
        subject = render_to_string("schools/email/invitation_subject.txt", context).strip()
        body = render_to_string("schools/email/invitation.txt", context)
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body,
        None,
        [invitation.email],
    )
    return "sent"
