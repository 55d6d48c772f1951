"""The school's side of suggestions: anonymised cards, invite, dismiss, and who may see them."""

from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications.services.pipeline import application_apply
from apps.core.models import Subject, TeachingLevel
from apps.matching import selectors, services
from apps.matching.models import (
    MatchSuggestion,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
)
from apps.notifications.models import Notification
from apps.schools.models import SchoolGroupMember
from apps.vacancies.models import VacancyStatus
from tests.credit.factories import restriction_create
from tests.matching.factories import english_teacher
from tests.schools.factories import SchoolFactory, SchoolGroupFactory, SchoolMembershipFactory
from tests.vacancies.factories import VacancyFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def english_post(school, **kwargs):
    """A published primary English vacancy of the given school."""
    return VacancyFactory(
        school=school,
        subjects=[Subject.objects.get(code="english")],
        levels=[TeachingLevel.objects.get(code="primary")],
        **kwargs,
    )


def push_run(center_user, *vacancies):
    """Run a real city match and push every shortlisted pair of the vacancies to their schools."""
    run = services.match_run_start(actor=center_user, queue=False)
    run = services.match_run_execute(run_id=run.pk)
    pairs = MatchSuggestion.objects.filter(run=run, vacancy__in=vacancies, rank__isnull=False)
    services.recommendations_push(
        actor=center_user, run=run, suggestion_ids=list(pairs.values_list("pk", flat=True))
    )
    return run


@pytest.fixture
def suggested(center_user, school_a):
    vacancy = english_post(school_a)
    teachers = [english_teacher(), english_teacher()]
    push_run(center_user, vacancy)
    return vacancy, teachers


def _recommendation(teacher, vacancy) -> Recommendation:
    return Recommendation.objects.get(teacher=teacher, vacancy=vacancy)


def _cards(response) -> int:
    return response.content.decode().count('data-testid="candidate-card"')


def test_the_school_sees_anonymised_cards_with_the_explanation(client, liaison_a, suggested):
    vacancy, teachers = suggested
    client.force_login(liaison_a)

    response = client.get(reverse("matching:school_candidates", args=[vacancy.code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert _cards(response) == 2
    assert 'data-testid="candidate-explanation"' in page and "100%" in page
    assert str(_recommendation(teachers[0], vacancy).score) in page
    assert reverse("matching:school_invite", args=[_recommendation(teachers[0], vacancy).code]) in (
        page
    )
    for teacher in teachers:
        teacher.refresh_from_db()
        assert teacher.legal_name not in page
        assert teacher.user.email not in page
        assert teacher.passport_number not in page
        assert "United Kingdom" not in page


def test_the_panel_is_a_fragment_with_the_same_cards(client, liaison_a, suggested):
    vacancy, _teachers = suggested
    client.force_login(liaison_a)

    response = client.get(reverse("matching:school_candidates_panel", args=[vacancy.code]))

    assert response.status_code == 200
    assert _cards(response) == 2
    assert "<html" not in response.content.decode()
    # Actions posted from the panel come back to the vacancy page.
    assert reverse("vacancies:school_detail", args=[vacancy.code]) in response.content.decode()


def test_candidate_detail_shows_one_card_open(client, liaison_a, suggested):
    vacancy, teachers = suggested
    recommendation = _recommendation(teachers[0], vacancy)
    client.force_login(liaison_a)

    response = client.get(reverse("matching:school_candidate", args=[recommendation.code]))

    assert response.status_code == 200
    assert _cards(response) == 1
    assert "<details open" in response.content.decode()


def test_the_candidates_page_queries_do_not_grow_with_cards(
    client, liaison_a, center_user, school_a
):
    vacancy = english_post(school_a)
    english_teacher()
    push_run(center_user, vacancy)
    client.force_login(liaison_a)
    url = reverse("matching:school_candidates", args=[vacancy.code])
    client.get(url)
    # The cards are cached: compare the requests that build them.
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        assert _cards(client.get(url)) == 1
    for _ in range(3):
        english_teacher()
    push_run(center_user, vacancy)
    cache.clear()
    with CaptureQueriesContext(connection) as four:
        assert _cards(client.get(url)) == 4
    assert len(four) == len(one)


def test_another_school_cannot_see_or_act_on_the_candidates(client, liaison_b, suggested):
    vacancy, teachers = suggested
    recommendation = _recommendation(teachers[0], vacancy)
    client.force_login(liaison_b)

    assert client.get(reverse("matching:school_candidates", args=[vacancy.code])).status_code == 404
    panel = reverse("matching:school_candidates_panel", args=[vacancy.code])
    assert client.get(panel).status_code == 404
    detail = reverse("matching:school_candidate", args=[recommendation.code])
    assert client.get(detail).status_code == 404
    assert client.post(
        reverse("matching:school_invite", args=[recommendation.code])
    ).status_code == (404)
    dismiss = reverse("matching:school_dismiss", args=[recommendation.code])
    assert client.post(dismiss).status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PUSHED


def test_a_cluster_member_school_cannot_see_the_lead_schools_candidates(
    client, school_a, suggested
):
    vacancy, _teachers = suggested
    group = SchoolGroupFactory(lead_school=school_a)
    member = SchoolFactory()
    SchoolGroupMember.objects.create(group=group, school=member)
    vacancy.cluster = group
    vacancy.save()
    vacancy.cluster_schools.create(school=member, weekly_hours=6)
    client.force_login(SchoolMembershipFactory(school=member).user)

    assert client.get(reverse("matching:school_candidates", args=[vacancy.code])).status_code == 404


def test_teachers_and_anonymous_users_cannot_open_school_pages(client, teacher_user, suggested):
    vacancy, teachers = suggested
    recommendation = _recommendation(teachers[0], vacancy)
    urls = [
        reverse("matching:school_candidates", args=[vacancy.code]),
        reverse("matching:school_candidate", args=[recommendation.code]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(teacher_user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(
        reverse("matching:school_invite", args=[recommendation.code])
    ).status_code == (403)


def test_a_teacher_black_listed_after_the_push_disappears(
    client, liaison_a, center_user, suggested
):
    vacancy, (barred, kept) = suggested
    restriction_create(
        teacher=barred, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )
    client.force_login(liaison_a)

    page = client.get(reverse("matching:school_candidates", args=[vacancy.code]))
    detail = client.get(
        reverse("matching:school_candidate", args=[_recommendation(barred, vacancy).code])
    )

    assert _cards(page) == 1
    assert str(_recommendation(kept, vacancy).code) in page.content.decode()
    assert detail.status_code == 404
    client.force_login(barred.user)
    own = client.get(reverse("matching:teacher_suggestions"))
    assert own.status_code == 200
    assert 'data-testid="suggested-vacancy"' not in own.content.decode()
    assert "credit restriction" in own.content.decode()


def test_invite_notifies_the_teacher_in_their_language(client, liaison_a, suggested):
    vacancy, (teacher, _other) = suggested
    recommendation = _recommendation(teacher, vacancy)
    client.force_login(liaison_a)

    response = client.post(
        reverse("matching:school_invite", args=[recommendation.code]),
        {"message": "We would love to meet you."},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:school_candidates", args=[vacancy.code])
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.INVITED
    assert recommendation.message == "We would love to meet you."
    notification = Notification.objects.get(recipient=teacher.user, kind="matching")
    assert notification.language == "en"
    assert notification.url == reverse("matching:teacher_suggestions")
    assert "invites you to apply" in notification.title
    page = client.get(response["Location"]).content.decode()
    # The liaison reads the date in Asia/Shanghai, which is a day ahead of UTC after 16:00 UTC.
    invited_on = timezone.localdate(recommendation.invited_at, SHANGHAI)
    assert f"Invited on {invited_on:%Y-%m-%d}" in page
    assert 'data-status="invited"' in page


def test_inviting_twice_shows_the_services_message(client, liaison_a, suggested):
    vacancy, (teacher, _other) = suggested
    recommendation = _recommendation(teacher, vacancy)
    url = reverse("matching:school_invite", args=[recommendation.code])
    client.force_login(liaison_a)
    client.post(url)

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert Notification.objects.filter(recipient=teacher.user, kind="matching").count() == 1


def test_the_panel_posts_return_to_the_vacancy_page(client, liaison_a, suggested):
    vacancy, (teacher, _other) = suggested
    recommendation = _recommendation(teacher, vacancy)
    back = reverse("vacancies:school_detail", args=[vacancy.code])
    client.force_login(liaison_a)

    response = client.post(
        reverse("matching:school_invite", args=[recommendation.code]), {"next": back}
    )
    outside = client.post(
        reverse("matching:school_dismiss", args=[_recommendation(_other, vacancy).code]),
        {"next": "https://evil.example.com/"},
    )

    assert response["Location"] == back
    assert outside["Location"] == reverse("matching:school_candidates", args=[vacancy.code])


def test_not_interested_takes_the_candidate_off_the_list(client, liaison_a, suggested):
    vacancy, (teacher, _other) = suggested
    recommendation = _recommendation(teacher, vacancy)
    client.force_login(liaison_a)

    client.post(reverse("matching:school_dismiss", args=[recommendation.code]))

    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DISMISSED
    assert _cards(client.get(reverse("matching:school_candidates", args=[vacancy.code]))) == 1


def test_after_the_teacher_applies_the_card_links_to_the_application(client, liaison_a, suggested):
    vacancy, (teacher, _other) = suggested
    recommendation = _recommendation(teacher, vacancy)
    application = services.recommendation_apply(actor=teacher.user, recommendation=recommendation)
    client.force_login(liaison_a)

    page = client.get(reverse("matching:school_candidates", args=[vacancy.code])).content.decode()

    assert 'data-status="applied"' in page
    assert reverse("applications:school_detail", args=[application.code]) in page


def test_a_stable_round_proposal_is_confirmed_with_an_offer(client, liaison_a, suggested):
    vacancy, (teacher, _other) = suggested
    application = application_apply(actor=teacher.user, vacancy=vacancy)
    recommendation = _recommendation(teacher, vacancy)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        kind=RecommendationKind.PROPOSAL, application=application
    )
    client.force_login(liaison_a)

    page = client.get(reverse("matching:school_candidates", args=[vacancy.code])).content.decode()

    assert "confirm with an offer" in page
    assert reverse("applications:school_detail", args=[application.code]) in page
    assert reverse("matching:school_invite", args=[recommendation.code]) not in page


def test_the_vacancy_page_loads_the_panel_only_for_the_owner(client, liaison_a, school_a):
    vacancy = english_post(school_a)
    draft = english_post(school_a, status=VacancyStatus.DRAFT)
    group = SchoolGroupFactory(lead_school=school_a)
    member = SchoolFactory()
    SchoolGroupMember.objects.create(group=group, school=member)
    shared = english_post(school_a, cluster=group)
    shared.cluster_schools.create(school=member, weekly_hours=6)
    hook = 'hx-trigger="load"'

    client.force_login(liaison_a)
    page = client.get(reverse("vacancies:school_detail", args=[vacancy.code])).content.decode()
    draft_page = client.get(reverse("vacancies:school_detail", args=[draft.code]))
    client.force_login(SchoolMembershipFactory(school=member).user)
    member_page = client.get(reverse("vacancies:school_detail", args=[shared.code]))

    assert reverse("matching:school_candidates_panel", args=[vacancy.code]) in page and hook in page
    assert reverse("matching:school_candidates", args=[vacancy.code]) in page
    assert hook not in draft_page.content.decode()
    assert member_page.status_code == 200 and hook not in member_page.content.decode()


def test_the_card_selector_builds_anonymised_cards_for_the_own_school_only(
    liaison_a, liaison_b, suggested
):
    vacancy, teachers = suggested
    cards = selectors.candidate_cards_for_vacancy(user=liaison_a, vacancy=vacancy)
    assert {card.recommendation.teacher_id for card in cards} == {t.pk for t in teachers}
    assert all(card.subjects == ["English"] and card.lines for card in cards)
    code = cards[0].recommendation.code
    assert selectors.candidate_card_get(user=liaison_a, code=code).recommendation.code == code
    with pytest.raises(PermissionDenied):
        selectors.candidate_cards_for_vacancy(user=liaison_b, vacancy=vacancy)
