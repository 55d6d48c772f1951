from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils import translation

from .models import Language, Role


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
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
