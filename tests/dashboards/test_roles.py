"""Each dashboard shows its role's own recruitment numbers, never another school's."""

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
