"""Synthetic teachers and posts with Hangzhou-like distributions, for benchmarks and tests."""

from __future__ import annotations

import numpy as np

from .encoding import UNSET, Catalog, Posts, Teachers, encode_posts, encode_teachers

# Subject bits: 0 oral English, 1 English, 2 Japanese, 3 French, 4 German, 5 Spanish, 6 Korean,
# 7 Russian, 8 science, 9 maths, 10 art, 11 music, 12 PE, 13 IB/AP/A-level.
# Language bits: 0 English, 1 Japanese, 2 French, 3 German, 4 Spanish, 5 Korean, 6 Russian,
# 7 other.
SUBJECT_LANGUAGE = (0, 0, 1, 2, 3, 4, 5, 6, -1, -1, -1, -1, -1, -1)
N_DISTRICTS = 14
N_LEVELS = 7
DAY_2026_09_01 = 20697

_POST_SUBJECT_P = np.array(
    [0.42, 0.30, 0.04, 0.02, 0.02, 0.02, 0.02, 0.01, 0.04, 0.03, 0.02, 0.02, 0.02, 0.02]
)
_LEVEL_P = np.array([0.22, 0.32, 0.18, 0.12, 0.06, 0.05, 0.05])
_DISTRICT_P = np.array([10, 9, 12, 9, 10, 10, 7, 6, 5, 4, 3, 2, 3, 1], dtype=float)
# Native language of a teacher's nationality group; 7 = a language no post teaches.
_NATIVE_P = np.array([0.58, 0.06, 0.05, 0.05, 0.04, 0.04, 0.04, 0.14])
_CATEGORY_P = np.array([0.45, 0.10, 0.25, 0.10, 0.10])
_NON_LANGUAGE = np.arange(8, 14)


def catalog() -> Catalog:
    """Return the synthetic subject catalogue."""
    return Catalog(np.array(SUBJECT_LANGUAGE, dtype=np.int8))


def _bits(idx: np.ndarray) -> np.ndarray:
    return np.left_shift(np.uint64(1), idx.astype(np.uint64))


def _level_span(rng: np.random.Generator, n: int, extra_p: tuple[float, ...]) -> np.ndarray:
    """Return level masks of one level plus 0..k neighbouring levels."""
    start = rng.choice(N_LEVELS, size=n, p=_LEVEL_P)
    width = rng.choice(len(extra_p), size=n, p=np.array(extra_p))
    mask = np.zeros(n, dtype=np.uint16)
    for w in range(len(extra_p)):
        lvl = np.minimum(start + w, N_LEVELS - 1)
        mask |= np.where(width >= w, np.left_shift(1, lvl), 0).astype(np.uint16)
    return mask


def teachers(rng: np.random.Generator, n: int, cat: Catalog) -> Teachers:
    """Generate ``n`` teachers."""
    native = rng.choice(len(_NATIVE_P), size=n, p=_NATIVE_P)
    native_mask = _bits(native)
    bilingual = rng.random(n) < 0.06
    native_mask |= np.where(bilingual, np.uint64(1), np.uint64(0))
    english = native == 0
    lang_subject = np.array([1, 2, 3, 4, 5, 6, 7, 1])[native]  # others mostly try English
    subjects = np.where(
        english,
        np.where(rng.random(n) < 0.5, _bits(np.zeros(n)), np.uint64(0)) | _bits(np.ones(n)),
        _bits(lang_subject),
    ).astype(np.uint64)
    subjects |= np.where(rng.random(n) < 0.25, _bits(rng.choice(_NON_LANGUAGE, n)), np.uint64(0))
    districts = np.zeros(n, dtype=np.uint32)
    for _ in range(3):
        pick = rng.choice(N_DISTRICTS, size=n, p=_DISTRICT_P / _DISTRICT_P.sum())
        districts |= np.where(rng.random(n) < 0.5, np.left_shift(1, pick), 0).astype(np.uint32)
    salary = (rng.lognormal(np.log(15000), 0.3, n) // 500 * 500).clip(8000, 30000)
    salary = np.where(rng.random(n) < 0.1, UNSET, salary)
    return encode_teachers(
        cat,
        subjects=subjects,
        levels=_level_span(rng, n, (0.3, 0.45, 0.25)),
        category=rng.choice(5, size=n, p=_CATEGORY_P) + 1,
        earliest_start=DAY_2026_09_01 + rng.normal(0, 60, n).astype(np.int32),
        native_languages=native_mask,
        districts=districts,
        salary_expectation=salary,
        experience_years=np.minimum(rng.geometric(0.2, n) - 1, 35),
        degree=rng.choice(4, size=n, p=[0.03, 0.64, 0.29, 0.04]),
        has_certificate=rng.random(n) < 0.6,
        chinese_level=rng.choice(7, size=n, p=[0.45, 0.2, 0.15, 0.1, 0.05, 0.03, 0.02]),
        eligible=rng.random(n) < 0.85,
        blacklisted=rng.random(n) < 0.01,
        opted_in=rng.random(n) < 0.95,
    )


def posts(rng: np.random.Generator, n: int) -> Posts:
    """Generate ``n`` vacancy posts."""
    first = rng.choice(len(_POST_SUBJECT_P), size=n, p=_POST_SUBJECT_P)
    subjects = _bits(first)
    both_english = (first <= 1) & (rng.random(n) < 0.2)
    subjects |= np.where(both_english, np.uint64(3), np.uint64(0))
    accepted = np.ones(n, dtype=np.uint8)  # in-service teachers are always accepted
    for cat, p in ((2, 0.8), (3, 0.6), (4, 0.3), (5, 0.4)):
        accepted |= np.where(rng.random(n) < p, 1 << (cat - 1), 0).astype(np.uint8)
    salary_min = (rng.lognormal(np.log(13000), 0.3, n) // 500 * 500).clip(8000, 26000)
    salary_max = np.minimum(salary_min + rng.choice([2000, 3000, 5000, 8000], n), 30000)
    term = rng.random(n) < 0.7  # most contracts start in September, the rest in February
    start = np.where(term, DAY_2026_09_01, DAY_2026_09_01 + 153) + rng.integers(-20, 40, n)
    district = rng.choice(N_DISTRICTS, size=n, p=_DISTRICT_P / _DISTRICT_P.sum())
    return encode_posts(
        subjects=subjects,
        levels=_level_span(rng, n, (0.8, 0.2)),
        districts=np.left_shift(1, district).astype(np.uint32),
        accepted_categories=accepted,
        contract_start=start,
        salary_min=salary_min,
        salary_max=salary_max,
        min_experience=np.where(rng.random(n) < 0.4, UNSET, rng.choice([1, 2, 3, 5], n)),
        min_degree=np.where(rng.random(n) < 0.9, 1, 2),
        min_chinese=np.where(rng.random(n) < 0.85, UNSET, rng.choice([1, 2, 3], n)),
        capacity=rng.choice([1, 2, 3], size=n, p=[0.9, 0.08, 0.02]),
    )


def generate(n_teachers: int, n_posts: int, seed: int = 0) -> tuple[Catalog, Teachers, Posts]:
    """Generate a reproducible synthetic city: (catalogue, teachers, posts)."""
    rng = np.random.default_rng(seed)
    cat = catalog()
    return cat, teachers(rng, n_teachers, cat), posts(rng, n_posts)


def small_world(n_teachers: int, n_posts: int, seed: int = 0) -> tuple[Catalog, Teachers, Posts]:
    """Generate a dense toy instance (few subjects and levels) where many pairs are eligible."""
    rng = np.random.default_rng(seed)
    cat = Catalog(np.array([0, 1, -1, -1], dtype=np.int8))  # English, Japanese, maths, art
    n, m = n_teachers, n_posts
    subjects = rng.integers(1, 16, n).astype(np.uint64)
    t = encode_teachers(
        cat,
        subjects=subjects,
        levels=rng.integers(1, 8, n),
        category=rng.integers(1, 4, n),
        earliest_start=rng.integers(100, 160, n),
        native_languages=rng.choice([1, 2, 3, 4], n, p=[0.6, 0.2, 0.1, 0.1]),
        districts=np.where(rng.random(n) < 0.3, 0, rng.integers(1, 16, n)),
        salary_expectation=np.where(rng.random(n) < 0.2, UNSET, rng.integers(8, 30, n) * 1000),
        experience_years=rng.integers(0, 12, n),
        degree=rng.integers(0, 4, n),
        has_certificate=rng.random(n) < 0.5,
        chinese_level=rng.integers(0, 7, n),
        eligible=rng.random(n) < 0.9,
        blacklisted=rng.random(n) < 0.05,
        opted_in=rng.random(n) < 0.95,
    )
    salary_min = rng.integers(8, 25, m) * 1000
    p = encode_posts(
        subjects=rng.integers(1, 16, m),
        levels=rng.integers(1, 8, m),
        districts=np.left_shift(1, rng.integers(0, 4, m)),
        accepted_categories=rng.integers(1, 8, m),
        contract_start=rng.integers(100, 170, m),
        salary_min=np.where(rng.random(m) < 0.1, UNSET, salary_min),
        salary_max=salary_min + rng.integers(1, 8, m) * 1000,
        min_experience=np.where(rng.random(m) < 0.4, UNSET, rng.integers(0, 6, m)),
        min_degree=np.where(rng.random(m) < 0.5, UNSET, rng.integers(0, 3, m)),
        min_chinese=np.where(rng.random(m) < 0.7, UNSET, rng.integers(1, 5, m)),
        capacity=rng.choice([1, 2], m, p=[0.8, 0.2]),
    )
    return cat, t, p
