"""Suggestions the center pushes to schools, and what schools and teachers do with them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from apps.accounts.permissions import require_center_staff
from apps.applications.models import Application
from apps.applications.services import application_apply, school_recipients
from apps.core.services import audit_record, model_snapshot
from apps.core.transitions import transition
from apps.notifications.services import notify
from apps.vacancies.selectors import vacancy_owned_by

from ..loader import unsuggestible_reasons, vacancy_candidates
from ..models import (
    MatchRun,
    MatchSuggestion,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    RunKind,
    RunStatus,
)
from ..selectors import suggestible_teacher_ids

RECOMMENDATION_FIELDS = ["kind", "status", "score", "run_id", "application_id", "message"]
PUSHED_TITLE = ngettext_lazy(
    "The service center suggests %(count)s candidate for %(vacancy)s",
    "The service center suggests %(count)s candidates for %(vacancy)s",
    "count",
)
PROPOSED_TITLE = ngettext_lazy(
    "The service center's stable round proposes %(count)s applicant for %(vacancy)s",
    "The service center's stable round proposes %(count)s applicants for %(vacancy)s",
    "count",
)
INVITED_TITLE = gettext_lazy("%(school)s invites you to apply for %(vacancy)s")


def _move(recommendation: Recommendation, target: str, *, actor: Any, **values: Any) -> None:
    try:
        transition(
            recommendation,
            target,
            actor=actor,
            transitions=Recommendation.TRANSITIONS,
            action=f"matching.recommendation_{target}",
            extra={"status_changed_at": timezone.now(), **values},
            audit_fields=RECOMMENDATION_FIELDS,
        )
    except ValidationError as error:
        if error.code != "invalid_transition":
            raise
        # Both sides click on the same card: say where it stands rather than name the move.
        raise ValidationError(
            _("This suggestion is already %(status)s.")
            % {"status": recommendation.get_status_display().lower()}
        ) from error


@dataclass(frozen=True)
class SkippedPush:
    """A selected pair that was not pushed, and why (a code of explanations.PUSH_SKIP_TEXTS)."""

    suggestion: MatchSuggestion
    code: str
    # The teacher can no longer be suggested: pages show them without their name.
    teacher_hidden: bool


@dataclass(frozen=True)
class PushOutcome:
    """What a push did: how many pairs reached their schools, and the ones skipped with why."""

    pushed: int
    skipped: list[SkippedPush] = field(default_factory=list)


def _locked(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("vacancy", "vacancy__school", "teacher", "teacher__user")
        .get(pk=recommendation.pk)
    )


@transaction.atomic
def recommendations_push(*, actor: Any, run: MatchRun, suggestion_ids: list[int]) -> PushOutcome:
    """Show the selected pairs of a finished run to the vacancies' schools; say what was skipped.

    A pair already pushed and not yet acted on is refreshed with this run's score; a pair a
    school or teacher already acted on, or pushed as the other kind, is left as it is, and a
    suggestion is not pushed for a teacher who already applied. Teachers who are no longer
    verified, opted in, eligible, off the black list and available for hiring, and vacancies
    closed or filled since the run, are skipped. Every skipped pair is returned with its reason.
    """
    require_center_staff(actor)
    if run.status != RunStatus.DONE:
        raise ValidationError(_("Only the results of a finished run can be pushed to schools."))
    selected = MatchSuggestion.objects.filter(run=run, pk__in=suggestion_ids)
    if not selected.exists():
        raise ValidationError(_("Select at least one suggestion to push."))
    chosen = list(selected.select_related("vacancy", "vacancy__school", "teacher"))
    # Only vacancies still published with an open post: one closed since the run is skipped.
    still_open = set(
        vacancy_candidates()
        .filter(pk__in={s.vacancy_id for s in chosen})
        .values_list("pk", flat=True)
    )
    skipped: list[SkippedPush] = []
    barred = unsuggestible_reasons({s.teacher_id for s in chosen})

    def skip(suggestion: MatchSuggestion, code: str) -> None:
        hidden = suggestion.teacher_id in barred
        skipped.append(SkippedPush(suggestion, code, hidden))

    suggestions = []
    for suggestion in chosen:
        if suggestion.vacancy_id not in still_open:
            skip(suggestion, "vacancy_closed")
        elif suggestion.teacher_id in barred:
            skip(suggestion, barred[suggestion.teacher_id])
        else:
            suggestions.append(suggestion)
    kind = (
        RecommendationKind.PROPOSAL if run.kind == RunKind.STABLE else RecommendationKind.SUGGESTION
    )
    applications = {
        (a.teacher_id, a.vacancy_id): a
        for a in Application.objects.filter(
            teacher_id__in={s.teacher_id for s in suggestions},
            vacancy_id__in={s.vacancy_id for s in suggestions},
        )
    }
    existing = {
        (r.teacher_id, r.vacancy_id): r
        for r in Recommendation.objects.select_for_update().filter(
            teacher_id__in={s.teacher_id for s in suggestions},
            vacancy_id__in={s.vacancy_id for s in suggestions},
        )
    }
    pushed_per_vacancy: dict[int, list[Recommendation]] = defaultdict(list)
    for suggestion in suggestions:
        key = (suggestion.teacher_id, suggestion.vacancy_id)
        if kind == RecommendationKind.SUGGESTION and key in applications:
            skip(suggestion, "applied")  # the school sees them among its applicants
            continue
        recommendation = existing.get(key)
        if recommendation is not None and (
            recommendation.status != RecommendationStatus.PUSHED or recommendation.kind != kind
        ):
            skip(suggestion, "acted_on")
            continue
        recommendation = recommendation or Recommendation(
            teacher_id=suggestion.teacher_id, vacancy=suggestion.vacancy
        )
        recommendation.kind = kind
        recommendation.run = run
        recommendation.score = suggestion.score
        recommendation.components = suggestion.components
        recommendation.weights = run.weights
        recommendation.pushed_by = actor
        recommendation.application = applications.get(key)
        recommendation.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                recommendation.save()
        except IntegrityError:
            skip(suggestion, "pushed_meanwhile")  # a colleague's push stands
            continue
        audit_record(
            actor=actor,
            action="matching.recommendation_pushed",
            target=recommendation,
            after=model_snapshot(recommendation, RECOMMENDATION_FIELDS),
        )
        pushed_per_vacancy[suggestion.vacancy_id].append(recommendation)
    for recommendations in pushed_per_vacancy.values():
        vacancy = recommendations[0].vacancy
        title = PROPOSED_TITLE if kind == RecommendationKind.PROPOSAL else PUSHED_TITLE
        url = reverse("matching:school_candidates", args=[vacancy.code])
        for user in school_recipients(vacancy):
            notify(
                recipient=user,
                kind="matching",
                title=title,
                params={"count": len(recommendations), "vacancy": vacancy.title_for_reader},
                url=url,
            )
    return PushOutcome(sum(len(r) for r in pushed_per_vacancy.values()), skipped)


def _ensure_school_of(actor: Any, recommendation: Recommendation) -> None:
    if not vacancy_owned_by(user=actor, vacancy=recommendation.vacancy):
        raise PermissionDenied


def _ensure_suggestion(recommendation: Recommendation) -> None:
    # A stable-round proposal is an application already: the school answers it with an offer
    # or a rejection in the normal flow, not with invite or "not interested".
    if recommendation.kind != RecommendationKind.SUGGESTION:
        raise ValidationError(_("A stable-round proposal is confirmed with an offer."))


def _ensure_teacher_of(actor: Any, recommendation: Recommendation) -> None:
    if recommendation.teacher.user_id is None or recommendation.teacher.user_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def recommendation_invite(
    *, actor: Any, recommendation: Recommendation, message: str = ""
) -> Recommendation:
    """Invite a suggested candidate to apply; the teacher is notified in their language."""
    recommendation = _locked(recommendation)
    _ensure_school_of(actor, recommendation)
    _ensure_suggestion(recommendation)
    if not vacancy_candidates().filter(pk=recommendation.vacancy_id).exists():
        raise ValidationError(_("This vacancy is no longer open."))
    if recommendation.teacher_id not in suggestible_teacher_ids({recommendation.teacher_id}):
        raise ValidationError(_("This candidate can no longer be suggested to schools."))
    if Application.objects.filter(
        teacher_id=recommendation.teacher_id, vacancy_id=recommendation.vacancy_id
    ).exists():
        raise ValidationError(_("This candidate has already applied: see your applicants."))
    _move(
        recommendation,
        RecommendationStatus.INVITED,
        actor=actor,
        invited_by=actor,
        invited_at=timezone.now(),
        message=message.strip(),
    )
    user = recommendation.teacher.user
    if user is not None:
        school = recommendation.vacancy.school
        notify(
            recipient=user,
            kind="matching",
            title=INVITED_TITLE,
            body=message.strip(),
            params={"school": school.name, "vacancy": recommendation.vacancy.title_for_reader},
            url=reverse("matching:teacher_suggestions"),
        )
    return recommendation


@transaction.atomic
def recommendation_dismiss(*, actor: Any, recommendation: Recommendation) -> Recommendation:
    """Take a suggested candidate off the school's list."""
    recommendation = _locked(recommendation)
    _ensure_school_of(actor, recommendation)
    _ensure_suggestion(recommendation)
    _move(recommendation, RecommendationStatus.DISMISSED, actor=actor)
    return recommendation


@transaction.atomic
def recommendation_apply(*, actor: Any, recommendation: Recommendation) -> Application:
    """Apply to the suggested vacancy with one click, through the normal application flow."""
    recommendation = _locked(recommendation)
    _ensure_teacher_of(actor, recommendation)
    if RecommendationStatus.APPLIED not in Recommendation.TRANSITIONS[recommendation.status]:
        raise ValidationError(_("This suggestion is no longer open."))
    application = application_apply(actor=actor, vacancy=recommendation.vacancy)
    _move(recommendation, RecommendationStatus.APPLIED, actor=actor, application=application)
    return application


@transaction.atomic
def recommendation_decline(*, actor: Any, recommendation: Recommendation) -> Recommendation:
    """Decline a school's invitation (the school sees it was declined)."""
    recommendation = _locked(recommendation)
    _ensure_teacher_of(actor, recommendation)
    _move(recommendation, RecommendationStatus.DECLINED, actor=actor)
    return recommendation


@transaction.atomic
def recommendations_mark_applied(*, application: Application) -> int:
    """Close the open suggestion of a pair whose teacher applied the normal way."""
    moved = 0
    open_ones = Recommendation.objects.select_for_update().filter(
        teacher_id=application.teacher_id,
        vacancy_id=application.vacancy_id,
        kind=RecommendationKind.SUGGESTION,
        status__in=(RecommendationStatus.PUSHED, RecommendationStatus.INVITED),
    )
    for recommendation in open_ones:
        _move(
            recommendation,
            RecommendationStatus.APPLIED,
            actor=application.teacher.user,
            application=application,
        )
        moved += 1
    return moved
