"""The checklist pages read the procedures and the policy from a cache: an edit shows at once."""

import re

import pytest
from django.urls import reverse

from apps.core.selectors import policy_settings_get
from apps.guidance.models import Procedure
from apps.guidance.services import procedure_save

from .conftest import arrive

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as a request does: its after-commit work (the version bump) included."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def _step(client, employment, slug) -> str:
    page = client.get(reverse("guidance:checklist", args=[employment.code])).content.decode()
    return re.search(rf'<tr data-testid="step-{slug}".*?</tr>', page, re.S).group(0)


def test_an_edited_procedure_shows_on_the_checklist_at_once(
    client, committed, employment_a, liaison_a, center_user
):
    arrive(employment_a, liaison_a)
    client.force_login(liaison_a)
    assert "work permit card" in _step(client, employment_a, "work-permit-card")

    procedure = Procedure.objects.get(slug="work-permit-card")
    procedure.title_en = "Work permit card (Hangzhou)"
    committed(procedure_save, actor=center_user, procedure=procedure)

    assert "Work permit card (Hangzhou)" in _step(client, employment_a, "work-permit-card")


def test_a_changed_time_limit_shows_on_the_checklist_at_once(
    client, committed, employment_a, liaison_a
):
    arrive(employment_a, liaison_a)  # 2 March
    client.force_login(liaison_a)
    step = _step(client, employment_a, "work-permit-card")
    assert "within 15 days of" in step and "2026-03-17" in step

    policy = policy_settings_get()
    policy.work_permit_card_days = 10
    committed(policy.save)

    step = _step(client, employment_a, "work-permit-card")
    assert "within 10 days of" in step and "2026-03-12" in step
