"""School pages: anonymised candidates the service center suggested for a vacancy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import school_staff_required
from apps.core.forms import add_service_messages
from apps.vacancies.selectors import vacancy_get_for_school

from .. import selectors, services
from ..forms import InviteForm
from ..models import Recommendation
from ..selectors.candidates import candidate_row, candidate_rows_for_vacancy


def _candidates_context(request: HttpRequest, code) -> dict:
    vacancy = vacancy_get_for_school(user=request.user, code=code, owner_only=True, details=False)
    cards = candidate_rows_for_vacancy(user=request.user, vacancy=vacancy)
    return {"vacancy": vacancy, "cards": cards, "invite_form": InviteForm()}


@school_staff_required
def candidates(request: HttpRequest, code) -> HttpResponse:
    context = _candidates_context(request, code)
    return render(request, "matching/school_candidates.html", context)


@school_staff_required
def candidates_panel(request: HttpRequest, code) -> HttpResponse:
    context = _candidates_context(request, code)
    context["next"] = reverse("vacancies:school_detail", args=[context["vacancy"].code])
    return render(request, "matching/school_candidates_panel.html", context)


@school_staff_required
def candidate_detail(request: HttpRequest, code) -> HttpResponse:
    card = selectors.candidate_card_get(user=request.user, code=code)
    context = {
        "vacancy": card.recommendation.vacancy,
        "card": candidate_row(card),
        "invite_form": InviteForm(),
    }
    return render(request, "matching/school_candidate.html", context)


def _back(request: HttpRequest, recommendation: Recommendation) -> HttpResponse:
    # The vacancy page's panel posts with next= so the clerk stays on the vacancy page.
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("matching:school_candidates", code=recommendation.vacancy.code)


@school_staff_required
@require_POST
def invite(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_school(user=request.user, code=code)
    form = InviteForm(request.POST)
    if not form.is_valid():
        add_service_messages(request, ValidationError(list(form.errors.get("message", []))))
        return _back(request, recommendation)
    try:
        services.recommendation_invite(
            actor=request.user,
            recommendation=recommendation,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("The teacher was invited to apply and has been notified."))
    return _back(request, recommendation)


@school_staff_required
@require_POST
def dismiss(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_school(user=request.user, code=code)
    try:
        services.recommendation_dismiss(actor=request.user, recommendation=recommendation)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("The candidate was taken off your list."))
    return _back(request, recommendation)
