"""A hired teacher leaves matching: no run, card, invitation or push; their page says why."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.models import Subject, TeachingLevel
from apps.employment.services import employment_hire
from apps.matching import selectors, services
from apps.matching.explanations import teacher_check
from apps.matching.loader import suggestible_teacher_ids
from apps.matching.models import MatchSuggestion, Recommendation
from tests.applications.factories import accepted_application
from tests.applications.factories import english_vacancy as post_at
from tests.matching.factories import english_teacher
from tests.vacancies.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def english_post(school, **kwargs):
    """A published primary English vacancy of the given school."""
    return VacancyFactory(
        school=school,
        subjects=[Subject.objects.get(code="english")],
        levels=[TeachingLevel.objects.get(code="primary")],
        **kwargs,
    )


def _hire(teacher, school, liaison) -> None:
    employment_hire(
        actor=liaison, application=accepted_application(post_at(school=school), teacher)
    )


def _run(center_user):
    run = services.match_run_start(actor=center_user, queue=False)
    return services.match_run_execute(run_id=run.pk)


@pytest.fixture
def pair(center_user, school_a, school_b):
    """Two teachers and school B's vacancy, both pushed to school B before anyone is hired."""
    vacancy = english_post(school_b, title_en="Post at B")
    teachers = [english_teacher(), english_teacher()]
    run = _run(center_user)
    pairs = MatchSuggestion.objects.filter(run=run, vacancy=vacancy, teacher__in=teachers)
    assert pairs.count() == 2
    return vacancy, teachers, run, pairs


def test_a_run_no_longer_assigns_a_hired_teacher(center_user, school_a, liaison_a, school_b):
    hired, free = english_teacher(), english_teacher()
    _hire(hired, school_a, liaison_a)
    english_post(school_b)

    run = _run(center_user)

    assert not MatchSuggestion.objects.filter(run=run, teacher=hired).exists()
    assert MatchSuggestion.objects.filter(run=run, teacher=free, assigned=True).exists()
    assert suggestible_teacher_ids({hired.pk, free.pk}) == {free.pk}


def test_a_teacher_holding_an_accepted_offer_is_not_matched(center_user, school_a, school_b):
    teacher = english_teacher()
    accepted_application(post_at(school=school_a), teacher)
    english_post(school_b)

    run = _run(center_user)

    assert not MatchSuggestion.objects.filter(run=run, teacher=teacher).exists()


def test_school_b_no_longer_sees_or_invites_a_teacher_hired_at_a(
    client, pair, center_user, liaison_a, liaison_b, school_a
):
    vacancy, (hired, free), run, pairs = pair
    services.recommendations_push(
        actor=center_user, run=run, suggestion_ids=list(pairs.values_list("pk", flat=True))
    )
    recommendation = Recommendation.objects.get(teacher=hired, vacancy=vacancy)

    _hire(hired, school_a, liaison_a)

    cards = selectors.candidate_cards_for_vacancy(user=liaison_b, vacancy=vacancy)
    assert [card.recommendation.teacher_id for card in cards] == [free.pk]
    with pytest.raises(ValidationError):
        services.recommendation_invite(actor=liaison_b, recommendation=recommendation)
    client.force_login(liaison_b)
    page = client.get(reverse("matching:school_candidate", args=[recommendation.code]))
    assert page.status_code == 404


def test_the_hired_teachers_suggestions_page_says_why_it_is_empty(
    client, pair, center_user, liaison_a, school_a
):
    vacancy, (hired, _free), run, pairs = pair
    services.recommendations_push(
        actor=center_user, run=run, suggestion_ids=[pairs.get(teacher=hired).pk]
    )
    _hire(hired, school_a, liaison_a)
    client.force_login(hired.user)

    page = client.get(reverse("matching:teacher_suggestions")).content.decode()

    assert 'data-testid="suggested-vacancy"' not in page
    assert "You get no suggestions while you are employed by a school" in page
    assert reverse("employment:teacher_list") in page
    assert selectors.teacher_suggested_vacancies(user=hired.user) == []


def test_a_push_reports_each_skipped_pair_and_why(client, pair, center_user, liaison_a, school_a):
    vacancy, (hired, free), run, pairs = pair
    _hire(hired, school_a, liaison_a)

    outcome = services.recommendations_push(
        actor=center_user, run=run, suggestion_ids=list(pairs.values_list("pk", flat=True))
    )

    assert outcome.pushed == 1
    assert [(s.suggestion.teacher_id, s.code) for s in outcome.skipped] == [(hired.pk, "employed")]
    assert list(Recommendation.objects.values_list("teacher_id", flat=True)) == [free.pk]


@pytest.mark.parametrize(
    ("language", "pushed", "skipped"),
    [
        ("en", "1 suggestion pushed to the schools.", "Employed by a school"),
        ("zh-hans", "已向学校推送 1 条推荐。", "已受雇于一所学校"),
    ],
)
def test_the_push_page_lists_the_skipped_pairs_in_its_language(
    client, language, pushed, skipped, pair, center_user, liaison_a, school_a
):
    vacancy, (hired, _free), run, pairs = pair
    _hire(hired, school_a, liaison_a)
    client.force_login(center_user)
    with translation.override(language):
        url = reverse("matching:run_push", args=[run.code])

    response = client.post(url, {"suggestion": list(pairs.values_list("pk", flat=True))})

    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert texts[0] == pushed
    assert len(texts) == 2
    assert skipped in texts[1] and "Post at B" in texts[1]


def test_the_center_is_told_why_a_hired_teacher_is_not_suggested(school_a, liaison_a):
    teacher = english_teacher()
    _hire(teacher, school_a, liaison_a)

    check = teacher_check(teacher, on=timezone.localdate())

    assert check.codes == ["employed"]
    assert check.problems == [
        "Employed by a school: not available for another post until that employment ends."
    ]
    assert check.admission_failures == []
