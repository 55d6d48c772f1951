"""An applicant keeps a read-only view of the vacancy they applied to once filled or closed."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.employment.services import employment_hire
from apps.vacancies.models import VacancyStatus
from apps.vacancies.services import vacancy_close
from tests.applications.factories import accepted_application
from tests.teachers.factories import make_eligible_teacher


@pytest.fixture
def application(vacancy, teacher):
    return services.application_apply(actor=teacher.user, vacancy=vacancy)


def _details_link(client, application) -> str:
    page = client.get(application.get_absolute_url()).content.decode()
    link = reverse("applications:teacher_vacancy", args=[application.code])
    assert f'href="{link}"' in page
    return link


@pytest.mark.parametrize("end", ["filled", "closed"])
def test_the_applicant_still_sees_a_filled_or_closed_vacancy(
    client, end, application, vacancy, liaison_a
):
    if end == "filled":
        employment_hire(actor=liaison_a, application=accepted_application(vacancy))
    else:
        vacancy_close(actor=liaison_a, vacancy=vacancy)
    vacancy.refresh_from_db()
    assert vacancy.status == (VacancyStatus.FILLED if end == "filled" else VacancyStatus.CLOSED)
    client.force_login(application.teacher.user)

    page = client.get(_details_link(client, application))

    assert page.status_code == 200
    text = page.content.decode()
    assert vacancy.title in text
    assert f'data-testid="vacancy-status">{vacancy.get_status_display()}<' in text
    assert 'data-testid="apply-form"' not in text
    # The public page still hides it from everyone.
    assert client.get(vacancy.get_absolute_url()).status_code == 404


def test_an_open_vacancy_links_to_its_public_page_too(client, application, vacancy):
    client.force_login(application.teacher.user)
    text = client.get(_details_link(client, application)).content.decode()
    assert f'href="{vacancy.get_absolute_url()}"' in text


def test_no_one_else_sees_the_closed_vacancy(client, application, vacancy, liaison_a):
    vacancy_close(actor=liaison_a, vacancy=vacancy)
    url = reverse("applications:teacher_vacancy", args=[application.code])

    client.force_login(make_eligible_teacher().user)
    assert client.get(url).status_code == 404
    assert client.get(vacancy.get_absolute_url()).status_code == 404
    client.force_login(liaison_a)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(vacancy.get_absolute_url()).status_code == 404
