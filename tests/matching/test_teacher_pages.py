"""The teacher's side of suggestions: invitations first, main reasons, one-click apply."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import Application, ApplicationStatus
from apps.matching import selectors, services
from apps.matching.models import Recommendation, RecommendationStatus
from apps.notifications.models import Notification
from apps.teachers.models import DocumentKind, TeacherStatus
from apps.vacancies.models import VacancyStatus
from tests.credit.factories import restriction_create
from tests.matching.factories import english_teacher
from tests.matching.test_school_pages import english_post, push_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(center_user, school_a, school_b, liaison_a):
    """One teacher; school A's vacancy pushed and invited, school B's pushed, one not pushed."""
    teacher = english_teacher()
    invited = english_post(school_a, title_en="Invited post")
    pushed = english_post(school_b, title_en="Pushed post")
    plain = english_post(school_b, title_en="Plain post")
    push_run(center_user, invited, pushed)
    recommendation = Recommendation.objects.get(teacher=teacher, vacancy=invited)
    services.recommendation_invite(
        actor=liaison_a, recommendation=recommendation, message="Come and meet our pupils."
    )
    return {
        "teacher": teacher,
        "invited": Recommendation.objects.get(teacher=teacher, vacancy=invited),
        "pushed": Recommendation.objects.get(teacher=teacher, vacancy=pushed),
        "plain": plain,
    }


def test_suggestions_show_invitations_first_then_vacancies_with_reasons(client, world):
    client.force_login(world["teacher"].user)

    response = client.get(reverse("matching:teacher_suggestions"))

    page = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'data-kind="(\w+)"', page) == ["invitation", "recommendation", "suggestion"]
    assert page.index("Invited post") < page.index("Pushed post") < page.index("Plain post")
    assert "Come and meet our pupils." in page
    assert "Subjects: 100% match" in page
    assert "15000–20000 CNY a month" in page and "2027-02-20" in page
    assert reverse("matching:teacher_apply", args=[world["pushed"].code]) in page
    assert reverse("matching:teacher_decline", args=[world["invited"].code]) in page
    assert reverse("matching:teacher_decline", args=[world["pushed"].code]) not in page
    # A plain suggestion sends the teacher to the vacancy's page and its normal apply form.
    assert reverse("vacancies:detail", args=[world["plain"].code]) in page


def test_the_suggestions_page_queries_are_bounded(client, world, django_assert_max_num_queries):
    client.force_login(world["teacher"].user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("matching:teacher_suggestions")).status_code == 200


def test_one_click_apply_creates_a_submitted_application(client, world, liaison_a):
    recommendation = world["invited"]
    client.force_login(world["teacher"].user)
    before = Notification.objects.filter(recipient=liaison_a).count()

    response = client.post(reverse("matching:teacher_apply", args=[recommendation.code]))

    application = Application.objects.get(teacher=world["teacher"], vacancy=recommendation.vacancy)
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.status == ApplicationStatus.SUBMITTED
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.APPLIED
    assert recommendation.application == application
    assert Notification.objects.filter(recipient=liaison_a).count() == before + 1
    follow = client.get(response["Location"])
    assert "Your application was sent to the school." in follow.content.decode()


def test_apply_to_a_closed_vacancy_shows_why(client, world):
    recommendation = world["pushed"]
    type(recommendation.vacancy).objects.filter(pk=recommendation.vacancy_id).update(
        status=VacancyStatus.CLOSED
    )
    client.force_login(world["teacher"].user)

    response = client.post(
        reverse("matching:teacher_apply", args=[recommendation.code]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("matching:teacher_suggestions")
    assert "no longer takes applications" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PUSHED
    assert not Application.objects.filter(teacher=world["teacher"]).exists()


def test_declining_an_invitation_tells_the_school_page(client, world, liaison_a):
    recommendation = world["invited"]
    client.force_login(world["teacher"].user)

    response = client.post(reverse("matching:teacher_decline", args=[recommendation.code]))

    assert response["Location"] == reverse("matching:teacher_suggestions")
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DECLINED
    client.force_login(liaison_a)
    url = reverse("matching:school_candidates", args=[recommendation.vacancy.code])
    assert 'data-status="declined"' in client.get(url).content.decode()


def test_the_suggestion_page_explains_every_component(client, world):
    recommendation = world["pushed"]
    client.force_login(world["teacher"].user)

    response = client.get(reverse("matching:teacher_suggestion", args=[recommendation.code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="suggestion-explanation"' in page
    assert "Years of teaching" in page and "Subjects: 100% match" in page
    assert reverse("matching:teacher_apply", args=[recommendation.code]) in page


def test_a_teacher_cannot_see_or_act_on_another_teachers_suggestion(client, world):
    other = english_teacher()
    client.force_login(other.user)
    for name in ("teacher_apply", "teacher_decline"):
        url = reverse(f"matching:{name}", args=[world["invited"].code])
        assert client.post(url).status_code == 404
    detail = reverse("matching:teacher_suggestion", args=[world["invited"].code])
    assert client.get(detail).status_code == 404
    world["invited"].refresh_from_db()
    assert world["invited"].status == RecommendationStatus.INVITED
    assert not Application.objects.exists()


def test_schools_and_anonymous_users_cannot_open_teacher_pages(client, world, liaison_a):
    url = reverse("matching:teacher_suggestions")
    assert client.get(url).status_code == 302
    client.force_login(liaison_a)
    assert client.get(url).status_code == 403
    apply = reverse("matching:teacher_apply", args=[world["pushed"].code])
    assert client.post(apply).status_code == 403


def test_an_opted_out_teacher_is_told_why_there_are_no_suggestions(client, world):
    teacher = world["teacher"]
    teacher.open_to_suggestions = False
    teacher.save()
    client.force_login(teacher.user)

    response = client.get(reverse("matching:teacher_suggestions"))
    detail = client.get(reverse("matching:teacher_suggestion", args=[world["pushed"].code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "you chose not to be suggested" in page
    assert reverse("teachers:profile_step", args=["preferences"]) in page
    assert 'data-testid="suggested-vacancy"' not in page
    assert reverse("matching:teacher_apply", args=[world["pushed"].code]) not in (
        detail.content.decode()
    )


def test_an_unverified_teacher_is_sent_to_the_checklist(client, teacher_user):
    client.force_login(teacher_user)

    response = client.get(reverse("matching:teacher_suggestions"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "until the service center has verified your profile" in page
    assert reverse("dashboards:teacher") in page


def test_a_teacher_who_fails_the_admission_standard_is_told_so(client, world):
    teacher = world["teacher"]
    teacher.documents.filter(kind=DocumentKind.CRIMINAL_RECORD).delete()
    assert teacher.status == TeacherStatus.VERIFIED
    client.force_login(teacher.user)

    page = client.get(reverse("matching:teacher_suggestions")).content.decode()

    assert "meet every rule of the admission standard" in page
    assert 'data-testid="suggested-vacancy"' not in page


def test_the_block_selector_names_the_first_reason_a_teacher_is_not_suggested(
    world, teacher_user, center_user
):
    teacher = world["teacher"]
    assert selectors.teacher_suggestion_block(user=teacher.user) is None
    assert selectors.teacher_suggestion_block(user=teacher_user) == "unverified"
    restriction_create(
        teacher=teacher, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )
    assert selectors.teacher_suggestion_block(user=teacher.user) == "blacklisted"
    teacher.open_to_suggestions = False
    teacher.save()
    assert selectors.teacher_suggestion_block(user=teacher.user) == "opted_out"
