from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors

from . import services
from .forms import LanguageForm, PreferencesForm


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the UI language, remember it (cookie; and on the user when signed in)."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("home")
    language = form.cleaned_data["language"]
    next_url = form.cleaned_data["next"]
    if next_url and url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        next_url = translate_url(next_url, language)
    else:
        with translation.override(language):
            next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 24 * 3600
    )
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_preferences(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            with translation.override(request.user.language):
                messages.success(request, _("Your preferences were saved."))
                return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


def admin_login(request: HttpRequest) -> HttpResponse:
    """Send the admin's own login to allauth's, keeping `next`: one way in, with MFA and limits."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        # allauth would send a signed-in user straight back to `next`: a loop for non-staff.
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
