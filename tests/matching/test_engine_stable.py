"""Deferred acceptance against the PyPI ``matching`` library, and the blocking-pair checker."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from apps.matching.engine import (
    Preferences,
    assign_shortlists,
    blocking_pairs,
    deferred_acceptance,
    eligible_mask,
    match_as_assignment,
    preferences_from_scores,
    score_and_shortlist,
    synthetic,
    why_not_matched_teacher,
)


def _random_prefs(rng, n_t, n_p, max_len):
    """Random strict preferences where every teacher lists at least one post."""
    teacher_lists = [
        rng.choice(n_p, size=int(rng.integers(1, max_len + 1)), replace=False).tolist()
        for _ in range(n_t)
    ]
    who_listed = [[t for t in range(n_t) if p in teacher_lists[t]] for p in range(n_p)]
    post_lists = [rng.permutation(ts).tolist() for ts in who_listed]
    capacity = rng.integers(1, 4, n_p).tolist()
    return teacher_lists, post_lists, capacity


def _library_matching(teacher_lists, post_lists, capacity):
    listed = [p for p in range(len(post_lists)) if post_lists[p]]
    game = HospitalResident.create_from_dictionaries(
        {t: lst for t, lst in enumerate(teacher_lists)},
        {p: post_lists[p] for p in listed},
        {p: capacity[p] for p in listed},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solved = game.solve(optimal="resident")
    out = [-1] * len(teacher_lists)
    for hospital, residents in solved.items():
        for resident in residents:
            out[resident.name] = hospital.name
    return out


@pytest.mark.parametrize("seed", range(40))
def test_equals_library_resident_optimal(seed):
    rng = np.random.default_rng(seed)
    n_t, n_p = int(rng.integers(5, 41)), int(rng.integers(3, 41))
    teacher_lists, post_lists, capacity = _random_prefs(rng, n_t, n_p, min(n_p, 8))
    prefs = Preferences.from_lists(teacher_lists, post_lists, capacity)
    match = deferred_acceptance(prefs)
    assert match.tolist() == _library_matching(teacher_lists, post_lists, capacity)
    assert blocking_pairs(prefs, match) == []


def test_pairs_listed_by_one_side_only_are_unacceptable():
    prefs = Preferences.from_lists([[0, 1], [0]], [[1], [1]], [1, 1])
    match = deferred_acceptance(prefs)
    assert match.tolist() == [-1, 0]
    assert blocking_pairs(prefs, match) == []


def test_checker_finds_a_blocking_pair():
    prefs = Preferences.from_lists([[0, 1], [0, 1]], [[0, 1], [0, 1]], [1, 1])
    assert blocking_pairs(prefs, np.array([1, 0])) == [(0, 0)]
    assert blocking_pairs(prefs, np.array([0, -1])) == [(1, 1)]
    assert blocking_pairs(prefs, np.array([0, 1])) == []


@pytest.mark.parametrize("seed", range(4))
def test_score_preferences_give_a_stable_valid_matching(seed):
    _, teachers, posts = synthetic.generate(600, 500, seed)
    result = score_and_shortlist(teachers, posts)
    prefs = preferences_from_scores(result, posts.capacity, k=20)
    match = deferred_acceptance(prefs)
    assert blocking_pairs(prefs, match) == []
    matched = np.flatnonzero(match >= 0)
    assert eligible_mask(teachers, posts, matched, match[matched]).all()
    assert (np.bincount(match[matched], minlength=len(posts)) <= posts.capacity).all()
    again = deferred_acceptance(preferences_from_scores(result, posts.capacity, k=20))
    assert (again == match).all()
    # The max-score assignment need not be stable, but it never scores less in total.
    assignment = assign_shortlists(result, posts.capacity)
    score = dict(
        zip(zip(*result.by_teacher.edges()[:2], strict=True), result.by_teacher.scores, strict=True)
    )
    stable_total = sum(int(score[(int(t), int(match[t]))]) for t in matched)
    assert assignment.total_score >= stable_total


def test_empty_preferences():
    match = deferred_acceptance(Preferences.from_lists([[], []], [[]], [1]))
    assert match.tolist() == [-1, -1]


@st.composite
def _instances(draw):
    n_t = draw(st.integers(1, 12))
    n_p = draw(st.integers(1, 8))
    teacher_lists = [
        draw(st.lists(st.integers(0, n_p - 1), min_size=1, max_size=n_p, unique=True))
        for _ in range(n_t)
    ]
    post_lists = [
        draw(st.permutations([t for t in range(n_t) if p in teacher_lists[t]])) for p in range(n_p)
    ]
    capacity = draw(st.lists(st.integers(1, 3), min_size=n_p, max_size=n_p))
    return teacher_lists, post_lists, capacity


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_instances())
def test_property_equals_library_and_is_stable(instance):
    teacher_lists, post_lists, capacity = instance
    prefs = Preferences.from_lists(teacher_lists, post_lists, capacity)
    match = deferred_acceptance(prefs)
    assert match.tolist() == _library_matching(teacher_lists, post_lists, capacity)
    assert blocking_pairs(prefs, match) == []


def test_stable_matching_can_be_explained():
    _, teachers, posts = synthetic.generate(500, 300, 6)
    result = score_and_shortlist(teachers, posts)
    match = deferred_acceptance(preferences_from_scores(result, posts.capacity, k=20))
    stable = match_as_assignment(result, match)
    assert (stable.post_of_teacher() == match).all()
    for t in np.flatnonzero(match < 0)[:30]:
        diagnosis = why_not_matched_teacher(
            teachers, posts, int(t), scoring=result, assignment=stable
        )
        assert diagnosis.reasons and diagnosis.matched == ()
