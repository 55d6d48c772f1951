"""Explanations: one pair, and why a teacher or a post went unmatched."""

import numpy as np

from apps.matching.engine import (
    COMPONENT_CODES,
    Catalog,
    assign_shortlists,
    encode_posts,
    encode_teachers,
    explain_pair,
    score_and_shortlist,
    synthetic,
    why_not_matched_post,
    why_not_matched_teacher,
)

CATALOG = Catalog(np.array([0, -1], dtype=np.int8))  # English, maths


def _world(teacher_rows, post_rows):
    teachers = encode_teachers(
        CATALOG,
        **{k: [row[k] for row in teacher_rows] for k in teacher_rows[0]},
    )
    posts = encode_posts(**{k: [row[k] for row in post_rows] for k in post_rows[0]})
    result = score_and_shortlist(teachers, posts)
    return teachers, posts, result, assign_shortlists(result, posts.capacity)


def _t(**over):
    row = {
        "subjects": 1,
        "levels": 1,
        "category": 1,
        "earliest_start": 100,
        "native_languages": 1,
        "experience_years": 3,
        "eligible": True,
        "blacklisted": False,
    }
    return row | over


def _p(**over):
    row = {
        "subjects": 1,
        "levels": 1,
        "districts": 1,
        "accepted_categories": 1,
        "contract_start": 100,
        "min_experience": -1,
        "capacity": 1,
    }
    return row | over


def test_explain_pair_gives_codes_and_numbers():
    _, teachers, posts = synthetic.generate(30, 30, 2)
    explained = explain_pair(teachers, posts, 3, 4)
    assert [c.code for c in explained.components] == list(COMPONENT_CODES[:8])
    assert explained.score == explained.score_units / 100
    assert isinstance(explained.failed_rules, tuple)


def test_teacher_outranked_for_a_single_post():
    teachers, posts, result, assignment = _world(
        [_t(experience_years=10), _t(experience_years=0)], [_p()]
    )
    assert assignment.post_of_teacher().tolist() == [0, -1]
    diagnosis = why_not_matched_teacher(teachers, posts, 1, scoring=result, assignment=assignment)
    assert diagnosis.matched == ()
    (reason,) = diagnosis.reasons
    assert reason.code == "outranked" and reason.other == 0
    assert reason.rival_units > reason.score_units
    matched = why_not_matched_teacher(teachers, posts, 0, scoring=result, assignment=assignment)
    assert matched.matched == (0,) and matched.reasons == ()


def test_teacher_losing_to_the_total_gets_capacity():
    # Teacher 0 scores best on post 0 but is the only one fitting post 1.
    teachers, posts, result, assignment = _world(
        [_t(subjects=3, experience_years=10), _t(experience_years=4)],
        [_p(), _p(subjects=2)],
    )
    assert assignment.post_of_teacher().tolist() == [1, 0]
    diagnosis = why_not_matched_post(teachers, posts, 0, scoring=result, assignment=assignment)
    assert diagnosis.matched == (1,)
    assert diagnosis.reasons == ()
    one_post = posts.subset(np.array([0]))
    result = score_and_shortlist(teachers, one_post)
    assignment = assign_shortlists(result, one_post.capacity)
    diagnosis = why_not_matched_teacher(
        teachers, one_post, 1, scoring=result, assignment=assignment
    )
    assert [r.code for r in diagnosis.reasons] == ["outranked"]


def test_teacher_rule_failures_and_no_candidates():
    teachers, posts, result, assignment = _world(
        [_t(blacklisted=True), _t(subjects=2), _t(levels=2, earliest_start=300)],
        [_p(), _p(contract_start=400)],
    )
    first = why_not_matched_teacher(teachers, posts, 0, scoring=result, assignment=assignment)
    assert [r.code for r in first.reasons] == ["blacklisted"]
    second = why_not_matched_teacher(teachers, posts, 1, scoring=result, assignment=assignment)
    (reason,) = second.reasons
    assert reason.code == "no_candidates" and reason.counts == {"subject": 2}
    third = why_not_matched_teacher(teachers, posts, 2, scoring=result, assignment=assignment)
    assert third.reasons[0].counts == {"level": 2, "start_date": 1}


def test_post_without_candidates_tallies_teacher_rules():
    teachers, posts, result, assignment = _world([_t(eligible=False), _t(category=3)], [_p()])
    diagnosis = why_not_matched_post(teachers, posts, 0, scoring=result, assignment=assignment)
    (reason,) = diagnosis.reasons
    assert reason.code == "no_candidates"
    assert reason.counts == {"not_eligible": 1, "category": 1}


def test_post_whose_teachers_went_elsewhere():
    teachers, posts, result, assignment = _world(
        [_t(subjects=3, experience_years=10)],
        [_p(subjects=1, min_experience=20), _p(subjects=2)],
    )
    assert len(assignment.teachers) == 1
    lost = 1 - int(assignment.posts[0])
    diagnosis = why_not_matched_post(teachers, posts, lost, scoring=result, assignment=assignment)
    (reason,) = diagnosis.reasons
    assert reason.code in {"outranked", "capacity"} and reason.other == 0


def test_every_unmatched_teacher_gets_a_reason():
    _, teachers, posts = synthetic.generate(600, 300, 5)
    result = score_and_shortlist(teachers, posts)
    assignment = assign_shortlists(result, posts.capacity)
    post_of = assignment.post_of_teacher()
    for t in np.flatnonzero(post_of < 0)[:60]:
        d = why_not_matched_teacher(teachers, posts, int(t), scoring=result, assignment=assignment)
        assert d.reasons
        # Top-50 edges all reach the solver: an unmatched teacher's candidates are all full.
        assert all(r.code != "not_selected" for r in d.reasons)
