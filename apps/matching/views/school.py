"""School pages: anonymised candidates the service center suggested for a vacancy."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import school_staff_required
from apps.teachers.experience import experience_years
from apps.teachers.models import DegreeLevel
from apps.vacancies.selectors import vacancy_get_for_school

from .. import selectors, services
from ..explanations import ComponentLine, component_lines
from ..forms import InviteForm
from ..models import Recommendation


@dataclass(frozen=True)
class CandidateCard:
    """What a school may know about a suggested teacher: no name, contact, passport or photo."""

    recommendation: Recommendation
    category: str
    subjects: list[str]
    levels: list[str]
    degree: str
    experience_years: int
    chinese_level: str
    has_certificate: bool
    earliest_start: date | None
    lines: list[ComponentLine]


def _cards(recommendations: list[Recommendation]) -> list[CandidateCard]:
    # Lookups the selector already prefetched are skipped, so this adds at most two queries.
    prefetch_related_objects(
        recommendations,
        "teacher__subjects",
        "teacher__levels",
        "teacher__experiences",
        "teacher__certificates",
    )
    today = timezone.localdate()
    cards = []
    for recommendation in recommendations:
        teacher = recommendation.teacher
        periods = [(e.started_on, e.ended_on) for e in teacher.experiences.all()]
        degree = max(teacher.degree_level or 0, teacher.china_degree_level or 0)
        cards.append(
            CandidateCard(
                recommendation=recommendation,
                category=teacher.get_category_display() or "",
                subjects=[str(subject) for subject in teacher.subjects.all()],
                levels=[str(level) for level in teacher.levels.all()],
                degree=str(DegreeLevel(degree).label),
                experience_years=int(experience_years(periods, on=today)),
                chinese_level=teacher.get_chinese_level_display(),
                has_certificate=bool(teacher.certificates.all()),
                earliest_start=teacher.earliest_start,
                lines=component_lines(recommendation.components, recommendation.weights),
            )
        )
    return cards


def _candidates_context(request: HttpRequest, code) -> dict:
    vacancy = vacancy_get_for_school(user=request.user, code=code, owner_only=True)
    recommendations = selectors.recommendations_for_vacancy(user=request.user, vacancy=vacancy)
    return {"vacancy": vacancy, "cards": _cards(recommendations), "invite_form": InviteForm()}


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
    recommendation = selectors.recommendation_get_for_school(user=request.user, code=code)
    context = {
        "vacancy": recommendation.vacancy,
        "card": _cards([recommendation])[0],
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


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@school_staff_required
@require_POST
def invite(request: HttpRequest, code) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_school(user=request.user, code=code)
    form = InviteForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, ValidationError(list(form.errors.get("message", []))))
        return _back(request, recommendation)
    try:
        services.recommendation_invite(
            actor=request.user,
            recommendation=recommendation,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
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
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("The candidate was taken off your list."))
    return _back(request, recommendation)
