"""Admin write paths: object-page decisions, services behind every save, one read-only mixin."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.employment.models import AgreementStatus, InternshipAgreement
from apps.schools import services as school_services
from apps.schools.models import GroupKind, MemberRole, SchoolGroup
from apps.teachers.models import DocumentKind, DocumentStatus, TeacherStatus
from apps.vacancies.models import VacancyStatus
from tests.schools.factories import SchoolFactory
from tests.teachers.factories import TeacherFactory, add_document
from tests.vacancies.factories import VacancyFactory


@pytest.fixture
def staff(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    return client


def _press(client, change_url: str, action_url: str, data=None):
    """Load the change page, check it shows the button, and press it."""
    page = client.get(change_url).content.decode()
    assert f'formaction="{action_url}"' in page
    return client.post(action_url, data or {}, follow=True)


def test_vacancy_is_approved_from_its_own_page(staff, liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status=VacancyStatus.SUBMITTED)
    change = reverse("admin:vacancies_vacancy_change", args=[vacancy.pk])
    approve = reverse("admin:vacancies_vacancy_approve", args=[vacancy.pk])

    response = _press(staff, change, approve)

    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert response.redirect_chain[-1][0] == change
    assert "formaction" not in staff.get(change).content.decode()  # decided: no button


def test_a_refused_approval_is_explained_on_the_page(staff, school_a):
    vacancy = VacancyFactory(school=school_a, status=VacancyStatus.DRAFT)
    approve = reverse("admin:vacancies_vacancy_approve", args=[vacancy.pk])

    response = staff.post(approve, follow=True)

    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_object_actions_need_a_post_and_center_staff(client, staff, liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status=VacancyStatus.SUBMITTED)
    approve = reverse("admin:vacancies_vacancy_approve", args=[vacancy.pk])

    assert staff.get(approve).status_code == 405
    client.force_login(liaison_a)
    refused = client.post(approve)

    vacancy.refresh_from_db()
    assert refused.status_code == 302 and "login" in refused["Location"]
    assert vacancy.status == VacancyStatus.SUBMITTED


def test_teacher_is_verified_from_their_own_page(staff, center_user):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    document = add_document(teacher, DocumentKind.PASSPORT, status=DocumentStatus.UPLOADED)
    change = reverse("admin:teachers_teacher_change", args=[teacher.pk])
    verify = reverse("admin:teachers_teacher_verify", args=[teacher.pk])

    _press(staff, change, verify)

    teacher.refresh_from_db()
    document.refresh_from_db()
    assert teacher.status == TeacherStatus.VERIFIED and teacher.verified_by == center_user
    assert document.status == DocumentStatus.VERIFIED


def test_one_document_is_verified_from_its_own_page(staff):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    document = add_document(teacher, DocumentKind.DEGREE, status=DocumentStatus.UPLOADED)
    other = add_document(teacher, DocumentKind.PASSPORT, status=DocumentStatus.UPLOADED)
    change = reverse("admin:teachers_document_change", args=[document.pk])
    verify = reverse("admin:teachers_document_verify", args=[document.pk])

    _press(staff, change, verify)

    document.refresh_from_db()
    other.refresh_from_db()
    assert document.status == DocumentStatus.VERIFIED
    assert other.status == DocumentStatus.UPLOADED
    assert AuditEvent.objects.filter(action="teacher.document.verify").count() == 1


@pytest.fixture
def agreement(school_a):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    agreement = InternshipAgreement(
        teacher=teacher,
        school=school_a,
        university="University of Leeds",
        starts_on=date(2027, 2, 20),
        ends_on=date(2027, 8, 20),
    )
    agreement.file.save("agreement.pdf", ContentFile(b"%PDF-1.4 agreement"), save=False)
    agreement.save()
    return agreement


def test_saving_an_agreement_with_a_note_no_longer_rejects_it(staff, agreement):
    change = reverse("admin:employment_internshipagreement_change", args=[agreement.pk])

    staff.post(change, {"decision_note": "Missing the university's stamp."})

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUBMITTED
    assert agreement.decision_note == ""


def test_agreement_is_rejected_with_the_typed_note_by_its_button(staff, agreement):
    change = reverse("admin:employment_internshipagreement_change", args=[agreement.pk])
    reject = reverse("admin:employment_internshipagreement_reject", args=[agreement.pk])

    empty = staff.post(reject, {"decision_note": " "}, follow=True)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUBMITTED
    assert [m.level_tag for m in empty.context["messages"]] == ["error"]

    _press(staff, change, reject, {"decision_note": "Missing the university's stamp."})

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REJECTED
    assert agreement.decision_note == "Missing the university's stamp."


def test_agreement_is_approved_by_its_button(staff, agreement):
    change = reverse("admin:employment_internshipagreement_change", args=[agreement.pk])
    approve = reverse("admin:employment_internshipagreement_approve", args=[agreement.pk])

    _press(staff, change, approve)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED


def test_agreement_bulk_approval_goes_through_run_action(staff, agreement):
    response = staff.post(
        reverse("admin:employment_internshipagreement_changelist"),
        {"action": "approve", "_selected_action": [agreement.pk]},
        follow=True,
    )

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED
    again = staff.post(
        reverse("admin:employment_internshipagreement_changelist"),
        {"action": "approve", "_selected_action": [agreement.pk]},
        follow=True,
    )
    levels = [m.level_tag for m in again.context["messages"]]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert levels == ["error"]  # already decided: said so, not "0 approved"


def test_school_group_admin_changes_through_the_locked_service(staff, center_user):
    lead, first, second = (SchoolFactory() for _ in range(3))
    group = school_services.school_group_create(
        actor=center_user,
        kind=GroupKind.CLUSTER,
        name="西湖片区",
        lead_school=lead,
        members=[(first, MemberRole.MEMBER)],
    )
    member = group.members.get()
    data = {
        "kind": GroupKind.CLUSTER,
        "name": "西湖新片区",
        "lead_school": lead.pk,
        "district": "",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-id": member.pk,
        "members-0-group": group.pk,
        "members-0-school": first.pk,
        "members-0-role": MemberRole.MEMBER,
        "members-0-DELETE": "on",
        "members-1-group": group.pk,
        "members-1-school": second.pk,
        "members-1-role": MemberRole.MEMBER,
    }

    response = staff.post(reverse("admin:schools_schoolgroup_change", args=[group.pk]), data)

    assert response.status_code == 302
    group = SchoolGroup.objects.get()
    assert group.name == "西湖新片区"
    assert [m.school for m in group.members.all()] == [second]
    event = AuditEvent.objects.get(action="school_group.change")
    assert event.before["members"] == [[first.licence_number, MemberRole.MEMBER]]
    assert event.after["members"] == [[second.licence_number, MemberRole.MEMBER]]


def test_school_group_added_in_admin_is_created_by_the_service(staff):
    lead, member = SchoolFactory(), SchoolFactory()
    data = {
        "kind": GroupKind.CLUSTER,
        "name": "拱墅片区",
        "lead_school": lead.pk,
        "district": "",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-school": member.pk,
        "members-0-role": MemberRole.MEMBER,
    }

    response = staff.post(reverse("admin:schools_schoolgroup_add"), data)

    group = SchoolGroup.objects.get()
    assert (
        response["Location"].endswith(reverse("admin:schools_schoolgroup_changelist"))
        or str(group.pk) in response["Location"]
    )
    assert AuditEvent.objects.filter(action="school_group.create").count() == 1
    assert AuditEvent.objects.get().after["members"] == [[member.licence_number, "member"]]


def test_add_is_disabled_in_one_place():
    apps_dir = Path(__file__).resolve().parents[2] / "apps"
    admin_files = [*apps_dir.glob("*/admin.py"), *apps_dir.glob("*/admin/*.py")]
    found = {
        str(path.relative_to(apps_dir)): path.read_text().count("def has_add_permission")
        for path in admin_files
        # credit is being rebuilt separately; its admin joins this check once it lands.
        if "def has_add_permission" in path.read_text() and path.parent.name != "credit"
    }
    # The mixin, and the policy singleton that may be added once.
    assert found == {"core/admin.py": 2}


@pytest.mark.parametrize(
    "name",
    [
        "vacancies_vacancy",
        "employment_employment",
        "employment_internshipagreement",
        "applications_application",
        "teachers_teacher",
        "teachers_document",
        "matching_matchsuggestion",
        "core_auditevent",
    ],
)
def test_add_pages_are_refused(staff, name):
    assert staff.get(reverse(f"admin:{name}_add")).status_code == 403
