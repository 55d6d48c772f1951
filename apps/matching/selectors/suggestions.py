"""Reads for schools and teachers: pushed suggestions, candidate cards, suggested vacancies."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.admission.selectors import AdmissionResult
from apps.applications.models import Application
from apps.schools.selectors import school_for_user
from apps.teachers.models import Teacher
from apps.teachers.selectors import teacher_for_user
from apps.vacancies.models import Vacancy
from apps.vacancies.selectors import vacancy_owned_by

from ..compute import TEACHER_SHOWN
from ..explanations import component_lines, main_reasons, teacher_check
from ..loader import suggestible_teacher_ids, vacancy_candidates
from ..models import (
    MatchSuggestion,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    RunKind,
    RunStatus,
)

SUGGESTIONS_SHOWN = 20  # the teacher's suggestions page; the dashboard shows the first few
# What a suggestion card shows of a vacancy (with their translations): rows stay narrow.
CARD_VACANCY_FIELDS = (
    "code",
    "title",
    "contract_start",
    "salary_min",
    "salary_max",
    "school__name",
    "school__district__name",
)


def recommendations_for_vacancy(*, user, vacancy) -> list[Recommendation]:
    """Return the candidates suggested to the user's school for its vacancy (school staff)."""
    if not vacancy_owned_by(user=user, vacancy=vacancy):
        raise PermissionDenied
    shown = list(
        Recommendation.objects.filter(vacancy=vacancy)
        .exclude(status=RecommendationStatus.DISMISSED)
        .select_related("teacher", "application")
        .order_by("-score", "pk")
    )
    # The hard rules hold at read time too: a teacher who has since been black-listed,
    # unverified or opted out disappears from every list (read from the rows just loaded).
    visible = suggestible_teacher_ids(
        {r.teacher_id for r in shown}, teachers=[r.teacher for r in shown]
    )
    shown = [r for r in shown if r.teacher_id in visible]
    prefetch_related_objects(shown, "teacher__subjects", "teacher__levels")
    return shown


def recommendation_get_for_school(*, user, code) -> Recommendation:
    """Return a recommendation on one of the user's school's vacancies (else 404)."""
    school = school_for_user(user)
    if school is None:
        raise PermissionDenied
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("vacancy__school", "teacher"),
        code=code,
        vacancy__school=school,
    )
    if recommendation.teacher_id not in suggestible_teacher_ids({recommendation.teacher_id}):
        raise Http404
    return recommendation


def recommendation_get_for_teacher(*, user, code) -> Recommendation:
    """Return one of the signed-in teacher's recommendations (else 404).

    A school's "not interested" is its own business: dismissed ones are not shown.
    """
    return get_object_or_404(
        Recommendation.objects.select_related("vacancy__school__district", "teacher").exclude(
            status=RecommendationStatus.DISMISSED
        ),
        code=code,
        teacher__user=user,
        teacher__user__isnull=False,
    )


@dataclass(frozen=True)
class SuggestedVacancy:
    vacancy: Vacancy
    score: Decimal
    components: dict
    weights: dict
    recommendation: Recommendation | None  # set when a school invited or the center pushed

    @property
    def reasons(self) -> list:
        """The two or three components that contributed most (what the teacher reads)."""
        return main_reasons(self.components, self.weights)

    @property
    def is_invitation(self) -> bool:
        return (
            self.recommendation is not None
            and self.recommendation.status == RecommendationStatus.INVITED
        )


def _latest_teacher_rows(teacher_id: int) -> list[MatchSuggestion]:
    # The newest finished run that ranked this teacher's options over the whole city (a city
    # run, or their own incremental run), plus newer single-vacancy shortlists they made. A
    # district run ranks only its district's vacancies, so it does not replace the city's.
    ranked = (
        MatchSuggestion.objects.filter(
            Q(run__kind=RunKind.FULL, run__district__isnull=True)
            | Q(run__kind=RunKind.INCREMENTAL, run__teacher_id=teacher_id),
            teacher_id=teacher_id,
            teacher_rank__isnull=False,
            run__status=RunStatus.DONE,
        )
        .order_by("-run__finished_at", "-run_id")
        .values_list("run_id", "run__finished_at")
        .first()
    )
    # Only what a suggestion reads: a run's other JSON columns would be decoded on every row.
    rows = (
        MatchSuggestion.objects.filter(teacher_id=teacher_id, run__status=RunStatus.DONE)
        .select_related("run")
        .only("vacancy_id", "score", "components", "run__finished_at", "run__weights")
    )
    if ranked is None:
        return list(rows.filter(run__kind=RunKind.INCREMENTAL, run__vacancy__isnull=False))
    run_id, finished_at = ranked
    chosen = rows.filter(
        Q(run_id=run_id, teacher_rank__isnull=False)
        | Q(
            run__kind=RunKind.INCREMENTAL,
            run__vacancy__isnull=False,
            run__finished_at__gt=finished_at,
        )
    )
    return list(chosen)


def teacher_suggested_vacancies(
    *,
    user,
    limit: int = TEACHER_SHOWN,
    teacher: Teacher | None = None,
    admission: AdmissionResult | None = None,
    applied: Iterable[int] | None = None,
) -> list[SuggestedVacancy]:
    """Return the vacancies suggested to the signed-in teacher, invitations first.

    Nothing when the teacher is not (or no longer) suggestible; only vacancies still open.
    A page that already holds the user's teacher, today's admission result or the ids of the
    vacancies the teacher applied to passes them.
    """
    teacher = teacher or teacher_for_user(user=user)
    if teacher is None:
        return []
    known = {teacher.pk: admission} if admission is not None else None
    if teacher.pk not in suggestible_teacher_ids({teacher.pk}, admission=known, teachers=[teacher]):
        return []
    open_vacancies = vacancy_candidates()
    # Vacancies the teacher already applied to are in their applications, not suggestions
    # (also a suggestion pushed while the application was on its way).
    if applied is None:
        applied = Application.objects.filter(teacher=teacher).values_list("vacancy_id", flat=True)
    applied = set(applied)
    recommendations = [
        recommendation
        for recommendation in Recommendation.objects.filter(
            teacher=teacher,
            kind=RecommendationKind.SUGGESTION,
            status__in=(RecommendationStatus.PUSHED, RecommendationStatus.INVITED),
            vacancy__in=open_vacancies,
        ).select_related("vacancy__school__district")
        if recommendation.vacancy_id not in applied
    ]
    skip = {r.vacancy_id for r in recommendations} | applied
    best: dict[int, MatchSuggestion] = {}
    for row in _latest_teacher_rows(teacher.pk):
        if row.vacancy_id in skip:
            continue
        if row.vacancy_id not in best or best[row.vacancy_id].run.finished_at < row.run.finished_at:
            best[row.vacancy_id] = row
    vacancies = open_vacancies.filter(pk__in=best.keys()).select_related("school__district")
    vacancies = vacancies.only(*CARD_VACANCY_FIELDS).in_bulk() if best else {}
    invited_first = sorted(
        recommendations,
        key=lambda r: (r.status != RecommendationStatus.INVITED, -r.score, r.pk),
    )
    out = [SuggestedVacancy(r.vacancy, r.score, r.components, r.weights, r) for r in invited_first]
    ranked = sorted(
        (row for row in best.values() if row.vacancy_id in vacancies),
        key=lambda row: (-row.score, row.vacancy_id),
    )
    out += [
        SuggestedVacancy(
            vacancies[row.vacancy_id], row.score, row.components, row.run.weights, None
        )
        for row in ranked
    ]
    return out[: max(limit, len(invited_first))]


@dataclass(frozen=True)
class VacancyCard:
    """What a suggestion card shows of a vacancy, in the reader's language (plain, cacheable)."""

    pk: int
    code: str
    title: str
    school: str
    district: str
    contract_start: date | None
    salary: str  # "15000–20000 CNY a month", as the card's template said it
    url: str


@dataclass(frozen=True)
class RecommendationCard:
    """A pushed or invited suggestion as its card shows it, with the URLs of its buttons."""

    code: str
    status: str
    invited_at: datetime | None  # shown in the reader's time zone when rendered
    message: str
    apply_url: str
    decline_url: str
    detail_url: str


@dataclass(frozen=True)
class SuggestionCard:
    """One suggested vacancy, rendered to plain values once per language and cached."""

    vacancy: VacancyCard
    score: Decimal
    score_text: str  # the score as the page prints it (no decimals)
    reasons: list[str]  # "Subjects: 100% match", best first
    recommendation: RecommendationCard | None

    @property
    def is_invitation(self) -> bool:
        return (
            self.recommendation is not None
            and self.recommendation.status == RecommendationStatus.INVITED
        )


def _blocktranslate(translated: str, **values) -> str:
    """Fill a translated sentence as {% blocktranslate %} would: values localised and escaped."""
    escaped = {name: conditional_escape(localize(value)) for name, value in values.items()}
    return mark_safe(translated % escaped)  # noqa: S308 (a translation, values escaped)


def _card(item: SuggestedVacancy) -> SuggestionCard:
    vacancy, rec = item.vacancy, item.recommendation
    # The card's sentences, filled once per language instead of once per card and visit.
    salary = _blocktranslate(
        gettext("%(low)s–%(high)s CNY a month"), low=vacancy.salary_min, high=vacancy.salary_max
    )
    reasons = [
        _blocktranslate(
            gettext("%(label)s: %(value)s%% match"), label=line.label, value=line.percent
        )
        for line in item.reasons
    ]
    recommendation = None
    if rec is not None:
        recommendation = RecommendationCard(
            code=str(rec.code),
            status=rec.status,
            invited_at=rec.invited_at,
            message=rec.message,
            apply_url=reverse("matching:teacher_apply", args=[rec.code]),
            decline_url=reverse("matching:teacher_decline", args=[rec.code]),
            detail_url=reverse("matching:teacher_suggestion", args=[rec.code]),
        )
    return SuggestionCard(
        vacancy=VacancyCard(
            pk=vacancy.pk,
            code=str(vacancy.code),
            title=str(vacancy.title),
            school=str(vacancy.school),
            district=str(vacancy.school.district),
            contract_start=vacancy.contract_start,
            salary=salary,
            url=reverse("vacancies:detail", args=[vacancy.code]),
        ),
        score=item.score,
        score_text=floatformat(item.score, 0),
        reasons=reasons,
        recommendation=recommendation,
    )


def teacher_suggestion_cards(
    *,
    teacher: Teacher,
    admission: AdmissionResult,
    applied: Iterable[int] | None = None,
    limit: int = SUGGESTIONS_SHOWN,
) -> list[SuggestionCard]:
    """Return the teacher's suggestions as plain cards in the active language (cacheable).

    The same list as teacher_suggested_vacancies, for pages that cache it (see caching.py).
    """
    items = teacher_suggested_vacancies(
        user=None, limit=limit, teacher=teacher, admission=admission, applied=applied
    )
    return [_card(item) for item in items]


# --- school pages ---


@dataclass(frozen=True)
class CandidateCard:
    """What a school may know about a suggested teacher: no name, contact, passport or photo.

    Cached, the recommendation is candidates.RecommendationFacts and the lines CandidateLine.
    """

    recommendation: Recommendation  # or RecommendationFacts, in a cached card
    category: str
    subjects: list[str]
    levels: list[str]
    degree: str
    experience_years: int
    chinese_level: str
    has_certificate: bool
    earliest_start: date | None
    lines: list  # ComponentLine: value × weight of each component


def _cards(recommendations: list[Recommendation]) -> list[CandidateCard]:
    from apps.teachers.experience import experience_years
    from apps.teachers.models import DegreeLevel

    # Lookups already prefetched are skipped, so this adds at most two queries.
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


def candidate_cards_for_vacancy(*, user, vacancy: Vacancy) -> list[CandidateCard]:
    """Return anonymised cards of the candidates suggested for the user's school's vacancy."""
    return _cards(recommendations_for_vacancy(user=user, vacancy=vacancy))


def candidate_card_get(*, user, code) -> CandidateCard:
    """Return the anonymised card of one recommendation on the user's school's vacancy."""
    return _cards([recommendation_get_for_school(user=user, code=code)])[0]


# --- teacher pages ---


class SuggestionBlock:
    """Why a teacher is not suggested to schools (the view says it and links to the fix)."""

    UNVERIFIED = "unverified"
    OPTED_OUT = "opted_out"
    BLACKLISTED = "blacklisted"
    EMPLOYED = "employed"  # an active employment: out of play until it ends
    OFFER_ACCEPTED = "offer_accepted"  # holds an accepted offer
    ADMISSION = "admission"


def teacher_suggestion_block(
    *, user, teacher: Teacher | None = None, admission: AdmissionResult | None = None
) -> str | None:
    """Return why the signed-in teacher is not suggested (a SuggestionBlock), else None.

    A page that already holds the user's teacher and today's admission result passes them.
    """
    teacher = teacher or teacher_for_user(user=user)
    if teacher is None:
        return SuggestionBlock.UNVERIFIED
    codes = teacher_check(teacher, on=timezone.localdate(), admission=admission).codes
    if not codes:
        return None
    # A missing category is completed like any other admission requirement.
    return {"no_category": SuggestionBlock.ADMISSION}.get(codes[0], codes[0])
