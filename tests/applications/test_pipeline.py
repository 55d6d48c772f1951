from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.applications import services
from apps.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    RejectionReason,
)
from apps.notifications.models import Notification
from apps.vacancies.models import VacancyStatus
from tests.credit.factories import restriction_create
from tests.teachers.factories import TeacherFactory

S = ApplicationStatus


def test_every_status_is_in_the_map_and_final_states_are_final():
    assert set(Application.TRANSITIONS) == set(S.values)
    for final in (S.HIRED, S.REJECTED, S.DECLINED, S.WITHDRAWN):
        assert Application.TRANSITIONS[final] == set()


def test_apply_creates_an_event_and_tells_the_school(vacancy, teacher, liaison_a):
    application = services.application_apply(
        actor=teacher.user, vacancy=vacancy, cover_letter="  Hello  "
    )

    assert application.status == S.SUBMITTED
    assert application.cover_letter == "Hello"
    event = ApplicationEvent.objects.get(application=application)
    assert (event.actor, event.from_status, event.to_status) == (teacher.user, "", S.SUBMITTED)
    assert Notification.objects.filter(recipient=liaison_a, kind="application").count() == 1


def test_applying_twice_is_refused_and_nothing_is_saved(vacancy, teacher):
    services.application_apply(actor=teacher.user, vacancy=vacancy)

    with pytest.raises(ValidationError, match="already applied"):
        services.application_apply(actor=teacher.user, vacancy=vacancy)
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "status", [VacancyStatus.CLOSED, VacancyStatus.FILLED, VacancyStatus.DRAFT]
)
def test_applying_to_a_vacancy_that_is_not_open_is_refused(vacancy, teacher, status):
    vacancy.status = status
    vacancy.save()

    with pytest.raises(ValidationError, match="no longer takes applications"):
        services.application_apply(actor=teacher.user, vacancy=vacancy)


def test_a_blacklisted_teacher_cannot_apply(vacancy, teacher, center_user):
    restriction_create(teacher=teacher, reason="Fraud", starts_on=date(2020, 1, 1))

    with pytest.raises(ValidationError, match="credit restriction"):
        services.application_apply(actor=teacher.user, vacancy=vacancy)


def test_a_teacher_who_does_not_qualify_cannot_apply(vacancy):
    unqualified = TeacherFactory()

    with pytest.raises(ValidationError, match="requirements"):
        services.application_apply(actor=unqualified.user, vacancy=vacancy)


def test_school_shortlists_and_rejects_with_a_reason(vacancy, teacher, liaison_a):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)

    services.application_shortlist(actor=liaison_a, application=application)
    services.application_reject(
        actor=liaison_a,
        application=application,
        reason=RejectionReason.OTHER_CANDIDATE,
        note="Thank you.",
    )

    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.rejection_reason == RejectionReason.OTHER_CANDIDATE
    steps = list(application.events.values_list("from_status", "to_status"))
    assert steps == [("", S.SUBMITTED), (S.SUBMITTED, S.SHORTLISTED), (S.SHORTLISTED, S.REJECTED)]
    teacher_notes = Notification.objects.filter(recipient=teacher.user, kind="application")
    assert teacher_notes.count() == 2


def test_shortlisting_checks_the_standard_again(vacancy, teacher, liaison_a):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)
    teacher.documents.filter(kind="criminal_record").delete()

    with pytest.raises(ValidationError, match="requirements"):
        services.application_shortlist(actor=liaison_a, application=application)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_another_school_cannot_move_the_application(vacancy, teacher, liaison_b):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)

    with pytest.raises(PermissionDenied):
        services.application_shortlist(actor=liaison_b, application=application)


def test_another_teacher_cannot_withdraw_it(vacancy, teacher):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)
    other = TeacherFactory()

    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=other.user, application=application)


def test_withdraw_tells_the_school_and_is_final(vacancy, teacher, liaison_a):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)

    services.application_withdraw(actor=teacher.user, application=application)

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    with pytest.raises(ValidationError):
        services.application_shortlist(actor=liaison_a, application=application)


def test_bulk_reject_is_all_or_nothing(vacancy, liaison_a):
    from tests.teachers.factories import make_eligible_teacher

    first = services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
    second = services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
    services.application_withdraw(actor=second.teacher.user, application=second)

    with pytest.raises(ValidationError):
        services.applications_reject_bulk(
            actor=liaison_a,
            applications=[first, second],
            reason=RejectionReason.QUALIFICATIONS,
        )
    first.refresh_from_db()
    assert first.status == S.SUBMITTED

    assert (
        services.applications_reject_bulk(
            actor=liaison_a, applications=[first], reason=RejectionReason.QUALIFICATIONS
        )
        == 1
    )


def test_ranks_are_set_by_each_side(vacancy, teacher, liaison_a):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)

    services.application_rank(actor=teacher.user, application=application, rank=2)
    services.application_rank(actor=liaison_a, application=application, rank=1)

    application.refresh_from_db()
    assert (application.teacher_rank, application.school_rank) == (2, 1)


def test_personal_data_export_and_erase(vacancy, teacher):
    from apps.core.personal_data import personal_data_erase, personal_data_export

    application = services.application_apply(
        actor=teacher.user, vacancy=vacancy, cover_letter="Dear school"
    )

    export = personal_data_export(teacher.user)
    assert export.sections["applications"]["applications"][0]["cover_letter"] == "Dear school"

    personal_data_erase(teacher.user)
    application.refresh_from_db()
    assert (application.status, application.cover_letter) == (S.WITHDRAWN, "")
