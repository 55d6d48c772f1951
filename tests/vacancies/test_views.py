import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from apps.core.models import District, Subject, TeachingLevel
from apps.schools.models import SchoolGroupMember
from apps.vacancies.models import Vacancy, VacancyStatus
from apps.vacancies.services import vacancy_approve
from tests.schools.factories import SchoolFactory, SchoolGroupFactory, SchoolMembershipFactory
from tests.vacancies.factories import VacancyFactory

S = VacancyStatus


def _form_data(**overrides):
    return {
        "title_en": "Oral English teacher",
        "title_zh_hans": "英语口语外教",
        "subjects": [Subject.objects.get(code="oral_english").pk],
        "levels": [TeachingLevel.objects.get(code="primary").pk],
        "grades": "3-6",
        "weekly_hours": "16",
        "posts": "2",
        "contract_start": "2027-02-20",
        "contract_end": "2028-01-31",
        "salary_min": "15000",
        "salary_max": "20000",
        "housing": "provided",
        "min_degree": "2",
        "min_experience_years": "2",
        "min_chinese_level": "none",
        "categories": ["1", "2", "3"],
        "hiring_channel": "network",
        "description_en": "Teach oral English.",
    } | overrides


def test_school_posts_a_vacancy_in_the_browser(client, liaison_a, school_a):
    client.force_login(liaison_a)

    response = client.post(reverse("vacancies:create"), _form_data())

    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vacancies:school_detail", args=[vacancy.code])
    assert (vacancy.school, vacancy.status, vacancy.posts) == (school_a, S.DRAFT, 2)


def test_bad_input_rerenders_with_field_errors_and_keeps_what_was_typed(client, liaison_a):
    client.force_login(liaison_a)

    response = client.post(
        reverse("vacancies:create"),
        _form_data(contract_end="2027-01-01", salary_max="9000", title_en="Science teacher"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The contract must end after it starts." in page
    assert "The maximum salary cannot be below the minimum." in page
    assert 'value="Science teacher"' in page
    assert not Vacancy.objects.exists()


def test_cluster_hours_that_do_not_add_up_are_explained(client, liaison_a, school_a):
    group = SchoolGroupFactory(lead_school=school_a)
    member = SchoolFactory()
    SchoolGroupMember.objects.create(group=group, school=member)
    client.force_login(liaison_a)

    response = client.post(
        reverse("vacancies:create"),
        _form_data(
            cluster=str(group.pk),
            **{f"hours_{school_a.code}": "10", f"hours_{member.code}": "4"},
        ),
    )

    assert response.status_code == 200
    assert "add up to 14, not the vacancy" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_forged_edit_of_another_schools_vacancy_is_404(client, liaison_b, school_a):
    vacancy = VacancyFactory(school=school_a, status=S.DRAFT)
    client.force_login(liaison_b)

    edit = client.post(
        reverse("vacancies:edit", args=[vacancy.code]), _form_data(title_en="Hacked")
    )
    submit = client.post(reverse("vacancies:submit", args=[vacancy.code]))
    detail = client.get(reverse("vacancies:school_detail", args=[vacancy.code]))

    assert (edit.status_code, submit.status_code, detail.status_code) == (404, 404, 404)
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.status) != ("Hacked", S.SUBMITTED)
    assert vacancy.status == S.DRAFT


def test_a_member_school_sees_the_cluster_vacancy_read_only(client, school_a):
    group = SchoolGroupFactory(lead_school=school_a)
    member = SchoolFactory()
    SchoolGroupMember.objects.create(group=group, school=member)
    vacancy = VacancyFactory(school=school_a, cluster=group, status=S.DRAFT)
    vacancy.cluster_schools.create(school=member, weekly_hours=6)
    member_staff = SchoolMembershipFactory(school=member).user
    client.force_login(member_staff)

    detail = client.get(reverse("vacancies:school_detail", args=[vacancy.code]))
    submit = client.post(reverse("vacancies:submit", args=[vacancy.code]))

    assert detail.status_code == 200
    assert "Read-only" in detail.content.decode()
    assert submit.status_code == 404


@pytest.mark.parametrize("actor", ["teacher_user", "bureau_user", "center_user"])
def test_other_roles_cannot_open_school_vacancy_pages(client, db, request, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(reverse("vacancies:school_list")).status_code == 403
    assert client.post(reverse("vacancies:create"), _form_data()).status_code == 403


def test_double_submit_is_refused_with_a_message(client, liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status=S.DRAFT)
    client.force_login(liaison_a)

    client.post(reverse("vacancies:submit", args=[vacancy.code]))
    response = client.post(reverse("vacancies:submit", args=[vacancy.code]), follow=True)

    assert "cannot become" in response.content.decode()
    assert vacancy.events.count() == 1


def test_school_list_query_count_is_flat(
    client, liaison_a, school_a, django_assert_max_num_queries
):
    VacancyFactory.create_batch(15, school=school_a)
    client.force_login(liaison_a)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("vacancies:school_list"))

    assert len(response.context["page"]) == 15


# --- public search -------------------------------------------------------------------------


def test_anonymous_search_shows_only_published_vacancies(client, db):
    published = VacancyFactory(title_en="Published post")
    VacancyFactory(title_en="Draft post", status=S.DRAFT)
    VacancyFactory(title_en="Submitted post", status=S.SUBMITTED)

    response = client.get(reverse("vacancies:search"))

    assert [v.pk for v in response.context["page"]] == [published.pk]
    assert client.get(reverse("vacancies:detail", args=[published.code])).status_code == 200


def test_draft_vacancy_page_is_404_to_the_public(client, db):
    draft = VacancyFactory(status=S.DRAFT)

    assert client.get(reverse("vacancies:detail", args=[draft.code])).status_code == 404


def test_public_page_hides_the_school_contact(client, db):
    vacancy = VacancyFactory()

    page = client.get(reverse("vacancies:detail", args=[vacancy.code])).content.decode()

    assert vacancy.school.contact_phone not in page
    assert vacancy.school.address not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "science"}, {"science"}),
        ({"subject": "science"}, {"science"}),
        ({"district": "330105"}, {"gongshu"}),
        ({"level": "senior_secondary"}, {"science"}),
        ({"salary_from": "25000"}, {"science"}),
        ({"start_from": "2027-08-01"}, {"science"}),
        ({"category": "4"}, {"gongshu"}),
        ({"kind": "cluster"}, {"cluster"}),
        ({"housing": "allowance"}, {"gongshu"}),
    ],
)
def test_search_filters(client, db, query, expected):
    xihu, gongshu = District.objects.get(code="330106"), District.objects.get(code="330105")
    VacancyFactory(
        title_en="Oral English", school=SchoolFactory(district=xihu), accepted_categories=0b0111
    )
    VacancyFactory(
        title_en="Science in English",
        school=SchoolFactory(district=xihu),
        subjects=[Subject.objects.get(code="science")],
        levels=[TeachingLevel.objects.get(code="senior_secondary")],
        salary_min=26000,
        salary_max=30000,
        contract_start=date(2027, 9, 1),
        contract_end=date(2028, 7, 1),
        accepted_categories=0b0111,
    )
    VacancyFactory(
        title_en="Gongshu post",
        school=SchoolFactory(district=gongshu),
        housing="allowance",
        accepted_categories=0b11111,
    )
    lead = SchoolFactory(district=xihu)
    VacancyFactory(
        title_en="Cluster post",
        school=lead,
        cluster=SchoolGroupFactory(lead_school=lead),
        accepted_categories=0b0111,
    )
    names = {
        "Oral English": "oral",
        "Science in English": "science",
        "Gongshu post": "gongshu",
        "Cluster post": "cluster",
    }

    response = client.get(reverse("vacancies:search"), query)

    assert {names[v.title] for v in response.context["page"]} == expected


def test_search_sorts_by_salary(client, db):
    low = VacancyFactory(salary_min=9000, salary_max=12000)
    high = VacancyFactory(salary_min=20000, salary_max=30000)

    response = client.get(reverse("vacancies:search"), {"sort": "salary"})

    assert [v.pk for v in response.context["page"]] == [high.pk, low.pk]


def test_search_query_count_is_flat(client, db, django_assert_max_num_queries):
    VacancyFactory.create_batch(20)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("vacancies:search"))

    assert len(response.context["page"]) == 20


def test_a_repeated_search_is_answered_from_the_cache_without_a_query(
    client, db, django_assert_num_queries
):
    VacancyFactory(title_en="Zither teacher")
    VacancyFactory(title_en="Music teacher")
    first = client.get(reverse("vacancies:search"), {"q": "Zither"}).content.decode()

    with django_assert_num_queries(0):
        again = client.get(reverse("vacancies:search"), {"q": "Zither"}).content.decode()

    assert "Zither teacher" in again and "Music teacher" not in again
    assert _results(again) == _results(first)


def test_a_cached_search_shows_a_vacancy_published_since(
    client, school_a, center_user, django_capture_on_commit_callbacks
):
    VacancyFactory(school=school_a, title_en="English teacher")
    client.get(reverse("vacancies:search"), {"q": "English"})
    later = VacancyFactory(school=school_a, title_en="English coach", status=S.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_approve(actor=center_user, vacancy=later)
    page = client.get(reverse("vacancies:search"), {"q": "English"}).content.decode()

    assert "English coach" in page
    assert "2 vacancies found" in page


def _results(page: str) -> str:
    return page.split('data-testid="result-count"')[1].split("</section>")[0]


# --- bureaus --------------------------------------------------------------------------------


def test_bureau_sees_its_jurisdiction_only_and_downloads_csv(
    client, bureau_xihu_user, school_a, school_b
):
    mine = VacancyFactory(school=school_a, title_en="Xihu post", status=S.DRAFT)
    VacancyFactory(school=school_b, title_en="Gongshu post")
    client.force_login(bureau_xihu_user)

    listed = client.get(reverse("vacancies:bureau_list")).context["page"]
    response = client.get(reverse("vacancies:bureau_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert [v.pk for v in listed] == [mine.pk]
    assert [row[0] for row in rows[1:]] == ["Xihu post"]


def test_municipal_bureau_sees_the_whole_city(client, bureau_city_user, school_a, school_b):
    VacancyFactory(school=school_a)
    VacancyFactory(school=school_b)
    client.force_login(bureau_city_user)

    assert len(client.get(reverse("vacancies:bureau_list")).context["page"]) == 2


def test_schools_cannot_open_bureau_lists(client, liaison_a):
    client.force_login(liaison_a)

    assert client.get(reverse("vacancies:bureau_csv")).status_code == 403


def test_submitting_the_untouched_search_form_filters_nothing(client, db):
    VacancyFactory(accepted_categories=0b00100)  # category 3 only
    VacancyFactory()

    response = client.get(
        reverse("vacancies:search"),
        {"q": "", "category": "", "kind": "", "salary_from": "", "sort": "newest"},
    )

    assert len(response.context["page"]) == 2


def test_dashboards_lead_to_vacancies(client, liaison_a, center_user, bureau_xihu_user, school_a):
    VacancyFactory(school=school_a, status=S.SUBMITTED)

    client.force_login(liaison_a)
    school_page = client.get(reverse("dashboards:school")).content.decode()
    client.force_login(center_user)
    queues = {q["key"]: q for q in client.get(reverse("dashboards:center")).context["queues"]}
    client.force_login(bureau_xihu_user)
    bureau_page = client.get(reverse("dashboards:bureau")).content.decode()

    assert reverse("vacancies:create") in school_page
    assert queues["vacancies_submitted"]["count"] == 1
    assert reverse("vacancies:bureau_list") in bureau_page
