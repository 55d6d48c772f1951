"""City-scale benchmark of the matching engine on synthetic data."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable

import numpy as np

from . import synthetic
from .assignment import assign_shortlists, dense_optimum
from .components import SCORE_SCALE, score_pairs
from .encoding import Posts, Teachers
from .rules import CandidateIndex
from .scoring import K_ASSIGN, K_SHOWN, ScoringResult, score_and_shortlist, shortlist_new_post
from .stable import deferred_acceptance, preferences_from_scores

EXACT_LIMIT = 5_000  # dense SciPy reference only up to this many teachers and posts


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def dense_scores(teachers: Teachers, posts: Posts, result: ScoringResult) -> np.ndarray:
    """Return the dense int32 score matrix of all eligible pairs (0 elsewhere)."""
    if len(teachers) > EXACT_LIMIT or len(posts) > EXACT_LIMIT:
        raise ValueError("the dense reference is limited to 5,000 teachers and posts")
    index = CandidateIndex.build(teachers, posts)
    dense = np.zeros((len(teachers), len(posts)), dtype=np.int32)
    entry, pj = index.expand(*index.segments(teachers, 0, len(index.teachers)))
    ti = index.teachers[entry]
    dense[ti, pj] = score_pairs(teachers, posts, ti, pj, result.plan)
    return dense


def run_benchmark(
    *,
    teachers: int,
    vacancies: int,
    seed: int = 0,
    exact: bool = False,
    workers: int | None = None,
    out: Callable[[str], None] = print,
) -> dict:
    """Run encode, score + shortlists, assignment and a stable round; report one line each."""
    started = time.perf_counter()

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        out(f"{name}: {now - since:.3f} s")
        return now

    mark = started
    _, t_arr, p_arr = synthetic.generate(teachers, vacancies, seed)
    mark = phase("encode", mark)
    result = score_and_shortlist(t_arr, p_arr, k_teacher=K_ASSIGN, k_post=K_SHOWN, workers=workers)
    mark = phase(f"score + shortlists ({result.eligible_pairs} eligible pairs)", mark)
    assignment = assign_shortlists(result, p_arr.capacity)
    mark = phase("assignment", mark)
    prefs = preferences_from_scores(result, p_arr.capacity, k=K_SHOWN)
    stable = deferred_acceptance(prefs)
    mark = phase(f"stable round ({int((stable >= 0).sum())} matched)", mark)
    if vacancies:
        shortlist_new_post(t_arr, p_arr, vacancies - 1)
        mark = phase("incremental shortlist (one new post)", mark)
    ratio = None
    if exact and teachers <= EXACT_LIMIT and vacancies <= EXACT_LIMIT:
        optimum = dense_optimum(dense_scores(t_arr, p_arr, result), p_arr.capacity)
        ratio = round(assignment.total_score / optimum, 6) if optimum else 1.0
        mark = phase("exact reference (SciPy dense)", mark)
    summary = {
        "teachers": teachers,
        "posts": vacancies,
        "seconds_total": round(time.perf_counter() - started, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "matched": len(assignment.teachers),
        "total_score": assignment.total_score / SCORE_SCALE,
        "optimum_ratio": ratio,
    }
    out(json.dumps(summary))
    return summary
