"""The school's cached candidate cards follow every write that changes them (issue 18).

Each test loads the candidates page (which caches the cards), writes through the services
as the users would — after commit, as in production — and loads it again: the change shows
at once. Another school never reaches the cached cards of a vacancy that is not its own.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.applications.services.pipeline import application_apply
from apps.core.models import TeachingLevel
from apps.matching import services
from apps.matching.models import Recommendation
from apps.teachers.services import teacher_update
from tests.credit.factories import restriction_create
from tests.matching.factories import english_teacher
from tests.matching.test_hired_teacher import _hire
from tests.matching.test_school_pages import english_post, push_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(django_capture_on_commit_callbacks):
    """Run a block's writes as committed: their after-commit version bumps happen."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def suggested(center_user, school_a):
    vacancy = english_post(school_a)
    teachers = [english_teacher(), english_teacher()]
    push_run(center_user, vacancy)
    return vacancy, teachers


def candidates(client, vacancy, language: str = "en"):
    with translation.override(language):
        url = reverse("matching:school_candidates", args=[vacancy.code])
    response = client.get(url)
    assert response.status_code == 200
    return response


def statuses(client, vacancy) -> dict[str, str]:
    """The cards shown, as {recommendation code: status}."""
    cards = candidates(client, vacancy).context["cards"]
    return {card.recommendation.code: card.recommendation.status for card in cards}


def _recommendation(teacher, vacancy) -> Recommendation:
    return Recommendation.objects.get(teacher=teacher, vacancy=vacancy)


def test_an_invitation_and_a_dismissal_show_at_once(client, liaison_a, suggested, written):
    vacancy, (first, second) = suggested
    invited, dismissed = _recommendation(first, vacancy), _recommendation(second, vacancy)
    client.force_login(liaison_a)
    assert statuses(client, vacancy) == {str(invited.code): "pushed", str(dismissed.code): "pushed"}

    with written():
        services.recommendation_invite(actor=liaison_a, recommendation=invited, message="Hello")
    assert 'data-status="invited"' in candidates(client, vacancy).content.decode()

    with written():
        services.recommendation_dismiss(actor=liaison_a, recommendation=dismissed)
    assert statuses(client, vacancy) == {str(invited.code): "invited"}


def test_a_new_push_adds_its_card(client, center_user, liaison_a, suggested, written):
    vacancy, teachers = suggested
    client.force_login(liaison_a)
    assert len(candidates(client, vacancy).context["cards"]) == 2

    with written():
        teachers.append(english_teacher())
        push_run(center_user, vacancy)

    assert len(candidates(client, vacancy).context["cards"]) == 3


def test_a_teacher_who_applies_shows_as_applied(client, liaison_a, suggested, written):
    vacancy, (teacher, _other) = suggested
    client.force_login(liaison_a)
    assert 'data-testid="candidate-application"' not in candidates(client, vacancy).content.decode()

    with written():
        application = application_apply(actor=teacher.user, vacancy=vacancy)

    page = candidates(client, vacancy).content.decode()
    assert 'data-status="applied"' in page
    assert reverse("applications:school_detail", args=[application.code]) in page


def test_a_teacher_hired_elsewhere_leaves_the_cards(
    client, school_b, liaison_a, liaison_b, suggested, written
):
    vacancy, (hired, free) = suggested
    client.force_login(liaison_a)
    assert len(candidates(client, vacancy).context["cards"]) == 2

    with written():
        _hire(hired, school_b, liaison_b)

    assert statuses(client, vacancy) == {str(_recommendation(free, vacancy).code): "pushed"}


def test_a_restricted_teacher_leaves_the_cards(client, liaison_a, suggested, written):
    vacancy, (restricted, free) = suggested
    client.force_login(liaison_a)
    assert len(candidates(client, vacancy).context["cards"]) == 2

    with written():
        restriction_create(teacher=restricted, reason="Illegal employment")

    assert statuses(client, vacancy) == {str(_recommendation(free, vacancy).code): "pushed"}


def test_a_teacher_who_opts_out_leaves_the_cards(client, liaison_a, suggested, written):
    vacancy, (leaving, staying) = suggested
    client.force_login(liaison_a)
    assert len(candidates(client, vacancy).context["cards"]) == 2

    with written():
        teacher_update(actor=leaving.user, teacher=leaving, values={"open_to_suggestions": False})

    assert statuses(client, vacancy) == {str(_recommendation(staying, vacancy).code): "pushed"}


def test_a_profile_edit_shows_on_the_card(client, liaison_a, suggested, written):
    vacancy, (teacher, _other) = suggested
    code = str(_recommendation(teacher, vacancy).code)
    client.force_login(liaison_a)

    def levels() -> list[str]:
        cards = candidates(client, vacancy).context["cards"]
        return next(card.levels for card in cards if card.recommendation.code == code)

    assert "Junior secondary school" not in levels()

    wanted = TeachingLevel.objects.filter(code__in=["primary", "junior_secondary"])
    with written():
        teacher_update(actor=teacher.user, teacher=teacher, values={}, m2m={"levels": wanted})

    assert "Junior secondary school" in levels()


def test_the_cards_are_kept_per_language(client, liaison_a, suggested):
    vacancy, _teachers = suggested
    client.force_login(liaison_a)

    assert "English" in candidates(client, vacancy, "en").context["cards"][0].subjects
    assert "英语" in candidates(client, vacancy, "zh-hans").context["cards"][0].subjects


def test_another_school_never_reaches_the_cached_cards(client, liaison_a, liaison_b, suggested):
    vacancy, _teachers = suggested
    client.force_login(liaison_a)
    assert len(candidates(client, vacancy).context["cards"]) == 2

    client.force_login(liaison_b)
    for name in ("matching:school_candidates", "matching:school_candidates_panel"):
        response = client.get(reverse(name, args=[vacancy.code]))
        assert response.status_code == 404
        assert 'data-testid="candidate-card"' not in response.content.decode()


def test_cached_cards_cost_the_recommendation_rows_only(
    client, liaison_a, suggested, django_assert_num_queries
):
    vacancy, _teachers = suggested
    client.force_login(liaison_a)
    candidates(client, vacancy)

    # The session, the user, the membership, the vacancy and its recommendation rows.
    with django_assert_num_queries(5):
        assert len(candidates(client, vacancy).context["cards"]) == 2


def test_a_stricter_policy_empties_the_cards(client, center_user, liaison_a, suggested, written):
    from apps.core.services import policy_settings_update

    vacancy, _teachers = suggested
    client.force_login(liaison_a)
    assert len(candidates(client, vacancy).context["cards"]) == 2

    # Both teachers were born in 1990: an age limit of 30 fails them the admission standard.
    with written():
        policy_settings_update(actor=center_user, age_limit=30)

    assert candidates(client, vacancy).context["cards"] == []
