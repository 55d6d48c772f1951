"""Scoring: one definition for blocks and single pairs, and exact top-K shortlists."""

from dataclasses import replace

import numpy as np
import pytest

from apps.matching.engine import (
    COMPONENT_CODES,
    MAX_SCORE,
    SCORE_SCALE,
    Weights,
    eligible_mask,
    explain_pair,
    insert_post,
    plan_scoring,
    score_and_shortlist,
    score_pairs,
    shortlist_new_post,
    synthetic,
)


def _dense(teachers, posts, weights=None):
    """Score every pair the slow obvious way: mask, score, -1 where ineligible."""
    ti, pj = np.meshgrid(np.arange(len(teachers)), np.arange(len(posts)), indexing="ij")
    ti, pj = ti.ravel(), pj.ravel()
    scores = score_pairs(teachers, posts, ti, pj, plan_scoring(teachers, weights))
    scores[~eligible_mask(teachers, posts, ti, pj)] = -1
    return scores.reshape(len(teachers), len(posts))


def _expected_rows(dense, k):
    rows = []
    for line in dense:
        cand = np.flatnonzero(line >= 0)
        order = sorted(cand.tolist(), key=lambda j: (-line[j], j))[:k]
        rows.append((order, [int(line[j]) for j in order]))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_score_equals_single_pair_explanation(seed):
    _, teachers, posts = synthetic.generate(400, 400, seed)
    rng = np.random.default_rng(seed)
    ti, pj = rng.integers(0, 400, 300), rng.integers(0, 400, 300)
    scores = score_pairs(teachers, posts, ti, pj, plan_scoring(teachers))
    for t, p, s in zip(ti, pj, scores, strict=True):
        explained = explain_pair(teachers, posts, int(t), int(p))
        assert explained.score_units == s
        assert sum(c.weight for c in explained.components) == pytest.approx(1, abs=1e-6)
        assert sum(c.points for c in explained.components) == pytest.approx(
            s / SCORE_SCALE, abs=0.01
        )
        assert all(0 <= c.value <= 1 for c in explained.components)


def test_shortlisted_scores_equal_explanations():
    _, teachers, posts = synthetic.generate(1500, 1500, 11)
    result = score_and_shortlist(teachers, posts, workers=2, block_pairs=4096)
    t, p, s = result.by_teacher.edges()
    for k in range(0, len(t), max(1, len(t) // 200)):
        explained = explain_pair(teachers, posts, int(t[k]), int(p[k]))
        assert explained.eligible
        assert explained.score_units == s[k]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("workers", "block_pairs"), [(1, 1 << 19), (2, 700)])
def test_shortlists_equal_brute_force_top_k(seed, workers, block_pairs):
    make = synthetic.small_world if seed % 2 else synthetic.generate
    _, teachers, posts = make(220, 180, seed)
    dense = _dense(teachers, posts)
    result = score_and_shortlist(
        teachers, posts, k_teacher=7, k_post=5, workers=workers, block_pairs=block_pairs
    )
    assert result.eligible_pairs == int((dense >= 0).sum())
    for i, (items, scores) in enumerate(_expected_rows(dense, 7)):
        got_items, got_scores = result.by_teacher.row(i)
        assert got_items.tolist() == items
        assert got_scores.tolist() == scores
    for j, (items, scores) in enumerate(_expected_rows(dense.T, 5)):
        got_items, got_scores = result.by_post.row(j)
        assert got_items.tolist() == items
        assert got_scores.tolist() == scores


def test_per_post_merge_with_many_blocks_keeps_the_best():
    # Tiny blocks force many partial per-post lists and threshold pruning between merges.
    _, teachers, posts = synthetic.small_world(600, 40, 5)
    dense = _dense(teachers, posts)
    result = score_and_shortlist(teachers, posts, k_post=20, workers=2, block_pairs=64)
    for j, (items, scores) in enumerate(_expected_rows(dense.T, 20)):
        assert result.by_post.row(j)[0].tolist() == items
        assert result.by_post.row(j)[1].tolist() == scores


def test_outputs_are_deterministic_for_a_seed():
    runs = []
    for workers in (1, 2, 2):
        _, teachers, posts = synthetic.generate(800, 700, 42)
        r = score_and_shortlist(teachers, posts, workers=workers, block_pairs=5000)
        runs.append(r)
    for r in runs[1:]:
        for a, b in ((r.by_teacher, runs[0].by_teacher), (r.by_post, runs[0].by_post)):
            assert (a.indptr == b.indptr).all()
            assert (a.items == b.items).all()
            assert (a.scores == b.scores).all()


def test_scores_stay_in_range_and_shown_lists_are_prefixes():
    _, teachers, posts = synthetic.generate(1000, 1000, 3)
    result = score_and_shortlist(teachers, posts)
    assert result.by_teacher.scores.min() >= 0
    assert result.by_teacher.scores.max() <= MAX_SCORE
    shown = result.by_teacher.head(20)
    for i in range(0, 1000, 37):
        assert shown.row(i)[0].tolist() == result.by_teacher.row(i)[0][:20].tolist()


def test_credit_components_count_only_when_fed():
    _, teachers, posts = synthetic.generate(50, 50, 1)
    assert plan_scoring(teachers).codes == COMPONENT_CODES[:8]
    fed = replace(
        teachers,
        star_level=np.full(50, 5, np.int8),
        red_list=np.ones(50, bool),
        evaluation=np.full(50, np.nan, np.float32),
    )
    assert plan_scoring(fed).codes == COMPONENT_CODES
    explained = explain_pair(fed, posts, 0, 0)
    values = {c.code: c.value for c in explained.components}
    assert values["star_level"] == 1 and values["red_list"] == 1
    assert values["evaluation"] == 0.5  # no history: neutral
    no_stars = plan_scoring(fed, Weights(star_level=0))
    assert "star_level" not in no_stars.codes


def test_weights_are_normalised_and_validated():
    _, teachers, _ = synthetic.generate(5, 5, 1)
    doubled = Weights(**{c: 2 * getattr(Weights(), c) for c in COMPONENT_CODES})
    assert plan_scoring(teachers, doubled).weights == plan_scoring(teachers).weights
    with pytest.raises(ValueError):
        Weights(subject=-1)
    with pytest.raises(ValueError):
        plan_scoring(teachers, Weights(**dict.fromkeys(COMPONENT_CODES, 0)))


def test_unset_preferences_are_neutral():
    _, teachers, posts = synthetic.generate(200, 200, 2)
    values = [explain_pair(teachers, posts, t, t).components for t in range(200)]
    for t, comps in enumerate(values):
        by_code = {c.code: c.value for c in comps}
        if teachers.districts[t] == 0:
            assert by_code["district"] == 0.5
        if teachers.salary_expectation[t] == -1:
            assert by_code["salary"] == 0.5


def test_incremental_shortlist_matches_full_run():
    _, teachers, posts = synthetic.generate(3000, 500, 8)
    result = score_and_shortlist(teachers, posts, k_post=20)
    for post in (0, 17, 499):
        ids, scores = shortlist_new_post(teachers, posts, post, k=20)
        assert ids.tolist() == result.by_post.row(post)[0].tolist()
        assert scores.tolist() == result.by_post.row(post)[1].tolist()


def test_insert_post_updates_teacher_shortlists():
    _, teachers, posts = synthetic.generate(800, 300, 9)
    full = score_and_shortlist(teachers, posts.subset(np.arange(300)), k_teacher=10)
    before = score_and_shortlist(teachers, posts.subset(np.arange(299)), k_teacher=10)
    ids, scores = shortlist_new_post(teachers, posts, 299, k=len(teachers))
    after = insert_post(before.by_teacher, 299, ids, scores, 10)
    assert (after.indptr == full.by_teacher.indptr).all()
    assert (after.items == full.by_teacher.items).all()
    assert (after.scores == full.by_teacher.scores).all()


@pytest.mark.parametrize(("n_t", "n_p"), [(0, 30), (30, 0), (0, 0)])
def test_empty_sides_give_empty_outputs(n_t, n_p):
    _, teachers, posts = synthetic.generate(n_t, n_p, 1)
    result = score_and_shortlist(teachers, posts)
    assert result.eligible_pairs == 0
    assert len(result.by_teacher) == n_t and len(result.by_post) == n_p
    assert len(result.by_teacher.items) == 0 and len(result.by_post.items) == 0
