"""Teacher pages: vacancies suggested to me, schools' invitations, one-click apply."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import teacher_required
from apps.credit.selectors import teacher_is_blacklisted
from apps.teachers.models import Teacher, TeacherStatus
from apps.teachers.selectors import teacher_for_user

from .. import selectors, services
from ..explanations import ComponentLine, component_lines, main_reasons
from ..models import RecommendationStatus
from ..selectors import SuggestedVacancy


@dataclass(frozen=True)
class NoSuggestions:
    """Why the teacher gets no suggestions, in one sentence, and where to fix it."""

    reason: str
    fix_url: str
    fix_label: str


def no_suggestions_reason(teacher: Teacher | None) -> NoSuggestions | None:
    """Return why the teacher is not suggested to schools, or None when they are."""
    dashboard = reverse("dashboards:teacher")
    if teacher is None or teacher.status != TeacherStatus.VERIFIED:
        return NoSuggestions(
            _("You get no suggestions until the service center has verified your profile."),
            dashboard,
            _("See what is missing"),
        )
    if not teacher.open_to_suggestions:
        return NoSuggestions(
            _("You get no suggestions because you chose not to be suggested to schools."),
            reverse("teachers:profile_step", args=["preferences"]),
            _("Change this setting"),
        )
    if teacher.pk in selectors.suggestible_teacher_ids({teacher.pk}):
        return None
    if teacher_is_blacklisted(teacher, on=timezone.localdate()):
        return NoSuggestions(
            _("You get no suggestions while you are on the credit black list."),
            dashboard,
            _("Open your dashboard"),
        )
    return NoSuggestions(
        _("You get no suggestions until you meet every rule of the admission standard."),
        dashboard,
        _("See what is missing"),
    )


def suggestion_rows(
    items: list[SuggestedVacancy],
) -> list[tuple[SuggestedVacancy, list[ComponentLine]]]:
    """Pair each suggested vacancy with its main reasons (districts fetched in one query)."""
    prefetch_related_objects([item.vacancy for item in items], "school__district")
    return [(item, main_reasons(item.components, item.weights)) for item in items]


@teacher_required
def suggestions(request: HttpRequest) -> HttpResponse:
    items = selectors.teacher_suggested_vacancies(user=request.user, limit=20)
    # Only an empty list needs a reason; the selector already checked the rules once.
    blocked = None if items else no_suggestions_reason(teacher_for_user(user=request.user))
    rows = suggestion_rows(items)
    context = {
        "blocked": blocked,
        "invitations": [row for row in rows if _is_invitation(row[0])],
        "rows": [row for row in rows if not _is_invitation(row[0])],
    }
    return render(request, "matching/teacher_suggestions.html", context)


def _is_invitation(item: SuggestedVacancy) -> bool:
    recommendation = item.recommendation
    return recommendation is not None and recommendation.status == RecommendationStatus.INVITED


@teacher_required
def suggestion_detail(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_teacher(user=request.user, code=code)
    prefetch_related_objects([recommendation.vacancy], "school__district")
    blocked = no_suggestions_reason(recommendation.teacher)
    context = {
        "recommendation": recommendation,
        "vacancy": recommendation.vacancy,
        "blocked": blocked,
        "lines": component_lines(recommendation.components, recommendation.weights),
        "reasons": main_reasons(recommendation.components, recommendation.weights),
        "can_act": blocked is None,
    }
    return render(request, "matching/teacher_suggestion.html", context)


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@teacher_required
@require_POST
def apply(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_teacher(user=request.user, code=code)
    try:
        application = services.recommendation_apply(
            actor=request.user, recommendation=recommendation
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
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
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("You declined the invitation."))
    return redirect("matching:teacher_suggestions")
