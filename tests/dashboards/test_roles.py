"""Each dashboard shows its role's own recruitment numbers, never another school's."""

from datetime import date

from django.urls import reverse

from apps.applications.models import ApplicationStatus
from tests.applications.factories import ApplicationFactory, english_vacancy
from tests.teachers.factories import make_eligible_teacher


def test_teacher_dashboard_lists_my_applications_only(client, db):
    teacher = make_eligible_teacher()
    mine = ApplicationFactory(teacher=teacher, vacancy=english_vacancy(title_en="My post"))
    ApplicationFactory(vacancy=english_vacancy(title_en="Someone else's post"))
    client.force_login(teacher.user)

    response = client.get(reverse("dashboards:teacher"))

    page = response.content.decode()
    assert [a.pk for a in response.context["applications"]] == [mine.pk]
    assert "My post" in page and "Someone else" not in page
    assert response.context["application_counts"] == {ApplicationStatus.SUBMITTED: 1}
    assert "Submitted: 1" in page


def test_school_dashboard_counts_its_own_waiting_applicants(client, liaison_a, school_a, school_b):
    ApplicationFactory.create_batch(2, vacancy=english_vacancy(school=school_a))
    ApplicationFactory(vacancy=english_vacancy(school=school_b))
    client.force_login(liaison_a)

    response = client.get(reverse("dashboards:school"))

    assert response.context["open_applicants"] == 2
    assert 'data-testid="open-applicants">2<' in response.content.decode()


def test_center_dashboard_has_the_recruitment_queues(client, center_user):
    client.force_login(center_user)

    keys = [q["key"] for q in client.get(reverse("dashboards:center")).context["queues"]]

    assert {"applications_idle", "agreements_submitted"} <= set(keys)


def test_bureau_dashboard_links_to_employments_and_visits(client, bureau_xihu_user):
    client.force_login(bureau_xihu_user)

    page = client.get(reverse("dashboards:bureau")).content.decode()

    assert reverse("employment:bureau_list") in page
    assert reverse("employment:bureau_visits") in page


def test_a_blacklisted_school_is_not_offered_post(client, liaison_a, school_a):
    from tests.credit.factories import restriction_create

    client.force_login(liaison_a)
    create_url = reverse("vacancies:create")
    assert create_url in client.get(reverse("vacancies:school_list")).content.decode()
    restriction_create(school=school_a, reason="Illegal employment", starts_on=date(2020, 1, 1))

    dashboard = client.get(reverse("dashboards:school"))
    vacancies = client.get(reverse("vacancies:school_list"))

    assert dashboard.context["can_post"] is False
    assert 'data-testid="vacancy-step"' not in dashboard.content.decode()
    assert "credit restriction" in dashboard.content.decode()
    assert create_url not in vacancies.content.decode()
    assert "credit restriction" in vacancies.content.decode()


def test_school_dashboard_count_matches_the_applicants_page_it_links_to(
    client, liaison_a, school_a
):
    from apps.schools.models import SchoolGroupMember
    from apps.vacancies.models import VacancySchool
    from tests.schools.factories import SchoolFactory, SchoolGroupFactory

    own = english_vacancy(school=school_a)
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.INTERVIEW):
        ApplicationFactory(vacancy=own, status=status)
    # An offer waits on the teacher, a rejection on nobody: neither waits for the school.
    ApplicationFactory(vacancy=own, status=ApplicationStatus.OFFERED)
    ApplicationFactory(vacancy=own, status=ApplicationStatus.REJECTED, rejection_reason="other")
    lead = SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=lead)
    SchoolGroupMember.objects.create(group=cluster, school=school_a)
    shared = english_vacancy(school=lead, cluster=cluster)
    VacancySchool.objects.create(vacancy=shared, school=lead, weekly_hours=10)
    VacancySchool.objects.create(vacancy=shared, school=school_a, weekly_hours=6)
    ApplicationFactory(vacancy=shared, status=ApplicationStatus.SHORTLISTED)
    client.force_login(liaison_a)

    dashboard = client.get(reverse("dashboards:school"))
    page = client.get(reverse("applications:school_vacancies"))

    waiting = sum(vacancy.open_count for vacancy in page.context["vacancies"])
    assert dashboard.context["open_applicants"] == waiting == 3


def test_a_hired_teacher_is_not_told_they_are_ready_to_be_matched(client, school_a, liaison_a):
    from apps.employment.services import employment_hire
    from tests.applications.factories import accepted_application

    teacher = make_eligible_teacher()
    employment_hire(
        actor=liaison_a, application=accepted_application(english_vacancy(school=school_a), teacher)
    )
    client.force_login(teacher.user)

    page = client.get(reverse("dashboards:teacher")).content.decode()

    assert "Ready to be matched" not in page
    assert "Employed by a school: not available for another post" in page
