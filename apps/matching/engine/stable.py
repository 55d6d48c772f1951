"""Teacher-proposing deferred acceptance with post capacities, and a blocking-pair checker."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .assignment import Assignment
from .scoring import ScoringResult, Shortlist


@dataclass(frozen=True, eq=False)
class Preferences:
    """Strict preference lists in CSR form, best first, for both sides."""

    teacher_indptr: np.ndarray  # int64
    teacher_posts: np.ndarray  # int32
    post_indptr: np.ndarray  # int64
    post_teachers: np.ndarray  # int32
    capacity: np.ndarray  # int per post

    @property
    def n_teachers(self) -> int:
        return len(self.teacher_indptr) - 1

    @property
    def n_posts(self) -> int:
        return len(self.post_indptr) - 1

    @classmethod
    def from_lists(
        cls, teacher_lists: list[list[int]], post_lists: list[list[int]], capacity: list[int]
    ) -> Preferences:
        """Build from Python lists of ids, best first."""
        t_ptr, t_items = _lists_to_csr(teacher_lists)
        p_ptr, p_items = _lists_to_csr(post_lists)
        return cls(t_ptr, t_items, p_ptr, p_items, np.asarray(capacity, dtype=np.int64))


def _lists_to_csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in lists], out=indptr[1:])
    items = np.fromiter((i for x in lists for i in x), dtype=np.int32, count=int(indptr[-1]))
    return indptr, items


def preferences_from_scores(
    result: ScoringResult, capacity: np.ndarray, *, k: int = 20
) -> Preferences:
    """Derive preferences from scores: teachers rank their top ``k`` posts, posts rank those."""
    lists: Shortlist = result.by_teacher.head(k)
    t, p, s = lists.edges()
    n_p = len(capacity)
    # Posts rank by score desc, then teacher id asc: strict, so the stable matching is unique.
    order = np.lexsort((t, -s.astype(np.int64), p))
    post_indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(np.bincount(p, minlength=n_p), out=post_indptr[1:])
    return Preferences(
        lists.indptr, lists.items, post_indptr, t[order], np.asarray(capacity, np.int64)
    )


def _acceptable(prefs: Preferences) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the teacher CSR restricted to mutual pairs, with the post's rank of each."""
    n_t = prefs.n_teachers
    t_rows = np.repeat(np.arange(n_t, dtype=np.int64), np.diff(prefs.teacher_indptr))
    p_rows = np.repeat(np.arange(prefs.n_posts, dtype=np.int64), np.diff(prefs.post_indptr))
    p_rank = np.arange(len(p_rows), dtype=np.int64) - prefs.post_indptr[p_rows]
    p_key = p_rows * n_t + prefs.post_teachers
    order = np.argsort(p_key, kind="stable")
    p_key, p_rank = p_key[order], p_rank[order]
    t_key = prefs.teacher_posts.astype(np.int64) * n_t + t_rows
    pos = np.minimum(np.searchsorted(p_key, t_key), max(len(p_key) - 1, 0))
    mutual = (p_key[pos] == t_key) if len(p_key) else np.zeros(len(t_key), dtype=bool)
    indptr = np.zeros(n_t + 1, dtype=np.int64)
    np.cumsum(np.bincount(t_rows[mutual], minlength=n_t), out=indptr[1:])
    return indptr, prefs.teacher_posts[mutual].astype(np.int64), p_rank[pos[mutual]]


def deferred_acceptance(prefs: Preferences) -> np.ndarray:
    """Return each teacher's post (-1 if none) in the teacher-optimal stable matching.

    Runs in rounds: every free teacher proposes to their next acceptable post at once and each
    post keeps its best ``capacity`` proposers and holders. The teacher-optimal stable matching
    does not depend on the proposal order, so this equals the one-at-a-time algorithm.
    """
    indptr, posts, ranks = _acceptable(prefs)
    n_t, n_p = prefs.n_teachers, prefs.n_posts
    cap = prefs.capacity.astype(np.int64)
    nxt = indptr[:-1].copy()
    end = indptr[1:]
    match = np.full(n_t, -1, dtype=np.int64)
    match_rank = np.zeros(n_t, dtype=np.int64)
    # One extra slot so that ``flag[match]`` with match == -1 reads False.
    flag = np.zeros(n_p + 1, dtype=bool)
    rank_span = max(n_t, 1)
    free = np.flatnonzero(nxt < end)
    while len(free):
        e = nxt[free]
        nxt[free] += 1
        p, r = posts[e], ranks[e]
        flag[p] = True
        holders = np.flatnonzero(flag[match])
        flag[p] = False
        cand_t = np.concatenate([holders, free])
        cand_p = np.concatenate([match[holders], p])
        cand_r = np.concatenate([match_rank[holders], r])
        order = np.argsort(cand_p * rank_span + cand_r, kind="stable")
        cand_t, cand_p, cand_r = cand_t[order], cand_p[order], cand_r[order]
        first = np.flatnonzero(np.r_[True, cand_p[1:] != cand_p[:-1]])
        seat = np.arange(len(cand_p)) - np.repeat(first, np.diff(np.r_[first, len(cand_p)]))
        accept = seat < cap[cand_p]
        match[cand_t[accept]] = cand_p[accept]
        match_rank[cand_t[accept]] = cand_r[accept]
        rejected = cand_t[~accept]
        match[rejected] = -1
        free = rejected[nxt[rejected] < end[rejected]]
        free.sort()
    return match.astype(np.int32)


def blocking_pairs(prefs: Preferences, match: np.ndarray) -> list[tuple[int, int]]:
    """Return every (teacher, post) pair that would both rather be together (brute force)."""
    t_lists = [
        [int(x) for x in prefs.teacher_posts[prefs.teacher_indptr[t] : prefs.teacher_indptr[t + 1]]]
        for t in range(prefs.n_teachers)
    ]
    p_rank = [
        {
            int(x): i
            for i, x in enumerate(
                prefs.post_teachers[prefs.post_indptr[p] : prefs.post_indptr[p + 1]]
            )
        }
        for p in range(prefs.n_posts)
    ]
    held: list[list[int]] = [[] for _ in range(prefs.n_posts)]
    for t, p in enumerate(match):
        if p >= 0:
            held[int(p)].append(t)
    found = []
    for t, lst in enumerate(t_lists):
        current = int(match[t])
        for p in lst:
            if p == current:
                break  # the rest of the list is worse than the current post
            if t not in p_rank[p]:
                continue
            if len(held[p]) < prefs.capacity[p] or any(
                p_rank[p][t] < p_rank[p][h] for h in held[p]
            ):
                found.append((t, p))
    return found


def match_as_assignment(result: ScoringResult, match: np.ndarray) -> Assignment:
    """Wrap a stable matching as an ``Assignment`` (scores from the teachers' shortlists)."""
    teachers = np.flatnonzero(match >= 0).astype(np.int32)
    posts = match[teachers].astype(np.int32)
    rows, items, scores = result.by_teacher.edges()
    n_p = len(result.by_post)
    key = rows.astype(np.int64) * n_p + items
    order = np.argsort(key)
    want = teachers.astype(np.int64) * n_p + posts
    pos = np.searchsorted(key, want, sorter=order)
    found = order[np.minimum(pos, max(len(order) - 1, 0))] if len(order) else pos
    if len(want) and not (key[found] == want).all():
        raise ValueError("a matched pair is missing from the teachers' shortlists")
    return Assignment(teachers, posts, scores[found], len(match), n_p)
