import uuid

import pytest
from django.urls import reverse

from apps.core.models import District
from apps.matching import services
from apps.matching.engine import COMPONENT_CODES
from apps.matching.explanations import COMPONENT_LABELS, component_lines
from tests.matching.factories import XIHU, english_teacher, english_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_run(center_user):
    other = District.objects.exclude(code=XIHU).order_by("sort_order").first()
    for _ in range(5):
        english_teacher()
    for _ in range(2):
        english_vacancy()
    english_vacancy(district_code=other.code)
    run = services.match_run_start(actor=center_user, queue=False)
    return services.match_run_execute(run_id=run.pk)


def test_every_component_has_a_label_and_weights_are_shares():
    assert set(COMPONENT_LABELS) == set(COMPONENT_CODES)
    lines = component_lines({"subject": 1.0, "level": 0.5}, {"subject": 3.0, "level": 1.0})
    assert [line.code for line in lines] == ["subject", "level"]
    assert [line.weight for line in lines] == [0.75, 0.25]
    assert lines[1].points == pytest.approx(12.5)


def test_center_staff_see_the_assignment_with_reasons(
    client, center_user, done_run, django_assert_max_num_queries
):
    client.force_login(center_user)
    url = reverse("matching:run_detail", args=[done_run.code])
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('data-testid="assignment-row"') == 3
    assert "Subjects: 100% ×" in text and "refresh" not in text
    response = client.get(url, {"district": XIHU})
    assert response.content.decode().count('data-testid="assignment-row"') == 2


def test_a_queued_run_page_polls_its_progress(client, center_user):
    run = services.match_run_start(actor=center_user, queue=False)
    client.force_login(center_user)
    response = client.get(reverse("matching:run_detail", args=[run.code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{reverse("matching:run_progress", args=[run.code])}"' in text
    assert 'hx-trigger="every 1500ms"' in text and 'http-equiv="refresh"' not in text


def test_others_cannot_open_a_run(client, done_run, school_user, teacher_user, bureau_user):
    url = reverse("matching:run_detail", args=[done_run.code])
    for user in (school_user, teacher_user, bureau_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_unknown_run_is_not_found(client, center_user):
    client.force_login(center_user)
    assert client.get(reverse("matching:run_detail", args=[uuid.uuid4()])).status_code == 404
