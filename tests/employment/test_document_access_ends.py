"""A school's view of a teacher's papers lasts as long as the relationship (review finding)."""

from datetime import date

from apps.applications.models import ApplicationStatus
from apps.employment import services
from apps.employment.models import Employment, EmploymentStatus
from apps.teachers.models import DocumentKind
from apps.teachers.selectors import document_can_view
from tests.applications.factories import ApplicationFactory, accepted_application


def test_a_former_employer_cannot_open_the_teachers_passport(liaison_a, vacancy, teacher):
    services.employment_hire(actor=liaison_a, application=accepted_application(vacancy, teacher))
    passport = teacher.documents.get(kind=DocumentKind.PASSPORT)
    assert document_can_view(user=liaison_a, document=passport)

    Employment.objects.filter(teacher=teacher).update(
        status=EmploymentStatus.ENDED, ended_on=date(2027, 6, 30)
    )

    assert not document_can_view(user=liaison_a, document=passport)


def test_a_school_cannot_open_a_rejected_applicants_degree(liaison_a, vacancy, teacher):
    application = ApplicationFactory(vacancy=vacancy, teacher=teacher)
    degree = teacher.documents.get(kind=DocumentKind.DEGREE)
    assert document_can_view(user=liaison_a, document=degree)

    application.status, application.rejection_reason = ApplicationStatus.REJECTED, "other"
    application.save()

    assert not document_can_view(user=liaison_a, document=degree)
