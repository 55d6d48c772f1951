"""Bad input on the vacancy pages: refused or explained in the page's language, input kept."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.vacancies import services
from apps.vacancies.models import DESCRIPTION_MAX_LENGTH, SavedSearch, Vacancy
from tests.vacancies.factories import VacancyFactory
from tests.vacancies.test_views import _form_data

pytestmark = pytest.mark.django_db


def _zh(name, *args):
    with translation.override("zh-hans"):
        return reverse(name, args=args)


def test_a_50000_character_description_is_refused_and_the_rest_kept(client, liaison_a):
    client.force_login(liaison_a)

    response = client.post(
        reverse("vacancies:create"),
        _form_data(description_en="x" * 50_000, title_en="Science teacher"),
    )

    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert f"at most {DESCRIPTION_MAX_LENGTH} characters" in page
    assert 'value="Science teacher"' in page
    assert f'maxlength="{DESCRIPTION_MAX_LENGTH}"' in page
    assert not Vacancy.objects.exists()


def test_the_service_refuses_a_long_description_as_well(liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status="draft")
    vacancy.description_en = "x" * (DESCRIPTION_MAX_LENGTH + 1)

    with pytest.raises(ValidationError) as error:
        vacancy.full_clean(exclude=["created_by"])

    assert "description_en" in error.value.message_dict


def test_reversed_start_dates_are_explained_in_chinese(client, school_a):
    VacancyFactory(school=school_a)

    response = client.get(
        _zh("vacancies:search"), {"start_from": "2027-09-01", "start_until": "2027-03-01"}
    )

    page = unescape(response.content.decode())
    assert 'data-testid="search-errors"' in page
    alert = page.split('data-testid="search-errors"')[1].split("</div>")[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in alert)
    assert 'value="2027-09-01"' in page and 'value="2027-03-01"' in page


def test_the_date_message_survives_the_cached_search(client, school_a):
    VacancyFactory(school=school_a)
    reversed_dates = {"start_from": "2027-09-01", "start_until": "2027-03-01"}
    client.get(_zh("vacancies:search"), reversed_dates)

    page = client.get(_zh("vacancies:search"), reversed_dates).content.decode()

    assert 'data-testid="search-errors"' in page
    assert 'value="2027-09-01"' in page


def test_dates_in_order_give_no_message(client, school_a):
    VacancyFactory(school=school_a)

    response = client.get(
        reverse("vacancies:search"), {"start_from": "2027-01-01", "start_until": "2027-03-01"}
    )

    assert 'data-testid="search-errors"' not in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_deleting_another_teachers_saved_search_is_not_found(client, teacher_user):
    from tests.accounts.factories import TeacherUserFactory

    other = TeacherUserFactory()
    theirs = services.saved_search_create(user=other, name="Xihu", query="district=330106")
    mine = services.saved_search_create(user=teacher_user, name="Mine", query="")
    client.force_login(teacher_user)

    refused = client.post(reverse("vacancies:saved_search_delete", args=[theirs.code]))
    done = client.post(reverse("vacancies:saved_search_delete", args=[mine.code]), follow=True)

    assert refused.status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()
    assert not SavedSearch.objects.filter(pk=mine.pk).exists()
    assert [m.level_tag for m in done.context["messages"]] == ["success"]
