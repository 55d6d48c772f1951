"""The teacher dashboard's "Suggested vacancies" card."""

import re

import pytest
from django.urls import reverse

from apps.matching import services
from apps.matching.models import Recommendation
from tests.matching.factories import english_teacher
from tests.matching.test_school_pages import english_post, push_run

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_invitations_first_with_main_reasons(
    client, center_user, school_a, school_b, liaison_b
):
    teacher = english_teacher()
    pushed = english_post(school_a, title_en="Pushed post")
    invited = english_post(school_b, title_en="Invited post")
    push_run(center_user, pushed, invited)
    services.recommendation_invite(
        actor=liaison_b,
        recommendation=Recommendation.objects.get(teacher=teacher, vacancy=invited),
    )
    client.force_login(teacher.user)

    response = client.get(reverse("dashboards:teacher"))

    page = response.content.decode()
    card = page[page.index('data-testid="suggested-vacancies"') :]
    assert re.findall(r'data-kind="(\w+)"', card) == ["invitation", "recommendation"]
    assert card.index("Invited post") < card.index("Pushed post")
    assert "Subjects: 100% match" in card
    assert school_b.name_en in card and str(school_b.district) in card
    assert reverse("matching:teacher_suggestions") in card
    pushed_code = Recommendation.objects.get(teacher=teacher, vacancy=pushed).code
    assert reverse("matching:teacher_apply", args=[pushed_code]) in card


def test_the_dashboard_card_is_empty_without_suggestions(client, teacher_user):
    client.force_login(teacher_user)

    page = client.get(reverse("dashboards:teacher")).content.decode()

    assert 'data-testid="suggested-vacancies"' in page
    assert 'data-testid="suggested-vacancy"' not in page
    assert reverse("matching:teacher_suggestions") in page
