"""The portal's pair rules and the matching engine's masks are one rule set: held equal here."""

import random
from datetime import date, timedelta

import pytest

from apps.admission.pairs import (
    PAIR_RULE_CODES,
    PostPairFacts,
    TeacherPairFacts,
    pair_failures,
)
from apps.core.models import PolicySettings
from apps.matching.engine import Catalog, encode_posts, encode_teachers, pair_rule_codes
from apps.matching.engine.rules import DEFAULT_START_TOLERANCE_DAYS

# A small catalogue: subjects 0-2 are languages (0 and 1 English, 2 French), 3-5 are not.
SUBJECT_LANGUAGE = {0: 0, 1: 0, 2: 1, 3: None, 4: None, 5: None}
LANGUAGES = [0, 1, 2]
LEVELS = list(range(5))
BASE = date(2027, 2, 1)
# The policy's number (PolicySettings.start_tolerance_days): both rule sets are handed it.
TOLERANCE = 14


def _mask(bits) -> int:
    return sum(1 << bit for bit in bits)


def _subset(rng: random.Random, items, low=0, high=3):
    return frozenset(rng.sample(items, rng.randint(low, min(high, len(items)))))


def _random_pair(rng: random.Random):
    teacher = TeacherPairFacts(
        subject_ids=_subset(rng, list(SUBJECT_LANGUAGE)),
        level_ids=_subset(rng, LEVELS),
        native_language_ids=_subset(rng, LANGUAGES, 0, 2),
        category=rng.randint(1, 5),
        earliest_start=BASE + timedelta(days=rng.randint(-60, 90)),
    )
    post = PostPairFacts(
        subject_ids=_subset(rng, list(SUBJECT_LANGUAGE), 1, 2),
        level_ids=_subset(rng, LEVELS, 1, 2),
        subject_languages=SUBJECT_LANGUAGE,
        accepted_categories=_subset(rng, [1, 2, 3, 4, 5], 1, 5),
        contract_start=BASE + timedelta(days=rng.randint(0, 60)),
    )
    return teacher, post


def _engine_codes(teacher: TeacherPairFacts, post: PostPairFacts) -> set[str]:
    catalog = Catalog([-1 if lang is None else lang for lang in SUBJECT_LANGUAGE.values()])
    teachers = encode_teachers(
        catalog,
        subjects=[_mask(teacher.subject_ids)],
        levels=[_mask(teacher.level_ids)],
        category=[teacher.category],
        earliest_start=[teacher.earliest_start.toordinal()],
        native_languages=[_mask(teacher.native_language_ids)],
    )
    posts = encode_posts(
        subjects=[_mask(post.subject_ids)],
        levels=[_mask(post.level_ids)],
        districts=[1],
        accepted_categories=[_mask(c - 1 for c in post.accepted_categories)],
        contract_start=[post.contract_start.toordinal()],
    )
    codes = pair_rule_codes(teachers, posts, 0, 0, start_tolerance_days=TOLERANCE)
    return set(codes) & set(PAIR_RULE_CODES)


@pytest.mark.parametrize("seed", range(6))
def test_portal_pair_rules_equal_the_engines_masks(seed):
    rng = random.Random(seed)
    for _ in range(100):
        teacher, post = _random_pair(rng)

        portal = {
            rule.code for rule in pair_failures(teacher, post, start_tolerance_days=TOLERANCE)
        }

        assert portal == _engine_codes(teacher, post), (teacher, post)


def test_a_native_speaker_rule_example():
    english_teacher_from_france = TeacherPairFacts(
        subject_ids=frozenset({0, 3}),
        level_ids=frozenset({1}),
        native_language_ids=frozenset({1}),
        category=1,
        earliest_start=BASE,
    )
    oral_english_post = PostPairFacts(
        subject_ids=frozenset({0}),
        level_ids=frozenset({1}),
        subject_languages=SUBJECT_LANGUAGE,
        accepted_categories=frozenset({1}),
        contract_start=BASE,
    )
    science_and_english_post = PostPairFacts(
        subject_ids=frozenset({0, 3}),
        level_ids=frozenset({1}),
        subject_languages=SUBJECT_LANGUAGE,
        accepted_categories=frozenset({1}),
        contract_start=BASE,
    )

    assert [
        r.code
        for r in pair_failures(
            english_teacher_from_france, oral_english_post, start_tolerance_days=TOLERANCE
        )
    ] == ["native_language"]
    assert (
        pair_failures(
            english_teacher_from_france, science_and_english_post, start_tolerance_days=TOLERANCE
        )
        == []
    )


def test_the_engine_alone_uses_the_policys_default_tolerance():
    default = PolicySettings._meta.get_field("start_tolerance_days").default
    assert DEFAULT_START_TOLERANCE_DAYS == default == TOLERANCE
