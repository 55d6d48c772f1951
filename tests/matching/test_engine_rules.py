"""Hard pair rules: single-pair codes, masks, and the bucketed index enumerating them."""

import numpy as np
import pytest

from apps.matching.engine import (
    RULE_CODES,
    CandidateIndex,
    Catalog,
    eligible_mask,
    encode_posts,
    encode_teachers,
    pair_rule_codes,
    synthetic,
)

ENGLISH, JAPANESE, MATHS = 1, 2, 4  # subject bits of the catalogue below
CATALOG = Catalog(np.array([0, 1, -1], dtype=np.int8))  # English, Japanese, maths


def _teacher(**over):
    row = {
        "subjects": ENGLISH,
        "levels": 0b11,
        "category": 1,
        "earliest_start": 100,
        "native_languages": 0b01,
        "eligible": True,
        "blacklisted": False,
        "opted_in": True,
    }
    row.update(over)
    return encode_teachers(CATALOG, **{k: [v] for k, v in row.items()})


def _post(**over):
    row = {
        "subjects": ENGLISH,
        "levels": 0b10,
        "districts": 1,
        "accepted_categories": 0b1,
        "contract_start": 100,
    }
    row.update(over)
    return encode_posts(**{k: [v] for k, v in row.items()})


@pytest.mark.parametrize(
    ("teacher", "post", "codes"),
    [
        ({}, {}, []),
        ({"subjects": MATHS}, {}, ["subject"]),
        ({"levels": 0b100}, {}, ["level"]),
        ({"category": 3}, {}, ["category"]),
        ({"earliest_start": 115}, {}, ["start_date"]),
        ({"earliest_start": 114}, {}, []),
        ({"native_languages": 0b10}, {}, ["native_language"]),
        ({"subjects": JAPANESE, "native_languages": 0b10}, {"subjects": JAPANESE}, []),
        # A shared non-language subject satisfies the native-language rule.
        (
            {"subjects": ENGLISH | MATHS, "native_languages": 0b10},
            {"subjects": ENGLISH | MATHS},
            [],
        ),
        ({"eligible": False}, {}, ["not_eligible"]),
        ({"blacklisted": True, "opted_in": False}, {}, ["blacklisted", "opted_out"]),
        ({"subjects": MATHS, "levels": 0b100, "category": 2}, {}, ["subject", "level", "category"]),
    ],
)
def test_pair_rule_codes(teacher, post, codes):
    found = pair_rule_codes(_teacher(**teacher), _post(**post), 0, 0, start_tolerance_days=14)
    assert found == codes


def test_rule_codes_cover_the_admission_rules():
    assert set(RULE_CODES) == {
        "subject",
        "level",
        "category",
        "start_date",
        "native_language",
        "not_eligible",
        "blacklisted",
        "opted_out",
    }


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("tolerance", [0, 14])
def test_index_enumerates_exactly_the_eligible_pairs(seed, tolerance):
    make = synthetic.small_world if seed % 2 else synthetic.generate
    _, teachers, posts = make(300, 250, seed)
    dense = eligible_mask(
        teachers,
        posts,
        np.arange(len(teachers))[:, None],
        np.arange(len(posts))[None, :],
        start_tolerance_days=tolerance,
    )
    index = CandidateIndex.build(teachers, posts, start_tolerance_days=tolerance)
    entry, pj = index.expand(*index.segments(teachers, 0, len(index.teachers)))
    ti = index.teachers[entry]
    assert len(set(zip(ti.tolist(), pj.tolist(), strict=True))) == len(ti)
    found = np.zeros_like(dense)
    found[ti, pj] = True
    assert (found == dense).all()
    counts = index.pair_counts(teachers)
    assert counts.sum() == dense.sum()
    assert (counts == dense[index.teachers].sum(axis=1)).all()


def test_index_handles_empty_sides():
    _, teachers, posts = synthetic.generate(20, 0, 1)
    index = CandidateIndex.build(teachers, posts)
    assert index.pair_counts(teachers).sum() == 0
    _, teachers, posts = synthetic.generate(0, 20, 1)
    index = CandidateIndex.build(teachers, posts)
    assert len(index.teachers) == 0


def test_synthetic_density_is_a_few_percent():
    _, teachers, posts = synthetic.generate(2000, 2000, 3)
    counts = CandidateIndex.build(teachers, posts).pair_counts(teachers)
    assert 0.01 < counts.sum() / (2000 * 2000) < 0.10


def test_encoding_rejects_bad_columns():
    with pytest.raises(ValueError, match="rows"):
        encode_teachers(
            CATALOG,
            subjects=[1, 1],
            levels=[1],
            category=[1, 1],
            earliest_start=[0, 0],
            native_languages=[1, 1],
        )
    with pytest.raises(ValueError, match="categories"):
        _teacher(category=0)
    with pytest.raises(ValueError, match="rows"):
        encode_posts(
            subjects=[1],
            levels=[1],
            districts=[1, 2],
            accepted_categories=[1],
            contract_start=[0],
        )
