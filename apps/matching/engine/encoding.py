"""Compact array encoding of teachers and vacancy posts for the matching engine.

Bitmasks: subjects (uint64, one bit per subject), levels (uint16, one bit per school level),
districts (uint32, one bit per district), categories (uint8, bit ``c - 1`` for category ``c``),
languages (uint64, one bit per language). Dates are int days since 1970-01-01, money is CNY per
month, ``UNSET`` (-1) marks a missing integer preference.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

UNSET = -1
NO_LANGUAGE = -1


def _as(values: object, dtype: type, n: int | None = None, default: int | float = 0) -> np.ndarray:
    if values is None:
        if n is None:
            raise ValueError("length unknown for a defaulted array")
        return np.full(n, default, dtype=dtype)
    arr = np.ascontiguousarray(values, dtype=dtype)
    if arr.ndim != 1:
        raise ValueError("engine arrays are one-dimensional")
    return arr


@dataclass(frozen=True, eq=False)
class Catalog:
    """Reference data the engine needs: which language each subject bit teaches."""

    subject_language: np.ndarray  # int8 per subject bit: language bit index or NO_LANGUAGE

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject_language", _as(self.subject_language, np.int8))
        if len(self.subject_language) > 64:
            raise ValueError("at most 64 subjects fit a uint64 mask")

    def language_subjects(self) -> np.uint64:
        """Return the mask of subjects that are languages."""
        bits = np.flatnonzero(self.subject_language >= 0)
        return np.uint64(sum(1 << int(b) for b in bits))

    def teachable_subjects(self, subjects: np.ndarray, native_languages: np.ndarray) -> np.ndarray:
        """Return each teacher's subjects minus language subjects not in their native languages."""
        teachable = subjects & ~self.language_subjects()
        for bit in np.flatnonzero(self.subject_language >= 0):
            lang = np.uint64(1) << np.uint64(self.subject_language[bit])
            native = (native_languages & lang) != 0
            teachable |= np.where(native, subjects & (np.uint64(1) << np.uint64(bit)), 0).astype(
                np.uint64
            )
        return teachable


@dataclass(frozen=True, eq=False)
class Teachers:
    """Teacher-side arrays, one row per teacher; build with ``encode_teachers``."""

    subjects: np.ndarray  # uint64 subjects the teacher offers
    teachable: np.ndarray  # uint64 subjects left after the native-language rule
    levels: np.ndarray  # uint16 accepted school levels
    districts: np.ndarray  # uint32 preferred districts, 0 = no preference
    category: np.ndarray  # int8 category 1..6
    earliest_start: np.ndarray  # int32 days
    salary_expectation: np.ndarray  # int32 CNY/month or UNSET
    experience_years: np.ndarray  # int16
    degree: np.ndarray  # int8: 0 none, 1 bachelor, 2 master, 3 doctorate
    has_certificate: np.ndarray  # bool: recognised teaching certificate
    chinese_level: np.ndarray  # int8 HSK 0..6
    native_languages: np.ndarray  # uint64 language mask
    eligible: np.ndarray  # bool: admission standard passed
    blacklisted: np.ndarray  # bool
    opted_in: np.ndarray  # bool
    # Credit slots, fed by the evaluations-and-credit issue; None = not fed yet.
    star_level: np.ndarray | None = None  # int8 1..5, 0 = none
    red_list: np.ndarray | None = None  # bool
    evaluation: np.ndarray | None = None  # float32 0..1, NaN = no history

    def __post_init__(self) -> None:
        _check_lengths(self)
        if len(self.category) and (self.category.min() < 1 or self.category.max() > 8):
            raise ValueError("teacher categories run from 1 to 8")

    def __len__(self) -> int:
        return len(self.subjects)

    def subset(self, index: np.ndarray) -> Teachers:
        """Return the teachers at ``index`` (used by tests and district shards)."""
        return Teachers(**{f.name: _take(getattr(self, f.name), index) for f in fields(self)})


@dataclass(frozen=True, eq=False)
class Posts:
    """Post-side arrays, one row per vacancy post; build with ``encode_posts``."""

    subjects: np.ndarray  # uint64
    levels: np.ndarray  # uint16
    districts: np.ndarray  # uint32 districts of the post's school(s); a cluster post has several
    accepted_categories: np.ndarray  # uint8
    contract_start: np.ndarray  # int32 days
    salary_min: np.ndarray  # int32 CNY/month or UNSET
    salary_max: np.ndarray  # int32 CNY/month or UNSET
    min_experience: np.ndarray  # int16 years or UNSET
    min_degree: np.ndarray  # int8 or UNSET
    min_chinese: np.ndarray  # int8 HSK or UNSET
    capacity: np.ndarray  # int16 teachers this post takes (1 for a cluster post)

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.subjects)

    def subset(self, index: np.ndarray) -> Posts:
        """Return the posts at ``index``."""
        return Posts(**{f.name: _take(getattr(self, f.name), index) for f in fields(self)})


def _check_lengths(obj: Teachers | Posts) -> None:
    n = len(obj.subjects)
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is not None and len(value) != n:
            raise ValueError(f"column {f.name} has {len(value)} rows, expected {n}")


def _take(arr: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if arr is None else arr[index]


def encode_teachers(
    catalog: Catalog,
    *,
    subjects: object,
    levels: object,
    category: object,
    earliest_start: object,
    native_languages: object,
    districts: object = None,
    salary_expectation: object = None,
    experience_years: object = None,
    degree: object = None,
    has_certificate: object = None,
    chinese_level: object = None,
    eligible: object = None,
    blacklisted: object = None,
    opted_in: object = None,
    star_level: object = None,
    red_list: object = None,
    evaluation: object = None,
) -> Teachers:
    """Build ``Teachers`` from sequences, filling unset optional columns with neutral values."""
    subj = _as(subjects, np.uint64)
    n = len(subj)
    native = _as(native_languages, np.uint64)
    return Teachers(
        subjects=subj,
        teachable=catalog.teachable_subjects(subj, native),
        levels=_as(levels, np.uint16),
        districts=_as(districts, np.uint32, n, 0),
        category=_as(category, np.int8),
        earliest_start=_as(earliest_start, np.int32),
        salary_expectation=_as(salary_expectation, np.int32, n, UNSET),
        experience_years=_as(experience_years, np.int16, n, 0),
        degree=_as(degree, np.int8, n, 1),
        has_certificate=_as(has_certificate, np.bool_, n, False),
        chinese_level=_as(chinese_level, np.int8, n, 0),
        native_languages=native,
        eligible=_as(eligible, np.bool_, n, True),
        blacklisted=_as(blacklisted, np.bool_, n, False),
        opted_in=_as(opted_in, np.bool_, n, True),
        star_level=None if star_level is None else _as(star_level, np.int8),
        red_list=None if red_list is None else _as(red_list, np.bool_),
        evaluation=None if evaluation is None else _as(evaluation, np.float32),
    )


def encode_posts(
    *,
    subjects: object,
    levels: object,
    districts: object,
    accepted_categories: object,
    contract_start: object,
    salary_min: object = None,
    salary_max: object = None,
    min_experience: object = None,
    min_degree: object = None,
    min_chinese: object = None,
    capacity: object = None,
) -> Posts:
    """Build ``Posts`` from sequences, filling unset optional columns with ``UNSET`` or 1."""
    subj = _as(subjects, np.uint64)
    n = len(subj)
    return Posts(
        subjects=subj,
        levels=_as(levels, np.uint16),
        districts=_as(districts, np.uint32),
        accepted_categories=_as(accepted_categories, np.uint8),
        contract_start=_as(contract_start, np.int32),
        salary_min=_as(salary_min, np.int32, n, UNSET),
        salary_max=_as(salary_max, np.int32, n, UNSET),
        min_experience=_as(min_experience, np.int16, n, UNSET),
        min_degree=_as(min_degree, np.int8, n, UNSET),
        min_chinese=_as(min_chinese, np.int8, n, UNSET),
        capacity=_as(capacity, np.int16, n, 1),
    )


class Side:
    """Lazy view of teacher- or post-side columns gathered at an index vector."""

    __slots__ = ("_cache", "_idx", "_src")

    def __init__(self, src: Teachers | Posts, idx: np.ndarray) -> None:
        self._src = src
        self._idx = idx
        self._cache: dict[str, np.ndarray] = {}

    def __getattr__(self, name: str) -> np.ndarray:
        cache = self._cache
        if name not in cache:
            cache[name] = getattr(self._src, name)[self._idx]
        return cache[name]
