"""The school's candidate cards for a vacancy, in plain values and cached (issue 18).

Building them reads every candidate's profile and checks the hard rules again: a dozen
queries. They are cached under what they are built from: the vacancy's recommendation rows
as read now (one query; a push, an invitation, a dismissal or an application changes them),
each of those teachers' versions (apps.admission.caching: every write to their profile,
documents, credit, applications, employments and recommendations), the policy and reference
versions, the local date (experience and the admission standard turn on it) and the
language. Nothing names the teacher: the cards are anonymised.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import get_language

from apps.admission.caching import POLICY_VERSION_KEY, teacher_version_key
from apps.core.cache_versions import versions_get
from apps.core.selectors import REFERENCE_VERSION_KEY
from apps.vacancies.models import Vacancy
from apps.vacancies.selectors import vacancy_owned_by

from ..models import Recommendation
from .suggestions import CandidateCard, candidate_cards_for_vacancy

# A second safety net behind the versions.
CANDIDATES_SECONDS = 5 * 60
# The cached rows' shape: change it with the dataclasses below, so no old entry is read.
ROWS_FORMAT = 3
# The recommendation columns a card shows or is built from.
_ROW_FIELDS = (
    "pk",
    "teacher_id",
    "kind",
    "status",
    "score",
    "components",
    "weights",
    "run_id",
    "application_id",
    "invited_at",
)


@dataclass(frozen=True)
class RecommendationFacts:
    code: str
    kind: str
    status: str
    score: Decimal
    invited_at: datetime | None
    application_id: int | None
    # The card's links, in the language of the cached rows.
    application_url: str  # "" without an application
    invite_url: str
    dismiss_url: str
    detail_url: str


@dataclass(frozen=True)
class CandidateLine:
    """One component of the score, its numbers as the card prints them."""

    label: str
    percent: str
    weight_percent: str
    points: str  # one decimal


def candidate_row(card: CandidateCard) -> CandidateCard:
    """Return the card in plain values (no model rows: nothing else of the teacher is kept)."""
    rec = card.recommendation
    return replace(
        card,
        recommendation=RecommendationFacts(
            code=str(rec.code),
            kind=rec.kind,
            status=rec.status,
            score=rec.score,
            invited_at=rec.invited_at,
            application_id=rec.application_id,
            application_url=(
                reverse("applications:school_detail", args=[rec.application.code])
                if rec.application_id
                else ""
            ),
            invite_url=reverse("matching:school_invite", args=[rec.code]),
            dismiss_url=reverse("matching:school_dismiss", args=[rec.code]),
            detail_url=reverse("matching:school_candidate", args=[rec.code]),
        ),
        category=str(card.category),
        subjects=[str(subject) for subject in card.subjects],
        levels=[str(level) for level in card.levels],
        degree=str(card.degree),
        chinese_level=str(card.chinese_level),
        lines=[
            CandidateLine(
                label=str(line.label),
                percent=localize(line.percent),
                weight_percent=localize(line.weight_percent),
                points=floatformat(line.points, 1),
            )
            for line in card.lines
        ],
    )


def candidate_rows_for_vacancy(*, user, vacancy: Vacancy) -> list[CandidateCard]:
    """Return the candidate cards of the user's school's vacancy (cached); else PermissionDenied."""
    if not vacancy_owned_by(user=user, vacancy=vacancy):
        raise PermissionDenied
    rows = list(
        Recommendation.objects.filter(vacancy=vacancy).order_by("pk").values_list(*_ROW_FIELDS)
    )
    teachers = sorted({row[1] for row in rows})
    versions = versions_get(
        [*map(teacher_version_key, teachers), POLICY_VERSION_KEY, REFERENCE_VERSION_KEY]
    )
    today = timezone.localdate()
    digest = hashlib.blake2b(repr((rows, versions)).encode(), digest_size=16).hexdigest()
    key = f"matching:candidates:{ROWS_FORMAT}:{vacancy.pk}:{get_language()}:{today}:{digest}"
    cards = cache.get(key)
    if cards is None:
        cards = [
            candidate_row(card) for card in candidate_cards_for_vacancy(user=user, vacancy=vacancy)
        ]
        cache.set(key, cards, CANDIDATES_SECONDS)
    return cards
