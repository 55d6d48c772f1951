"""Star levels: the pure computation over many histories, and the evaluation interface."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.models import AuditEvent
from apps.credit.explanations import star_explanation_render
from apps.credit.models import EvaluationResult, StarLevelHistory, StarRule
from apps.credit.selectors import teacher_star_level_get, teacher_star_levels
from apps.credit.services import (
    evaluation_result_record,
    evaluation_result_withdraw,
    star_levels_recompute_all,
)
from apps.credit.stars import (
    CAP_GENERAL,
    CAP_SERIOUS,
    QuarterScores,
    Rule,
    quarters_from_results,
    star_level_compute,
)
from tests.teachers.factories import TeacherFactory

D = Decimal
RULES = [
    Rule(5, D("4.5"), D("4.0"), 0, 4),
    Rule(4, D("4.0"), D("3.5"), 0, 4),
    Rule(3, D("3.5"), D("3.0"), 0, 2),
    Rule(2, D("3.0"), D("2.5"), 1, 2),
    Rule(1, D("2.0"), D("1.5"), 2, 2),
]
QUARTERS = [
    date(2025, 1, 1),
    date(2025, 4, 1),
    date(2025, 7, 1),
    date(2025, 10, 1),
    date(2026, 1, 1),
    date(2026, 4, 1),
]


def _q(index: int, law, teaching, conduct, incident=False) -> QuarterScores:
    return QuarterScores(QUARTERS[index], (D(law), D(teaching), D(conduct)), incident)


def _level(quarters, cap=None):
    return star_level_compute(quarters, RULES, window=4, min_quarters=2, cap=cap).level


@pytest.mark.parametrize(
    ("history", "cap", "expected"),
    [
        ([], None, None),
        ([_q(0, 5, 5, 5)], None, None),  # one quarter is too few for any star
        ([_q(0, 5, 5, 5), _q(1, 5, 5, 5)], None, 3),  # 4★ and 5★ need 4 quarters
        ([_q(i, 5, 5, 5) for i in range(4)], None, 5),
        ([_q(i, "4.9", "3.9", "4.9") for i in range(4)], None, 4),  # lowest 3.9 < 4
        ([_q(i, 5, 5, 5, incident=(i == 0)) for i in range(4)], None, 2),  # one incident
        ([_q(i, 5, 5, 5, incident=True) for i in range(3)], None, None),  # 3 incidents
        ([_q(i, 3, 3, 3) for i in range(4)], None, 2),
        ([_q(i, 1, 1, 1) for i in range(4)], None, None),  # below every rule
        ([_q(i, 5, 5, 5) for i in range(4)], CAP_GENERAL, 2),
        ([_q(i, 5, 5, 5) for i in range(4)], CAP_SERIOUS, None),
        ([_q(i, 2, 2, 2) for i in range(4)], CAP_GENERAL, 1),  # below the cap: unchanged
        # Only the newest 4 quarters count: two bad old quarters drop out.
        ([_q(0, 1, 1, 1), _q(1, 1, 1, 1)] + [_q(i, 5, 5, 5) for i in range(2, 6)], None, 5),
    ],
)
def test_star_level_table(history, cap, expected):
    assert _level(history, cap) == expected


def test_mean_4_5_with_lowest_4_4_reaches_five_stars_but_4_49_does_not():
    assert _level([_q(i, "4.6", "4.4", "4.5") for i in range(4)]) == 5
    assert _level([_q(i, "4.57", "4.4", "4.5") for i in range(4)]) == 4


def test_two_schools_in_one_quarter_are_averaged_per_quarter():
    rows = [
        (QUARTERS[0], D(5), D(5), D(5), False),
        (QUARTERS[0], D(3), D(3), D(3), True),
        (QUARTERS[1], D(4), D(4), D(4), False),
    ]
    quarters = quarters_from_results(rows)
    assert [q.quarter_start for q in quarters] == [QUARTERS[1], QUARTERS[0]]
    assert quarters[1].scores == (D(4), D(4), D(4)) and quarters[1].incident


def test_explanation_names_mean_quarters_and_lowest_dimension():
    result = star_level_compute(
        [_q(i, "4.5", "3.8", "4.6") for i in range(4)], RULES, window=4, min_quarters=2
    )
    assert result.level == 4
    text = star_explanation_render(result.explanation)
    assert text == "4★: mean 4.3 over 4 quarters; lowest “teaching duties” 3.8."


scores = st.decimals(min_value=0, max_value=5, places=2)
quarter = st.tuples(scores, scores, scores, st.booleans())


@settings(max_examples=300, deadline=None)
@given(
    history=st.lists(quarter, min_size=0, max_size=6),
    index=st.integers(min_value=0, max_value=5),
    dimension=st.integers(min_value=0, max_value=2),
    drop=scores,
    incident=st.booleans(),
)
def test_a_worse_evaluation_never_raises_the_level(history, index, dimension, drop, incident):
    quarters = [_q(i, *row) for i, row in enumerate(history)]
    before = _level(quarters) or 0
    if quarters:
        target = quarters[index % len(quarters)]
        worse = list(target.scores)
        worse[dimension] = max(D(0), worse[dimension] - drop)
        quarters[index % len(quarters)] = QuarterScores(
            target.quarter_start, tuple(worse), target.incident or incident
        )
    assert (_level(quarters) or 0) <= before


@settings(max_examples=200, deadline=None)
@given(history=st.lists(quarter, min_size=0, max_size=6))
def test_a_serious_record_always_means_no_stars(history):
    quarters = [_q(i, *row) for i, row in enumerate(history)]
    assert _level(quarters, CAP_SERIOUS) is None
    general = _level(quarters, CAP_GENERAL)
    assert general is None or general <= 2


@pytest.mark.django_db
def test_rules_are_seeded_as_editable_rows():
    assert list(StarRule.objects.values_list("level", flat=True)) == [5, 4, 3, 2, 1]
    five = StarRule.objects.get(level=5)
    assert (five.min_mean, five.min_lowest_dimension, five.max_incidents, five.min_quarters) == (
        D("4.5"),
        D("4.0"),
        0,
        4,
    )


def _record(teacher, quarter, score, *, code=None, incident=False):
    code = code or uuid.uuid4()
    evaluation_result_record(
        teacher=teacher,
        source_code=code,
        quarter_start=quarter,
        law_compliance=D(score),
        teaching_duties=D(score),
        daily_conduct=D(score),
        serious_incident=incident,
    )
    return code


@pytest.mark.django_db
def test_recording_and_withdrawing_evaluations_moves_the_level_with_history():
    teacher, other = TeacherFactory(), TeacherFactory()
    _record(teacher, QUARTERS[0], 5)
    assert teacher_star_levels([teacher.pk, other.pk]) == {teacher.pk: None, other.pk: None}
    _record(teacher, QUARTERS[1], 5)
    _record(teacher, QUARTERS[2], 5)
    last = _record(teacher, QUARTERS[3], 5)
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 5
    evaluation_result_withdraw(source_code=last)
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 3
    history = list(StarLevelHistory.objects.filter(teacher=teacher).order_by("id"))
    assert [(h.previous_level, h.level, h.reason) for h in history] == [
        (None, 3, "evaluation_submitted"),
        (3, 5, "evaluation_submitted"),
        (5, 3, "evaluation_withdrawn"),
    ]
    assert AuditEvent.objects.filter(action="credit.star_level.changed").count() == 3
    view = teacher_star_level_get(teacher)
    assert view.level == 3 and "mean 5.0 over 3 quarters" in view.explanation


@pytest.mark.django_db
def test_recording_again_with_the_same_code_replaces_the_scores():
    teacher = TeacherFactory()
    code = _record(teacher, QUARTERS[0], 5)
    _record(teacher, QUARTERS[1], 5)
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 3
    _record(teacher, date(2025, 2, 14), 1, code=code)  # any day inside the quarter
    stored = EvaluationResult.objects.get(source_code=code)
    assert stored.quarter_start == QUARTERS[0] and stored.law_compliance == D(1)
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 2


@pytest.mark.django_db
def test_a_score_outside_the_scale_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _record(TeacherFactory(), QUARTERS[0], 6)
    assert not EvaluationResult.objects.exists()


@pytest.mark.django_db
def test_editing_a_rule_and_recomputing_all_changes_levels():
    teacher = TeacherFactory()
    for i in range(4):
        _record(teacher, QUARTERS[i], "4.2")
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 4
    StarRule.objects.filter(level=4).update(min_mean=D("4.3"))
    assert star_levels_recompute_all() == 1
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 3


@pytest.mark.django_db
def test_explanation_is_rendered_in_the_readers_language():
    from django.utils import translation

    teacher = TeacherFactory()
    for i in range(4):
        _record(teacher, QUARTERS[i], "4.2")
    with translation.override("zh-hans"):
        text = teacher_star_level_get(teacher).explanation
    assert "4★" in text and "mean" not in text


@settings(max_examples=200, deadline=None)
@given(history=st.lists(quarter, min_size=1, max_size=6), extra=quarter, index=st.integers(0, 5))
def test_a_second_schools_worse_evaluation_in_a_quarter_never_raises_the_level(
    history, extra, index
):
    rows = [(QUARTERS[i], *row) for i, row in enumerate(history)]
    before = star_level_compute(quarters_from_results(rows), RULES, window=4, min_quarters=2)
    target = rows[index % len(rows)]
    worse = (
        target[0],
        min(target[1], extra[0]),
        min(target[2], extra[1]),
        min(target[3], extra[2]),
        target[4] or extra[3],
    )
    after = star_level_compute(
        quarters_from_results([*rows, worse]), RULES, window=4, min_quarters=2
    )
    assert (after.level or 0) <= (before.level or 0)


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (date(2026, 6, 4), 5, date(2026, 6, 11)),  # Thursday → next Thursday
        (date(2026, 6, 5), 5, date(2026, 6, 12)),  # Friday → next Friday
        (date(2026, 6, 6), 1, date(2026, 6, 8)),  # Saturday → Monday
        (date(2026, 6, 1), 20, date(2026, 6, 29)),  # the longest answer period
        (date(2026, 6, 1), 0, date(2026, 6, 1)),
    ],
)
def test_working_days_skip_weekends(start, days, end):
    from apps.core.dates import add_working_days

    assert add_working_days(start, days) == end
