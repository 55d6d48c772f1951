from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils import timezone, translation

from apps.core.site import email_subject, site_domain, site_name

from .models import Language, Role
from .zones import user_timezone


class AccountAdapter(DefaultAccountAdapter):
    """Public sign-up creates teachers only; schools register through their own form."""

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user.role = Role.TEACHER
        language = translation.get_language() or Language.ENGLISH
        user.language = Language.CHINESE if language.startswith("zh") else Language.ENGLISH
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Land in the user's own language whatever the login page was shown in.
        with translation.override(request.user.language):
            return resolve_url("dashboards:home")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language), timezone.override(user_timezone(user)):
            # "Hello from …" names the portal in the reader's language at its public address,
            # never the host the request happened to reach (127.0.0.1:8100 behind a proxy).
            site = SimpleNamespace(name=site_name(), domain=site_domain())
            super().send_mail(template_prefix, email, {"current_site": site, **context})

    def format_email_subject(self, subject: str) -> str:
        # Called inside send_mail's translation.override: the prefix is in the reader's language.
        return email_subject(subject)
