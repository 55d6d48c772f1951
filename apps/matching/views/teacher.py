"""Teacher pages: vacancies suggested to me, schools' invitations, one-click apply."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.permissions import teacher_required
from apps.core.forms import add_service_messages
from apps.teachers.selectors import teacher_for_user

from .. import selectors, services
from ..caching import teacher_matching_get
from ..explanations import component_lines, main_reasons
from ..selectors import SuggestionBlock
from ..selectors.suggestions import SUGGESTIONS_SHOWN


@dataclass(frozen=True)
class NoSuggestions:
    """Why the teacher gets no suggestions, in one sentence, and where to fix it."""

    reason: str
    fix_url: str
    fix_label: str


# What to tell a teacher for each reason the selector gives: (sentence, page, link text).
BLOCK_TEXTS = {
    SuggestionBlock.UNVERIFIED: (
        gettext_lazy("You get no suggestions until the service center has verified your profile."),
        ("dashboards:teacher", []),
        gettext_lazy("See what is missing"),
    ),
    SuggestionBlock.OPTED_OUT: (
        gettext_lazy("You get no suggestions because you chose not to be suggested to schools."),
        ("teachers:profile_step", ["preferences"]),
        gettext_lazy("Change this setting"),
    ),
    SuggestionBlock.BLACKLISTED: (
        gettext_lazy("You get no suggestions while a credit restriction on you is in force."),
        ("dashboards:teacher", []),
        gettext_lazy("Open your dashboard"),
    ),
    SuggestionBlock.EMPLOYED: (
        gettext_lazy(
            "You get no suggestions while you are employed by a school: they resume when your "
            "employment ends."
        ),
        ("employment:teacher_list", []),
        gettext_lazy("See your employment"),
    ),
    SuggestionBlock.OFFER_ACCEPTED: (
        gettext_lazy(
            "You get no suggestions while you hold an accepted offer: the school is confirming "
            "your hire."
        ),
        ("applications:teacher_list", []),
        gettext_lazy("See your applications"),
    ),
    SuggestionBlock.ADMISSION: (
        gettext_lazy("You get no suggestions until you meet every rule of the admission standard."),
        ("dashboards:teacher", []),
        gettext_lazy("See what is missing"),
    ),
}


def _blocked(request: HttpRequest, **known) -> NoSuggestions | None:
    block = selectors.teacher_suggestion_block(user=request.user, **known)
    if block is None:
        return None
    reason, (url_name, args), label = BLOCK_TEXTS[block]
    return NoSuggestions(str(reason), reverse(url_name, args=args), str(label))


@teacher_required
def suggestions(request: HttpRequest) -> HttpResponse:
    # Today's admission result serves the list and the reason it is empty (cached per teacher).
    teacher = teacher_for_user(user=request.user)
    items, admission = [], None
    if teacher is not None:
        matching = teacher_matching_get(teacher=teacher, on=timezone.localdate())
        items, admission = matching.suggested(SUGGESTIONS_SHOWN), matching.admission
    # Only an empty list needs a reason; the selector already checked the rules once.
    blocked = None if items else _blocked(request, teacher=teacher, admission=admission)
    context = {
        "blocked": blocked,
        "invitations": [item for item in items if item.is_invitation],
        "rows": [item for item in items if not item.is_invitation],
    }
    return render(request, "matching/teacher_suggestions.html", context)


@teacher_required
def suggestion_detail(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_teacher(user=request.user, code=code)
    blocked = _blocked(request)
    context = {
        "recommendation": recommendation,
        "vacancy": recommendation.vacancy,
        "blocked": blocked,
        "lines": component_lines(recommendation.components, recommendation.weights),
        "reasons": main_reasons(recommendation.components, recommendation.weights),
        "can_act": blocked is None,
    }
    return render(request, "matching/teacher_suggestion.html", context)


@teacher_required
@require_POST
def apply(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_teacher(user=request.user, code=code)
    try:
        application = services.recommendation_apply(
            actor=request.user, recommendation=recommendation
        )
    except ValidationError as error:
        add_service_messages(request, error)
        return redirect("matching:teacher_suggestions")
    messages.success(request, _("Your application was sent to the school."))
    return redirect(application.get_absolute_url())


@teacher_required
@require_POST
def decline(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_teacher(user=request.user, code=code)
    try:
        services.recommendation_decline(actor=request.user, recommendation=recommendation)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("You declined the invitation."))
    return redirect("matching:teacher_suggestions")
