"""Global assignment maximising total score: min-cost flow on sparse candidate edges."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .scoring import ScoringResult


@dataclass(frozen=True, eq=False)
class Assignment:
    """Matched (teacher, post, score) triples, sorted by teacher."""

    teachers: np.ndarray  # int32
    posts: np.ndarray  # int32
    scores: np.ndarray  # int32 score units
    n_teachers: int
    n_posts: int

    @property
    def total_score(self) -> int:
        """Return the sum of matched scores in score units."""
        return int(self.scores.sum(dtype=np.int64))

    def post_of_teacher(self) -> np.ndarray:
        """Return each teacher's post id, -1 if unmatched."""
        out = np.full(self.n_teachers, -1, dtype=np.int32)
        out[self.teachers] = self.posts
        return out

    def teachers_of_post(self, post: int) -> np.ndarray:
        """Return the teachers assigned to ``post``."""
        return self.teachers[self.posts == post]


def assign_edges(
    teachers: np.ndarray,
    posts: np.ndarray,
    scores: np.ndarray,
    *,
    n_teachers: int,
    n_posts: int,
    capacity: np.ndarray | None = None,
) -> Assignment:
    """Solve max-score assignment over candidate edges (teacher once, post up to capacity).

    Costs are the negated integer scores, so the optimum is exact for the rounded scores.
    Parallel edges must not occur; zero-score edges may stay unused.
    """
    teachers = np.asarray(teachers, dtype=np.int64)
    posts = np.asarray(posts, dtype=np.int64)
    scores = np.asarray(scores, dtype=np.int64)
    cap = np.ones(n_posts, np.int64) if capacity is None else np.asarray(capacity, np.int64)
    use = scores > 0
    teachers, posts, scores = teachers[use], posts[use], scores[use]
    if len(teachers) == 0:
        empty = np.zeros(0, dtype=np.int32)
        return Assignment(empty, empty, empty, n_teachers, n_posts)
    t_ids, t_node = np.unique(teachers, return_inverse=True)
    p_ids, p_node = np.unique(posts, return_inverse=True)
    n_t, n_p = len(t_ids), len(p_ids)
    source, sink = 0, 1 + n_t + n_p
    supply = int(min(n_t, cap[p_ids].sum()))
    tails = np.concatenate(
        [np.zeros(n_t, np.int64), 1 + t_node, 1 + n_t + np.arange(n_p), [source]]
    )
    heads = np.concatenate([1 + np.arange(n_t), 1 + n_t + p_node, np.full(n_p, sink), [sink]])
    caps = np.concatenate([np.ones(n_t + len(t_node), np.int64), cap[p_ids], [supply]])
    costs = np.concatenate([np.zeros(n_t, np.int64), -scores, np.zeros(n_p + 1, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = flow.flows(np.arange(n_t, n_t + len(t_node))) > 0
    order = np.argsort(teachers[used], kind="stable")
    return Assignment(
        teachers[used][order].astype(np.int32),
        posts[used][order].astype(np.int32),
        scores[used][order].astype(np.int32),
        n_teachers,
        n_posts,
    )


def assign_shortlists(
    result: ScoringResult, capacity: np.ndarray, *, k: int | None = None
) -> Assignment:
    """Assign on each teacher's shortlist (its first ``k`` candidates, default all kept)."""
    lists = result.by_teacher if k is None else result.by_teacher.head(k)
    t, p, s = lists.edges()
    return assign_edges(
        t, p, s, n_teachers=len(result.by_teacher), n_posts=len(capacity), capacity=capacity
    )


def dense_optimum(scores: np.ndarray, capacity: np.ndarray | None = None) -> int:
    """Return SciPy's exact optimum total for a dense teachers x posts score matrix."""
    from scipy.optimize import linear_sum_assignment

    if capacity is not None:
        scores = np.repeat(scores, np.asarray(capacity, dtype=np.int64), axis=1)
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return int(scores[rows, cols].sum(dtype=np.int64))
