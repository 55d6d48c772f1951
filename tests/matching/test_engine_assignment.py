"""Global assignment: min-cost flow against SciPy's dense exact optimum."""

import numpy as np
import pytest

from apps.matching.engine import (
    assign_edges,
    assign_shortlists,
    dense_optimum,
    eligible_mask,
    score_and_shortlist,
    synthetic,
)
from apps.matching.engine.bench import dense_scores


def _check_valid(assignment, teachers, posts):
    assert len(np.unique(assignment.teachers)) == len(assignment.teachers)
    used = np.bincount(assignment.posts, minlength=len(posts))
    assert (used <= posts.capacity).all()
    assert eligible_mask(teachers, posts, assignment.teachers, assignment.posts).all()


@pytest.mark.parametrize("seed", range(12))
def test_all_edges_kept_equals_dense_optimum(seed):
    make = synthetic.small_world if seed % 3 else synthetic.generate
    n_t, n_p = (60 + 7 * seed, 50 + 5 * seed) if seed % 3 else (600, 500)
    _, teachers, posts = make(n_t, n_p, seed)
    result = score_and_shortlist(teachers, posts, k_teacher=n_p)
    assignment = assign_shortlists(result, posts.capacity)
    _check_valid(assignment, teachers, posts)
    dense = dense_scores(teachers, posts, result)
    assert assignment.total_score == dense_optimum(dense, posts.capacity)
    assert (dense[assignment.teachers, assignment.posts] == assignment.scores).all()


def test_top_50_is_near_optimal():
    _, teachers, posts = synthetic.generate(1500, 1500, 4)
    result = score_and_shortlist(teachers, posts)
    assignment = assign_shortlists(result, posts.capacity)
    _check_valid(assignment, teachers, posts)
    optimum = dense_optimum(dense_scores(teachers, posts, result), posts.capacity)
    assert assignment.total_score >= 0.99 * optimum


def test_assign_edges_on_a_hand_instance():
    # Greedy would give teacher 0 post 0 (90) and leave teacher 1 with 10: total 100.
    a = assign_edges([0, 0, 1, 2], [0, 1, 0, 1], [90, 80, 85, 1], n_teachers=3, n_posts=2)
    assert a.teachers.tolist() == [0, 1]
    assert a.posts.tolist() == [1, 0]
    assert a.total_score == 165
    assert a.post_of_teacher().tolist() == [1, 0, -1]


def test_capacity_and_empty_inputs():
    a = assign_edges([0, 1, 2], [0, 0, 0], [5, 6, 7], n_teachers=3, n_posts=1, capacity=[2])
    assert sorted(a.teachers.tolist()) == [1, 2]
    empty = assign_edges([], [], [], n_teachers=2, n_posts=2)
    assert empty.total_score == 0 and len(empty.teachers) == 0


def test_assignment_is_deterministic():
    totals = set()
    pairs = set()
    for _ in range(3):
        _, teachers, posts = synthetic.generate(700, 700, 21)
        a = assign_shortlists(score_and_shortlist(teachers, posts), posts.capacity)
        totals.add(a.total_score)
        pairs.add((tuple(a.teachers.tolist()), tuple(a.posts.tolist())))
    assert len(totals) == 1 and len(pairs) == 1
