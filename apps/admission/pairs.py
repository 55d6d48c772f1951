"""Pair rules: may this teacher take this post? (The teacher-level standard is in rules.py.)

Defined once here for the portal; the matching engine vectorises the same five rules
(`apps.matching.engine.rules`), and a test holds the two equal on random pairs. The facts are
plain data so vacancies (a higher layer) can describe a post without this app importing it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from .rules import RuleResult

PAIR_RULE_CODES = ("subject", "native_language", "level", "category", "start_date")


@dataclass(frozen=True)
class TeacherPairFacts:
    subject_ids: frozenset[int]
    level_ids: frozenset[int]
    native_language_ids: frozenset[int]
    category: int | None
    earliest_start: date | None


@dataclass(frozen=True)
class PostPairFacts:
    subject_ids: frozenset[int]
    level_ids: frozenset[int]
    # subject id → the language it teaches (None for a non-language subject)
    subject_languages: Mapping[int, int | None]
    accepted_categories: frozenset[int]
    contract_start: date


def native_language_ids(nationality: str, languages: Iterable) -> frozenset[int]:
    """Return the languages whose native-speaker countries include the nationality.

    The same definition as the admission standard's native-speaker rule.
    """
    nationality = str(nationality or "")
    return frozenset(
        language.pk
        for language in languages
        if nationality and nationality in {str(country) for country in language.native_countries}
    )


def teacher_pair_facts(teacher, *, languages: Iterable) -> TeacherPairFacts:
    """Describe a teacher for the pair rules (prefetch subjects and levels; pass all languages)."""
    return TeacherPairFacts(
        subject_ids=frozenset(s.pk for s in teacher.subjects.all()),
        level_ids=frozenset(level.pk for level in teacher.levels.all()),
        native_language_ids=native_language_ids(teacher.nationality, languages),
        category=teacher.category,
        earliest_start=teacher.earliest_start,
    )


def pair_rules(
    teacher: TeacherPairFacts,
    post: PostPairFacts,
    *,
    start_tolerance_days: int,
) -> list[RuleResult]:
    """Return every pair rule's result (passed or failed) with its reason, in a fixed order.

    ``start_tolerance_days`` is PolicySettings.start_tolerance_days: a teacher available that
    many days after the contract start still qualifies.
    """
    shared = teacher.subject_ids & post.subject_ids
    # Fails only when every shared subject is a language the teacher is not native in.
    native_ok = not shared or any(
        post.subject_languages.get(subject) is None
        or post.subject_languages[subject] in teacher.native_language_ids
        for subject in shared
    )
    latest_start = post.contract_start + timedelta(days=start_tolerance_days)
    return [
        RuleResult(
            "subject",
            bool(shared),
            _("You have not chosen any of this vacancy's subjects."),
        ),
        RuleResult(
            "native_language",
            native_ok,
            _("Language subjects are taught by native speakers of that language."),
        ),
        RuleResult(
            "level",
            bool(teacher.level_ids & post.level_ids),
            _("You have not chosen the school levels this vacancy is for."),
        ),
        RuleResult(
            "category",
            teacher.category in post.accepted_categories,
            _("This vacancy does not accept teachers of your category."),
        ),
        RuleResult(
            "start_date",
            teacher.earliest_start is None or teacher.earliest_start <= latest_start,
            _("You can start only after the contract begins (%(start)s)."),
            params={"start": post.contract_start.isoformat()},
        ),
    ]


def pair_failures(teacher: TeacherPairFacts, post: PostPairFacts, **options) -> list[RuleResult]:
    """Return only the pair rules the teacher fails for the post."""
    return [rule for rule in pair_rules(teacher, post, **options) if not rule.passed]


def qualifying_posts(
    teacher: TeacherPairFacts, posts: Iterable[tuple[int, PostPairFacts]], **options
) -> list[int]:
    """Return the ids of the posts the teacher passes every pair rule for."""
    return [pk for pk, post in posts if not pair_failures(teacher, post, **options)]
