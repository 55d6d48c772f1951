"""Credit feeds the matching engine's reserved slots; a changed star level re-ranks shortlists."""

import uuid
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from apps.credit import services as credit
from apps.matching import services as matching
from apps.matching.loader import load_matching_data
from apps.matching.models import MatchRun, RunKind
from tests.credit.factories import commendation_create
from tests.matching.factories import english_teacher, english_vacancy

pytestmark = pytest.mark.django_db
QUARTERS = [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)]


def _evaluate(teacher, score, quarters=QUARTERS):
    for quarter in quarters:
        credit.evaluation_result_record(
            teacher=teacher,
            source_code=uuid.uuid4(),
            quarter_start=quarter,
            law_compliance=Decimal(score),
            teaching_duties=Decimal(score),
            daily_conduct=Decimal(score),
            serious_incident=False,
        )


def test_the_loader_feeds_star_level_commendation_and_evaluation():
    starred, commended, fresh = english_teacher(), english_teacher(), english_teacher()
    _evaluate(starred, 5)
    commendation_create(teacher=commended)
    data = load_matching_data()
    row = {pk: i for i, pk in enumerate(data.teacher_ids.tolist())}
    t = data.teachers
    assert t.star_level[row[starred.pk]] == 5 and t.star_level[row[fresh.pk]] == 0
    assert bool(t.red_list[row[commended.pk]]) and not bool(t.red_list[row[starred.pk]])
    assert t.evaluation[row[starred.pk]] == pytest.approx(1.0)
    assert np.isnan(t.evaluation[row[fresh.pk]])


def _ranking(run, vacancy) -> list[int]:
    return list(
        run.suggestions.filter(vacancy=vacancy, rank__isnull=False)
        .order_by("rank")
        .values_list("teacher_id", flat=True)
    )


def test_a_changed_star_level_re_ranks_the_shortlist(center_user):
    first, second = english_teacher(), english_teacher()
    vacancy = english_vacancy()
    _evaluate(first, "4.0")
    _evaluate(second, "2.0")
    run = matching.match_run_execute(
        run_id=matching.match_run_start(actor=center_user, queue=False).pk
    )
    assert _ranking(run, vacancy)[:2] == [first.pk, second.pk]
    _evaluate(second, 5, quarters=[date(2026, 4, 1)] + QUARTERS[1:])
    _evaluate(first, 1, quarters=[date(2026, 4, 1)])
    run = matching.match_run_execute(
        run_id=matching.match_run_start(actor=center_user, queue=False).pk
    )
    assert _ranking(run, vacancy)[:2] == [second.pk, first.pk]


def test_a_star_level_change_queues_an_incremental_run_for_the_teacher(
    django_capture_on_commit_callbacks,
):
    teacher = english_teacher()
    with django_capture_on_commit_callbacks(execute=True):
        _evaluate(teacher, 5, quarters=QUARTERS[:2])
    assert MatchRun.objects.filter(kind=RunKind.INCREMENTAL, teacher=teacher).exists()
