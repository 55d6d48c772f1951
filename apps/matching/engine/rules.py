"""Hard pair rules as masks, and a bucketed index that enumerates only the pairs passing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .encoding import Posts, Side, Teachers

# Only for the engine used on its own (benchmarks, tests): the portal always passes
# PolicySettings.start_tolerance_days, whose default this mirrors (a test holds them equal).
DEFAULT_START_TOLERANCE_DAYS = 14

TEACHER_RULE_CODES = ("not_eligible", "blacklisted", "opted_out")
PAIR_RULE_CODES = ("subject", "native_language", "level", "category", "start_date")
RULE_CODES = TEACHER_RULE_CODES + PAIR_RULE_CODES

_START_OFFSET = 1 << 31


def _category_accepted(t: Side, p: Side, tol: int) -> np.ndarray:
    shift = t.category.astype(np.int32) - 1
    return ((p.accepted_categories.astype(np.int32) >> shift) & 1) != 0


# Each rule returns True where the pair passes; teacher rules ignore the post side.
_RULES: dict[str, Callable[[Side, Side, int], np.ndarray]] = {
    "not_eligible": lambda t, p, tol: t.eligible,
    "blacklisted": lambda t, p, tol: ~t.blacklisted,
    "opted_out": lambda t, p, tol: t.opted_in,
    "subject": lambda t, p, tol: (t.subjects & p.subjects) != 0,
    # Fails only when the shared subjects are all languages the teacher is not native in.
    "native_language": lambda t, p, tol: (
        ((t.subjects & p.subjects) == 0) | ((t.teachable & p.subjects) != 0)
    ),
    "level": lambda t, p, tol: (t.levels & p.levels) != 0,
    "category": _category_accepted,
    "start_date": lambda t, p, tol: (
        t.earliest_start.astype(np.int64) <= p.contract_start.astype(np.int64) + tol
    ),
}


def pair_rule_masks(
    teachers: Teachers,
    posts: Posts,
    ti: np.ndarray,
    pj: np.ndarray,
    *,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
) -> dict[str, np.ndarray]:
    """Return, per rule code, a boolean array that is True where pair (ti, pj) passes."""
    ti, pj = np.broadcast_arrays(np.asarray(ti), np.asarray(pj))
    t, p = Side(teachers, ti), Side(posts, pj)
    return {
        code: np.broadcast_to(_RULES[code](t, p, start_tolerance_days), ti.shape)
        for code in RULE_CODES
    }


def eligible_mask(
    teachers: Teachers,
    posts: Posts,
    ti: np.ndarray,
    pj: np.ndarray,
    *,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
) -> np.ndarray:
    """Return True where pair (ti, pj) passes every hard rule."""
    masks = pair_rule_masks(teachers, posts, ti, pj, start_tolerance_days=start_tolerance_days)
    out = np.ones(np.broadcast_shapes(np.shape(ti), np.shape(pj)), dtype=bool)
    for mask in masks.values():
        out &= mask
    return out


def pair_rule_codes(
    teachers: Teachers,
    posts: Posts,
    teacher: int,
    post: int,
    *,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
) -> list[str]:
    """Return the codes of the hard rules pair (teacher, post) fails, in ``RULE_CODES`` order."""
    masks = pair_rule_masks(
        teachers,
        posts,
        np.array([teacher]),
        np.array([post]),
        start_tolerance_days=start_tolerance_days,
    )
    return [code for code in RULE_CODES if not bool(masks[code][0])]


def teacher_ok(teachers: Teachers) -> np.ndarray:
    """Return True for teachers passing the teacher-only rules (eligible, not black-listed, in)."""
    return teachers.eligible & ~teachers.blacklisted & teachers.opted_in


@dataclass(frozen=True, eq=False)
class CandidateIndex:
    """Buckets that enumerate exactly the eligible pairs without testing the others.

    Teachers are grouped by (teachable subjects, levels, category) and posts by (subjects,
    levels, accepted categories): the bitmask rules hold for whole key pairs. Inside a post
    bucket posts are sorted by contract start, so the start-date rule keeps a suffix.
    """

    teachers: np.ndarray  # int32 ids of teachers passing the teacher-only rules, ascending
    teacher_key: np.ndarray  # int32 key per entry of ``teachers``
    compat_indptr: np.ndarray  # int64 CSR over teacher keys -> compatible post keys
    compat_keys: np.ndarray  # int32
    post_order: np.ndarray  # int32 post ids sorted by (post key, contract start, id)
    group_start: np.ndarray  # int64 first position of each post key in ``post_order``
    group_end: np.ndarray  # int64
    start_key: np.ndarray  # int64 (post key << 32 | contract start + 2**31), sorted
    tolerance: int

    @classmethod
    def build(
        cls,
        teachers: Teachers,
        posts: Posts,
        *,
        start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
        chunk: int = 1024,
    ) -> CandidateIndex:
        """Bucket teachers and posts by their rule keys."""
        ok = np.flatnonzero(teacher_ok(teachers)).astype(np.int32)
        t_rows = np.stack(
            [
                teachers.teachable[ok],
                teachers.levels[ok].astype(np.uint64),
                teachers.category[ok].astype(np.uint64),
            ],
            axis=1,
        )
        t_keys, t_inv = _unique_rows(t_rows)
        p_rows = np.stack(
            [
                posts.subjects,
                posts.levels.astype(np.uint64),
                posts.accepted_categories.astype(np.uint64),
            ],
            axis=1,
        )
        p_keys, p_inv = _unique_rows(p_rows)
        indptr, compat = _compatible_keys(t_keys, p_keys, chunk)

        start = posts.contract_start.astype(np.int64) + _START_OFFSET
        order = np.lexsort((np.arange(len(posts)), start, p_inv)).astype(np.int32)
        sorted_keys = p_inv[order].astype(np.int64)
        n_groups = len(p_keys)
        group_start = np.searchsorted(sorted_keys, np.arange(n_groups), side="left")
        group_end = np.searchsorted(sorted_keys, np.arange(n_groups), side="right")
        return cls(
            teachers=ok,
            teacher_key=t_inv.astype(np.int32),
            compat_indptr=indptr,
            compat_keys=compat,
            post_order=order,
            group_start=group_start.astype(np.int64),
            group_end=group_end.astype(np.int64),
            start_key=(sorted_keys << 32) | start[order],
            tolerance=start_tolerance_days,
        )

    def segments(
        self, teachers: Teachers, lo: int, hi: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (entry, first, end): ranges of ``post_order`` for entries lo..hi of teachers."""
        key = self.teacher_key[lo:hi]
        deg = self.compat_indptr[key + 1] - self.compat_indptr[key]
        total = int(deg.sum())
        entry = np.repeat(np.arange(lo, hi), deg)
        offsets = np.arange(total) - np.repeat(np.cumsum(deg) - deg, deg)
        groups = self.compat_keys[np.repeat(self.compat_indptr[key], deg) + offsets].astype(
            np.int64
        )
        earliest = teachers.earliest_start[self.teachers[entry]].astype(np.int64) - self.tolerance
        earliest = np.clip(earliest + _START_OFFSET, 0, (1 << 32) - 1)
        first = np.searchsorted(self.start_key, (groups << 32) | earliest, side="left")
        end = self.group_end[groups]
        keep = first < end
        return entry[keep], first[keep], end[keep]

    def pair_counts(self, teachers: Teachers) -> np.ndarray:
        """Return the number of eligible posts of each entry of ``self.teachers``."""
        counts = np.zeros(len(self.teachers), dtype=np.int64)
        step = 8192
        for lo in range(0, len(self.teachers), step):
            entry, first, end = self.segments(teachers, lo, min(lo + step, len(self.teachers)))
            counts += np.bincount(entry, weights=end - first, minlength=len(counts)).astype(
                np.int64
            )
        return counts

    def expand(
        self, entry: np.ndarray, first: np.ndarray, end: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Turn ranges into (entries, post ids) pair arrays, grouped by entry."""
        length = end - first
        total = int(length.sum())
        if total == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int32)
        # Positions step by one inside a range and jump to the next range's first position.
        step = np.ones(total, dtype=np.int64)
        starts = np.cumsum(length) - length
        step[starts[1:]] = first[1:] - end[:-1] + 1
        step[0] = first[0]
        return np.repeat(entry, length), self.post_order[np.cumsum(step)]


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(rows) == 0:
        return rows, np.zeros(0, dtype=np.int64)
    keys, inverse = np.unique(rows, axis=0, return_inverse=True)
    return keys, inverse.reshape(-1)


def _compatible_keys(
    t_keys: np.ndarray, p_keys: np.ndarray, chunk: int
) -> tuple[np.ndarray, np.ndarray]:
    deg = np.zeros(len(t_keys), dtype=np.int64)
    parts = []
    p_subj, p_lvl, p_cat = p_keys[:, 0], p_keys[:, 1], p_keys[:, 2]
    for lo in range(0, len(t_keys), chunk):
        tk = t_keys[lo : lo + chunk]
        ok = (tk[:, :1] & p_subj) != 0
        ok &= (tk[:, 1:2] & p_lvl) != 0
        ok &= ((p_cat >> (tk[:, 2:3] - np.uint64(1))) & np.uint64(1)) != 0
        rows, cols = np.nonzero(ok)
        deg[lo : lo + len(tk)] = np.bincount(rows, minlength=len(tk))
        parts.append(cols.astype(np.int32))
    indptr = np.zeros(len(t_keys) + 1, dtype=np.int64)
    np.cumsum(deg, out=indptr[1:])
    compat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return indptr, compat
