import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import Application, ApplicationStatus, RejectionReason
from apps.schools.models import SchoolGroupMember
from apps.teachers.models import DocumentKind
from apps.vacancies.models import VacancySchool
from tests.applications.factories import english_vacancy, offer_terms
from tests.schools.factories import SchoolFactory, SchoolGroupFactory, SchoolMembershipFactory
from tests.teachers.factories import add_document, make_eligible_teacher

S = ApplicationStatus


@pytest.fixture
def application(vacancy, teacher):
    return services.application_apply(actor=teacher.user, vacancy=vacancy)


def test_vacancy_page_shows_apply_then_you_applied(client, vacancy, teacher):
    client.force_login(teacher.user)
    page = client.get(vacancy.get_absolute_url())
    assert b'data-testid="apply-form"' in page.content

    response = client.post(
        reverse("applications:apply", args=[vacancy.code]), {"cover_letter": "Dear school"}
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    page = client.get(vacancy.get_absolute_url())
    assert b'data-testid="applied"' in page.content
    assert b'data-testid="apply-form"' not in page.content


def test_double_submit_shows_a_clear_message_and_saves_once(client, vacancy, teacher):
    client.force_login(teacher.user)
    url = reverse("applications:apply", args=[vacancy.code])
    client.post(url, {"cover_letter": ""})

    response = client.post(url, {"cover_letter": ""}, follow=True)

    assert "You have already applied to this vacancy." in response.content.decode()
    assert Application.objects.count() == 1


def test_teacher_sees_only_their_own_applications(client, application):
    other = make_eligible_teacher()
    client.force_login(other.user)

    assert client.get(reverse("applications:teacher_list")).context["applications"].count() == 0
    detail = reverse("applications:teacher_detail", args=[application.code])
    assert client.get(detail).status_code == 404
    forged = client.post(reverse("applications:withdraw", args=[application.code]))
    assert forged.status_code == 404


def test_school_applicant_list_sorts_exports_and_bulk_rejects(client, vacancy, liaison_a):
    first = services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
    second = services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
    client.force_login(liaison_a)
    url = reverse("applications:applicants", args=[vacancy.code])

    page = client.get(url, {"sort": "name"})
    assert len(page.context["applications"]) == 2
    csv = client.get(reverse("applications:applicants_csv", args=[vacancy.code]))
    assert first.teacher.legal_name in b"".join(csv.streaming_content).decode()

    response = client.post(
        url,
        {"applications": [str(first.code), str(second.code)], "reason": "other_candidate"},
    )

    assert response.status_code == 302
    assert set(Application.objects.values_list("status", flat=True)) == {S.REJECTED}


def test_applicant_list_query_count_does_not_grow(
    client, vacancy, liaison_a, django_assert_max_num_queries
):
    for _ in range(5):
        services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
    client.force_login(liaison_a)

    with django_assert_max_num_queries(12):
        applicants = client.get(reverse("applications:applicants", args=[vacancy.code]))
    with django_assert_max_num_queries(12):
        vacancies = client.get(reverse("applications:school_vacancies"))
    assert (applicants.status_code, vacancies.status_code) == (200, 200)
    assert applicants.content.decode().count('data-testid="applicant-row"') == 5


def test_teacher_list_query_count(
    client, school_a, liaison_a, teacher, django_assert_max_num_queries
):
    for _ in range(5):
        services.application_apply(actor=teacher.user, vacancy=english_vacancy(school=school_a))
    client.force_login(teacher.user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("applications:teacher_list"))
    assert len(response.context["applications"]) == 5


def test_school_moves_the_application_through_its_pages(client, application, liaison_a):
    client.force_login(liaison_a)
    detail = reverse("applications:school_detail", args=[application.code])
    assert client.get(detail).status_code == 200

    client.post(reverse("applications:shortlist", args=[application.code]))
    response = client.post(
        reverse("applications:offer", args=[application.code]),
        {k: v for k, v in offer_terms().items()},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.OFFERED


def test_offer_form_errors_re_render_with_the_input(client, application, liaison_a):
    services.application_shortlist(actor=liaison_a, application=application)
    client.force_login(liaison_a)

    response = client.post(
        reverse("applications:offer", args=[application.code]),
        offer_terms(reply_by="2020-01-01", salary=17777),
    )

    assert response.status_code == 400
    assert response.context["offer_form"].errors
    assert b'value="17777"' in response.content


@pytest.fixture
def member_staff(vacancy, school_a):
    """Staff of a member school of the vacancy's cluster (reads, never acts)."""
    member = SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=school_a)
    SchoolGroupMember.objects.create(group=cluster, school=member)
    vacancy.cluster = cluster
    vacancy.save()
    VacancySchool.objects.create(vacancy=vacancy, school=school_a, weekly_hours=10)
    VacancySchool.objects.create(vacancy=vacancy, school=member, weekly_hours=6)
    return SchoolMembershipFactory(school=member).user


def test_permission_matrix_for_an_applicant_page(
    client, application, liaison_a, liaison_b, member_staff, bureau_user, center_user, teacher
):
    detail = reverse("applications:school_detail", args=[application.code])
    shortlist = reverse("applications:shortlist", args=[application.code])
    other_teacher = make_eligible_teacher()
    expected_get = [
        (liaison_a, 200),
        (member_staff, 200),
        (liaison_b, 404),
        (teacher.user, 403),
        (other_teacher.user, 403),
        (bureau_user, 403),
        (center_user, 403),
    ]
    for user, status in expected_get:
        client.force_login(user)
        assert client.get(detail).status_code == status, user
    for user, status in [(member_staff, 403), (liaison_b, 404), (teacher.user, 403)]:
        client.force_login(user)
        assert client.post(shortlist).status_code == status, user
    application.refresh_from_db()
    assert application.status == S.SUBMITTED

    client.logout()
    assert client.get(detail).status_code == 302


def test_the_applicant_list_reads_for_a_member_school_and_acts_for_the_lead_only(
    client, application, liaison_a, liaison_b, member_staff
):
    url = reverse("applications:applicants", args=[application.vacancy.code])
    for user, status in [(liaison_a, 200), (member_staff, 200), (liaison_b, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user

    client.force_login(member_staff)
    page = client.get(url).content.decode()
    forged = client.post(url, {"applications": [str(application.code)], "reason": "other"})

    assert 'name="applications"' not in page and 'name="reason"' not in page
    assert forged.status_code == 403
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


@pytest.mark.parametrize(("language", "label"), [("en", "Reason"), ("zh-hans", "原因")])
def test_the_lead_gets_the_blank_turn_down_fields_in_its_language(
    client, application, liaison_a, language, label
):
    client.force_login(liaison_a)
    url = f"/{language}" + reverse("applications:applicants", args=[application.vacancy.code])[3:]

    for _visit in range(2):  # the second from the cached fields
        page = client.get(url).content.decode()
        assert f'<label for="id_reason" class="form-label requiredField">{label}' in page
        assert f'value="{application.code}"' in page


def test_the_cached_applicant_list_follows_every_change_it_shows(
    client, application, vacancy, liaison_a, django_capture_on_commit_callbacks
):
    from apps.credit.models import TeacherStarLevel

    url = reverse("applications:applicants", args=[vacancy.code])
    client.force_login(liaison_a)

    def row():
        page = client.get(url).content.decode()
        return page.split('data-testid="applicant-row"')[1].split("</tr>")[0]

    def committed():  # the versions are bumped once the write commits, as in production
        return django_capture_on_commit_callbacks(execute=True)

    assert "Submitted" in row() and "★" not in row()
    with committed():
        services.application_shortlist(actor=liaison_a, application=application)
    assert "Shortlisted" in row()
    with committed():
        services.application_rank(actor=liaison_a, application=application, rank=2)
    assert "<td>2</td>" in row()
    teacher = application.teacher
    with committed():
        teacher.legal_name = "Renamed Teacher"
        teacher.save()
    assert "Renamed Teacher" in row()
    with committed():
        TeacherStarLevel.objects.update_or_create(teacher=teacher, defaults={"level": 4})
    assert "4★" in row()
    with committed():
        second = services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
    page = client.get(url).content.decode()
    assert page.count('data-testid="applicant-row"') == 2 and str(second.code) in page


def test_documents_are_visible_by_stage(client, application, liaison_a, liaison_b, teacher):
    degree = teacher.documents.get(kind=DocumentKind.DEGREE)
    passport = teacher.documents.get(kind=DocumentKind.PASSPORT)
    cv = add_document(teacher, DocumentKind.CV)

    def can_get(user, document):
        client.force_login(user)
        url = reverse("teachers:document_download", args=[document.code])
        return client.get(url).status_code == 200

    assert can_get(liaison_a, degree) and can_get(liaison_a, cv)
    assert not can_get(liaison_a, passport)
    assert not can_get(liaison_b, degree)

    client.force_login(liaison_a)
    page = client.get(reverse("applications:school_detail", args=[application.code]))
    assert page.context["profile"].contact_email is None
    services.application_shortlist(actor=liaison_a, application=application)
    page = client.get(reverse("applications:school_detail", args=[application.code]))
    assert page.context["profile"].contact_email == teacher.user.email

    services.application_withdraw(actor=teacher.user, application=application)
    assert not can_get(liaison_a, degree)


def test_applicant_page_lists_only_documents_the_school_may_download(
    client, application, liaison_a, teacher
):
    cv = add_document(teacher, DocumentKind.CV)
    passport = teacher.documents.get(kind=DocumentKind.PASSPORT)
    cv_link = reverse("teachers:document_download", args=[cv.code]).encode()
    page_url = reverse("applications:school_detail", args=[application.code])
    client.force_login(liaison_a)

    page = client.get(page_url)
    assert cv_link in page.content
    assert reverse("teachers:document_download", args=[passport.code]).encode() not in (
        page.content
    )

    services.application_reject(
        actor=liaison_a, application=application, reason=RejectionReason.OTHER
    )
    page = client.get(page_url)
    assert page.status_code == 200
    assert cv_link not in page.content
    assert page.context["profile"].documents == []
    assert client.get(cv_link.decode()).status_code == 404
