"""The run page and its "why not" pages show the run's time in one zone (the reader's)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from apps.matching import services
from apps.matching.models import MatchSuggestion, RunStatus
from tests.matching.factories import english_teacher, english_vacancy

pytestmark = pytest.mark.django_db

# 18:58 UTC is 02:58 the next day in Shanghai: the two used to appear side by side.
STARTED = datetime(2026, 12, 3, 18, 58, tzinfo=UTC)


def test_why_not_back_link_shows_the_same_time_as_the_run_page(client, center_user):
    english_teacher(legal_name="Alice First")
    english_vacancy(title_en="Grade 3 English")
    with time_machine.travel(STARTED, tick=True):
        run = services.match_run_start(actor=center_user, queue=False)
        run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    teacher = MatchSuggestion.objects.filter(run=run).first().teacher
    client.force_login(center_user)

    header = client.get(reverse("matching:run_detail", args=[run.code])).content.decode()
    why_not = reverse("matching:why_not_teacher", args=[run.code, teacher.code])
    back_link = client.get(why_not).content.decode()

    assert "2026-12-04 02:58" in header
    link = re.search(r'<nav class="mb-2"><a href="[^"]+">(.*?)</a></nav>', back_link, re.S)
    assert link is not None
    assert "2026-12-04 02:58" in link.group(1)
    assert "18:58" not in link.group(1)
