from datetime import date

import pytest
import time_machine
from django.urls import reverse

from apps.employment import services
from apps.employment.models import ChangeKind, Employment, ExchangeVisit
from tests.applications.factories import accepted_application, english_vacancy
from tests.schools.factories import PartnerSchoolFactory
from tests.teachers.factories import make_eligible_teacher


@pytest.fixture
def employment(vacancy, liaison_a):
    return services.employment_hire(actor=liaison_a, application=accepted_application(vacancy))


def test_hire_page_confirms_and_redirects_to_the_register(client, vacancy, liaison_a):
    application = accepted_application(vacancy)
    client.force_login(liaison_a)
    url = reverse("employment:hire", args=[application.code])
    assert client.get(url).status_code == 200

    response = client.post(url, {"hiring_channel": "network", "payment_method": "salary"})

    employment = Employment.objects.get()
    assert response["Location"] == employment.get_absolute_url()
    again = client.post(url, {"hiring_channel": "network", "payment_method": "salary"})
    assert again.status_code == 400
    assert "This hire was already confirmed." in again.content.decode()


def test_hire_errors_keep_the_input(client, vacancy, liaison_a):
    application = accepted_application(vacancy)
    client.force_login(liaison_a)

    response = client.post(
        reverse("employment:hire", args=[application.code]),
        {"hiring_channel": "agency", "payment_method": "salary", "agency_name": "Acme"},
    )

    assert response.status_code == 400
    assert b'value="Acme"' in response.content
    assert not Employment.objects.exists()


def test_forged_hire_and_change_posts_from_another_school(client, vacancy, liaison_b, employment):
    client.force_login(liaison_b)
    application = accepted_application(english_vacancy(school=vacancy.school))

    assert client.post(reverse("employment:hire", args=[application.code])).status_code == 404
    response = client.post(
        employment.get_absolute_url(), {"kind": "arrival", "effective_on": "2026-01-01"}
    )
    assert response.status_code == 404
    assert employment.changes.count() == 0


@time_machine.travel(date(2027, 3, 1), tick=False)
def test_school_records_a_change_in_the_browser(client, employment, liaison_a):
    client.force_login(liaison_a)

    bad = client.post(
        employment.get_absolute_url(),
        {"kind": "work_permit", "effective_on": "2027-02-28", "permit_number": "WP-77"},
    )
    assert bad.status_code == 400 and b'value="WP-77"' in bad.content
    good = client.post(
        employment.get_absolute_url(),
        {
            "kind": "work_permit",
            "effective_on": "2027-02-28",
            "permit_number": "WP-77",
            "expires_on": "2028-02-28",
        },
    )
    assert good.status_code == 302
    page = client.get(employment.get_absolute_url())
    assert page.context["state"].work_permit_number == "WP-77"
    assert employment.changes.get().kind == ChangeKind.WORK_PERMIT


def test_permission_matrix_for_the_register(
    client,
    employment,
    liaison_a,
    liaison_b,
    bureau_xihu_user,
    bureau_city_user,
    center_user,
    teacher_user,
):
    detail = employment.get_absolute_url()
    for user, status in [
        (liaison_a, 200),
        (liaison_b, 404),
        (bureau_xihu_user, 403),
        (center_user, 403),
        (teacher_user, 403),
    ]:
        client.force_login(user)
        assert client.get(detail).status_code == status, user

    bureau = reverse("employment:bureau_list")
    client.force_login(bureau_xihu_user)  # school_a is in Xihu
    assert list(client.get(bureau).context["employments"]) == [employment]
    client.force_login(bureau_city_user)
    assert list(client.get(bureau).context["employments"]) == [employment]
    from apps.accounts.models import BureauMembership
    from apps.core.models import District
    from tests.accounts.factories import BureauViewerUserFactory

    gongshu = BureauViewerUserFactory()
    BureauMembership.objects.create(user=gongshu, district=District.objects.get(code="330105"))
    client.force_login(gongshu)
    assert list(client.get(bureau).context["employments"]) == []
    client.logout()
    assert client.get(bureau).status_code == 302

    client.force_login(employment.teacher.user)
    assert list(client.get(reverse("employment:teacher_list")).context["employments"]) == [
        employment
    ]
    client.force_login(make_eligible_teacher().user)
    assert not client.get(reverse("employment:teacher_list")).context["employments"]


def test_register_lists_have_a_fixed_query_count(
    client, school_a, liaison_a, bureau_city_user, django_assert_max_num_queries
):
    for _ in range(4):
        services.employment_hire(
            actor=liaison_a, application=accepted_application(english_vacancy(school=school_a))
        )
    client.force_login(liaison_a)
    with django_assert_max_num_queries(8):
        assert len(client.get(reverse("employment:school_list")).context["employments"]) == 4
    client.force_login(bureau_city_user)
    with django_assert_max_num_queries(8):
        client.get(reverse("employment:bureau_list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("employment:bureau_visits"))


def test_visits_page_registers_and_bureau_sees_it_masked(
    client, school_a, liaison_a, bureau_xihu_user
):
    partner = PartnerSchoolFactory(school=school_a)
    client.force_login(liaison_a)
    data = {
        "partner_school": partner.pk,
        "visitor_name": "Tom Baker",
        "nationality": "GB",
        "passport_number": "X98765432",
        "arrival": "2027-03-01",
        "departure": "2027-06-02",
        "purpose": "Exchange",
    }

    too_long = client.post(reverse("employment:visits"), data)
    assert too_long.status_code == 400 and not ExchangeVisit.objects.exists()
    ok = client.post(reverse("employment:visits"), data | {"departure": "2027-06-01"})
    assert ok.status_code == 302

    client.force_login(bureau_xihu_user)
    page = client.get(reverse("employment:bureau_visits")).content.decode()
    assert "Tom Baker" in page and "X98765432" not in page and "432" in page


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_csv_exports_share_one_layout_and_only_the_bureau_lacks_permit_dates(
    client, admin_client, employment, liaison_a, bureau_xihu_user
):
    with time_machine.travel(date(2027, 3, 10), tick=False):
        services.employment_change_record(
            actor=liaison_a,
            employment=employment,
            kind=ChangeKind.WORK_PERMIT,
            effective_on=date(2027, 3, 1),
            permit_number="WP-1",
            expires_on=date(2028, 2, 28),
        )
    client.force_login(liaison_a)
    school = _csv_lines(client.get(reverse("employment:school_csv")))
    admin = _csv_lines(
        admin_client.post(
            reverse("admin:employment_employment_changelist"),
            {"action": "export_csv", "_selected_action": [employment.pk]},
        )
    )
    client.force_login(bureau_xihu_user)
    bureau = _csv_lines(client.get(reverse("employment:bureau_csv")))

    assert school == admin
    assert school[0].startswith("Teacher,Nationality,School,District,Status")
    assert school[0].endswith("Work permit valid until,Residence permit valid until")
    assert school[1].endswith("2028-02-28,")
    assert len(bureau) == 2
    assert "permit" not in bureau[0] and "2028-02-28" not in bureau[1]
    assert bureau[0] == school[0].removesuffix(
        ",Work permit valid until,Residence permit valid until"
    )


def _hire_with_stars(school, liaison, level):
    from apps.credit.models import TeacherStarLevel

    employment = services.employment_hire(
        actor=liaison, application=accepted_application(english_vacancy(school=school))
    )
    TeacherStarLevel.objects.create(teacher=employment.teacher, level=level)
    return employment


def test_the_school_sees_its_employees_star_levels_in_a_fixed_number_of_queries(
    client, school_a, liaison_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _hire_with_stars(school_a, liaison_a, 4)
    client.force_login(liaison_a)
    client.get(reverse("employment:school_list"))  # the navbar badge's count is cached now
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("employment:school_list"))
    for level in (1, 2, 5):
        _hire_with_stars(school_a, liaison_a, level)
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("employment:school_list"))

    assert len(four) == len(one)
    stars = [e.star_level for e in page.context["employments"]]
    assert sorted(stars) == [1, 2, 4, 5]
    assert page.content.decode().count('data-testid="star-level">') == 4
    detail = client.get(first.get_absolute_url()).content.decode()
    assert 'data-testid="star-level">4★' in detail
