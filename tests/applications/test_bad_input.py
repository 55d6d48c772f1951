"""Offers and interviews at the wrong stage or on impossible terms: refused on the page."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from apps.applications import services
from apps.applications.models import ApplicationStatus, Offer
from tests.applications.factories import offer_terms

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _zh(name, *args):
    with translation.override("zh-hans"):
        return reverse(name, args=args)


@pytest.fixture
def application(vacancy, teacher):
    return services.application_apply(actor=teacher.user, vacancy=vacancy)


@pytest.fixture
def shortlisted(application, liaison_a):
    return services.application_shortlist(actor=liaison_a, application=application)


def test_service_refuses_a_salary_outside_the_vacancy_range(shortlisted, liaison_a):
    with pytest.raises(ValidationError) as error:
        services.offer_make(
            actor=liaison_a, application=shortlisted, terms=offer_terms(salary=25000)
        )

    assert "salary" in error.value.message_dict
    assert "15000" in error.value.message_dict["salary"][0]
    assert not Offer.objects.exists()


def test_service_refuses_a_reply_by_in_the_past(shortlisted, liaison_a):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.offer_make(
            actor=liaison_a, application=shortlisted, terms=offer_terms(reply_by=yesterday)
        )

    assert "reply_by" in error.value.message_dict


def test_offer_page_shows_both_refusals_in_chinese_with_the_input(client, shortlisted, liaison_a):
    client.force_login(liaison_a)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = client.post(
        _zh("applications:offer", shortlisted.code),
        offer_terms(salary=9999, reply_by=yesterday),
    )

    form = response.context["offer_form"]
    assert response.status_code == 400
    assert set(form.errors) >= {"salary", "reply_by"}
    assert all(_is_chinese(str(e)) for e in [*form.errors["salary"], *form.errors["reply_by"]])
    page = unescape(response.content.decode())
    assert 'value="9999"' in page and f'value="{yesterday}"' in page
    shortlisted.refresh_from_db()
    assert shortlisted.status == S.SHORTLISTED


def test_interview_before_shortlisting_is_explained_on_the_page(client, application, liaison_a):
    client.force_login(liaison_a)
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        _zh("applications:interview", application.code),
        {"mode": "video", "location": "https://meet.example.org/x", "slot_1": when},
    )

    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert 'data-testid="action-errors"' in page
    alert = page.split('data-testid="action-errors"')[1].split("</div>")[0]
    assert _is_chinese(alert) and alert.count("<p") >= 1
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
