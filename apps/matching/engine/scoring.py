"""Blocked, threaded scoring of the eligible pairs into top-K shortlists."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .components import MAX_SCORE, ScoringPlan, Weights, plan_scoring, score_pairs
from .encoding import Posts, Teachers
from .rules import DEFAULT_START_TOLERANCE_DAYS, CandidateIndex, eligible_mask

K_ASSIGN = 50  # candidates per teacher fed to the global assignment
K_SHOWN = 20  # shortlist length shown on screens
_SCORE_BITS = MAX_SCORE.bit_length()


@dataclass(frozen=True, eq=False)
class Shortlist:
    """Ranked lists in CSR form: row i holds ``items[indptr[i]:indptr[i + 1]]``, best first."""

    indptr: np.ndarray  # int64, rows + 1
    items: np.ndarray  # int32 post ids (teacher rows) or teacher ids (post rows)
    scores: np.ndarray  # int32 score units, descending within a row; ties by ascending id

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (ids, scores) of row ``i``."""
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.items[lo:hi], self.scores[lo:hi]

    def head(self, k: int) -> Shortlist:
        """Return the first ``k`` entries of every row."""
        lengths = np.minimum(np.diff(self.indptr), k)
        keep = _ranks(self.indptr) < k
        indptr = np.zeros_like(self.indptr)
        np.cumsum(lengths, out=indptr[1:])
        return Shortlist(indptr, self.items[keep], self.scores[keep])

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (row ids, item ids, scores) as flat arrays."""
        rows = np.repeat(np.arange(len(self), dtype=np.int32), np.diff(self.indptr))
        return rows, self.items, self.scores


@dataclass(frozen=True, eq=False)
class ScoringResult:
    by_teacher: Shortlist  # top ``k_teacher`` posts per teacher
    by_post: Shortlist  # top ``k_post`` teachers per post
    eligible_pairs: int
    plan: ScoringPlan


def _ranks(indptr: np.ndarray) -> np.ndarray:
    lengths = np.diff(indptr)
    return np.arange(int(indptr[-1]), dtype=np.int64) - np.repeat(indptr[:-1], lengths)


def _top_k_grouped(
    group: np.ndarray, other: np.ndarray, score: np.ndarray, n_groups: int, n_other: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the best ``k`` (score desc, other asc) per group; return sorted (group, other, s)."""
    other_bits = max(int(n_other - 1).bit_length(), 1)
    group_bits = max(int(n_groups - 1).bit_length(), 1)
    if group_bits + _SCORE_BITS + other_bits > 63:
        raise ValueError("too many rows for a 64-bit sort key")
    key = group.astype(np.int64) << (_SCORE_BITS + other_bits)
    key |= (MAX_SCORE - score).astype(np.int64) << other_bits
    key |= other.astype(np.int64)
    key.sort()
    g = (key >> (_SCORE_BITS + other_bits)).astype(np.int32)
    counts = np.bincount(g, minlength=n_groups)
    indptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    key = key[_ranks(indptr) < k]
    g = (key >> (_SCORE_BITS + other_bits)).astype(np.int32)
    s = MAX_SCORE - ((key >> other_bits) & ((1 << _SCORE_BITS) - 1)).astype(np.int32)
    o = (key & ((1 << other_bits) - 1)).astype(np.int32)
    return g, o, s


def _csr(group: np.ndarray, items: np.ndarray, scores: np.ndarray, n: int) -> Shortlist:
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(group, minlength=n), out=indptr[1:])
    return Shortlist(indptr, items.astype(np.int32), scores.astype(np.int32))


def _blocks(counts: np.ndarray, block_pairs: int) -> list[tuple[int, int]]:
    """Split entries into contiguous ranges of about ``block_pairs`` pairs each."""
    if len(counts) == 0:
        return []
    cum = np.cumsum(counts)
    bounds = np.searchsorted(cum, np.arange(block_pairs, int(cum[-1]), block_pairs), side="left")
    edges = np.unique(np.concatenate([[0], bounds + 1, [len(counts)]]))
    edges = edges[edges <= len(counts)]
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def score_and_shortlist(
    teachers: Teachers,
    posts: Posts,
    *,
    weights: Weights | None = None,
    k_teacher: int = K_ASSIGN,
    k_post: int = K_SHOWN,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
    workers: int | None = None,
    block_pairs: int = 1 << 19,
    chunk_pairs: int = 1 << 17,
) -> ScoringResult:
    """Score every eligible pair in teacher blocks and keep top-K lists for both sides."""
    plan = plan_scoring(teachers, weights)
    n_t, n_p = len(teachers), len(posts)
    index = CandidateIndex.build(teachers, posts, start_tolerance_days=start_tolerance_days)
    counts = index.pair_counts(teachers)
    blocks = _blocks(counts, block_pairs)
    # Per-post threshold: a pair scoring below a post's current k-th best can never enter.
    state = {"threshold": np.full(n_p, -1, dtype=np.int32)}

    def run(block: tuple[int, int]) -> tuple:
        lo, hi = block
        entry, pj = index.expand(*index.segments(teachers, lo, hi))
        ti = index.teachers[entry]
        scores = np.empty(len(ti), dtype=np.int32)
        for c in range(0, len(ti), chunk_pairs):
            sl = slice(c, c + chunk_pairs)
            scores[sl] = score_pairs(teachers, posts, ti[sl], pj[sl], plan)
        by_t = _top_k_grouped(entry - lo, pj, scores, hi - lo, n_p, k_teacher)
        keep = scores >= state["threshold"][pj]
        by_p = _top_k_grouped(pj[keep], ti[keep], scores[keep], n_p, n_t, k_post)
        return index.teachers[lo + by_t[0]], by_t[1], by_t[2], by_p

    teacher_parts, post_parts, pending = [], [], 0
    n_workers = max(1, workers or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        for t_ids, t_posts, t_scores, by_p in pool.map(run, blocks):
            teacher_parts.append((t_ids, t_posts, t_scores))
            post_parts.append(by_p)
            pending += len(by_p[0])
            if pending > 4 * n_p * k_post and len(post_parts) > 1:
                post_parts = [_merge_post_parts(post_parts, n_p, n_t, k_post, state)]
                pending = len(post_parts[0][0])
    merged = _merge_post_parts(post_parts, n_p, n_t, k_post, state)
    by_teacher = _concat_csr(teacher_parts, n_t)
    by_post = _csr(merged[0], merged[1], merged[2], n_p)
    return ScoringResult(by_teacher, by_post, int(counts.sum()), plan)


def _merge_post_parts(
    parts: list, n_p: int, n_t: int, k: int, state: dict
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not parts:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, empty
    g, o, s = (np.concatenate([part[i] for part in parts]) for i in range(3))
    g, o, s = _top_k_grouped(g, o, s, n_p, n_t, k)
    full = np.bincount(g, minlength=n_p) >= k
    last = np.zeros(n_p, dtype=np.int32) - 1
    if len(g):
        # Rows are sorted best-first, so the last entry of a full row is its k-th best.
        ends = np.cumsum(np.bincount(g, minlength=n_p)) - 1
        last[full] = s[ends[full]]
    state["threshold"] = np.maximum(state["threshold"], last)
    return g, o, s


def _concat_csr(parts: list, n_t: int) -> Shortlist:
    if not parts:
        return _csr(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int32), n_t)
    t, p, s = (np.concatenate([part[i] for part in parts]) for i in range(3))
    return _csr(t, p, s, n_t)


def shortlist_new_post(
    teachers: Teachers,
    posts: Posts,
    post: int,
    *,
    weights: Weights | None = None,
    k: int = K_SHOWN,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (teacher ids, scores) of the top ``k`` teachers for one (new) post."""
    plan = plan_scoring(teachers, weights)
    ti = np.arange(len(teachers), dtype=np.int32)
    pj = np.full(len(teachers), post, dtype=np.int32)
    ok = eligible_mask(teachers, posts, ti, pj, start_tolerance_days=start_tolerance_days)
    ti, pj = ti[ok], pj[ok]
    scores = score_pairs(teachers, posts, ti, pj, plan)
    zero = np.zeros(len(ti), dtype=np.int32)
    _, t_ids, s = _top_k_grouped(zero, ti, scores, 1, len(teachers), k)
    return t_ids, s


def insert_post(
    by_teacher: Shortlist, post: int, teacher_ids: np.ndarray, scores: np.ndarray, k: int
) -> Shortlist:
    """Merge one post's scored teachers into per-teacher shortlists, keeping ``k`` each."""
    rows, items, old = by_teacher.edges()
    keep = items != post
    g = np.concatenate([rows[keep], teacher_ids.astype(np.int32)])
    o = np.concatenate([items[keep], np.full(len(teacher_ids), post, dtype=np.int32)])
    s = np.concatenate([old[keep], scores.astype(np.int32)])
    n_p = max(int(o.max(initial=0)) + 1, post + 1)
    g, o, s = _top_k_grouped(g, o, s, len(by_teacher), n_p, k)
    return _csr(g, o, s, len(by_teacher))
