"""Two-factor authentication for the service center: required, and proven in each session.

allauth.mfa asks an enrolled user for a TOTP code at sign-in; this module makes enrolment
mandatory for center staff and superusers, refuses their sessions that did not pass that
stage, and keeps the helpers the demo seed and its `demo_totp_code` command use.
"""

import time
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

# The second factors allauth's sign-in stage asks for (recovery codes only back them up).
SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]

# Reachable by a signed-in staff user in any state: leaving, switching language, probes.
ALWAYS_ALLOWED = {"account_logout", "switch_language", "healthz"}
# Reachable by staff who have not enrolled yet: the enrolment page and what it may lead to
# (allauth asks for the password again when the sign-in is older than a few minutes, and
# refuses enrolment until the email address is verified).
ENROLMENT_ALLOWED = ALWAYS_ALLOWED | {
    "mfa_activate_totp",
    "mfa_index",
    "account_reauthenticate",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
}

ENROL_FIRST = _(
    "Service center accounts must use two-factor authentication. Add this portal to an "
    "authenticator app and enter the code it shows to continue."
)
SIGN_IN_AGAIN = _(
    "Your account uses two-factor authentication: sign in again and enter the code from "
    "your authenticator app."
)
STAFF_CANNOT_REMOVE = _("Service center accounts cannot turn off two-factor authentication.")


def mfa_required(user: Any) -> bool:
    """Whether this user must have a second factor: center staff and superusers."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_center_staff or user.is_staff or user.is_superuser)
    )


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether the signed-in user proved a second factor in this session.

    allauth keeps a log of the sign-in steps of the current session (password, mfa, …) and
    empties it when the session ends; a session opened without its MFA stage has no "mfa" step.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def has_second_factor(user: Any) -> bool:
    """Whether the user has enrolled an authenticator that sign-in asks for."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class StaffMFAMiddleware:
    """Serve center staff and superusers nothing until their session has passed MFA.

    Not enrolled yet → the TOTP enrolment page first. Enrolled but this session skipped the
    code (opened before enrolment, or by any path around allauth's stage) → signed out and
    sent to sign in again, so the code is asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._guard(request)
        if refused is not None:
            return refused
        enrolling = self._is_enrolment_post(request)
        response = self.get_response(request)
        if enrolling and has_second_factor(request.user):
            _record_enrolment(request)
        return response

    @staticmethod
    def _is_enrolment_post(request: HttpRequest) -> bool:
        return (
            request.method == "POST"
            and mfa_required(getattr(request, "user", None))
            and not session_passed_mfa(request)
            and _url_name(request) == "mfa_activate_totp"
            and not has_second_factor(request.user)
        )

    def _guard(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if not mfa_required(user) or session_passed_mfa(request):
            return None
        if request.path_info.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return None
        url_name = _url_name(request)
        if has_second_factor(user):
            if url_name in ALWAYS_ALLOWED:
                return None
            next_url = request.get_full_path()
            logout(request)
            messages.warning(request, SIGN_IN_AGAIN)
            return HttpResponseRedirect(
                f"{reverse('account_login')}?{urlencode({'next': next_url})}"
            )
        if url_name in ENROLMENT_ALLOWED:
            return None
        messages.warning(request, ENROL_FIRST)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


def _record_enrolment(request: HttpRequest) -> None:
    """Count a TOTP enrolment as this session's second factor: its form checked a code."""
    # allauth logs no "mfa" step for it, and the staff member would be signed out at once.
    authenticator = Authenticator.objects.filter(
        user_id=request.user.pk, type__in=SECOND_FACTOR_TYPES
    ).first()
    record_authentication(
        request, request.user, "mfa", id=authenticator.pk, type=authenticator.type
    )


class MFAAdapter(DefaultMFAAdapter):
    """Keeps staff from turning their second factor off (a new one replaces a lost phone)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": STAFF_CANNOT_REMOVE,
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not mfa_required(authenticator.user) and super().can_delete_authenticator(
            authenticator
        )


def totp_enrol(*, user: Any, secret: str) -> Authenticator:
    """Give the user a TOTP authenticator with this base32 secret (demo seed); idempotent."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return existing
    return TOTP.activate(user, secret).instance


def totp_secret(authenticator: Authenticator) -> str:
    """Return the base32 secret of a TOTP authenticator."""
    return decrypt(authenticator.data["secret"])


def totp_code_now(secret: str) -> str:
    """Return the code an authenticator app shows now for this base32 secret."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_uri(*, user: Any, secret: str) -> str:
    """Return the otpauth:// URI an authenticator app imports (what the QR code holds)."""
    return MFAAdapter().build_totp_url(user, secret)
