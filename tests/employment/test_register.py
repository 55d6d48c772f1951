from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.employment import services
from apps.employment.models import (
    ChangeKind,
    EmploymentChange,
    EmploymentReminder,
    EmploymentStatus,
)
from apps.employment.selectors import employment_state
from apps.notifications.models import Notification
from apps.schools.models import SchoolGroupMember
from apps.vacancies.models import VacancySchool
from tests.applications.factories import accepted_application, english_vacancy
from tests.schools.factories import SchoolFactory, SchoolGroupFactory

K = ChangeKind
TODAY = date(2027, 3, 10)


@pytest.fixture
def employment(vacancy, liaison_a):
    return services.employment_hire(actor=liaison_a, application=accepted_application(vacancy))


def _record(employment, actor, kind, on, **values):
    return services.employment_change_record(
        actor=actor, employment=employment, kind=kind, effective_on=on, **values
    )


@time_machine.travel(TODAY, tick=False)
def test_change_rows_derive_the_current_state(employment, liaison_a):
    _record(employment, liaison_a, K.ARRIVAL, date(2027, 2, 15))
    _record(
        employment,
        liaison_a,
        K.WORK_PERMIT,
        date(2027, 3, 1),
        permit_number="WP-123456",
        expires_on=date(2028, 2, 28),
    )
    _record(
        employment,
        liaison_a,
        K.RESIDENCE_PERMIT,
        date(2027, 3, 8),
        permit_number="RP-999",
        expires_on=date(2028, 3, 1),
    )
    _record(employment, liaison_a, K.RENEWAL, date(2027, 3, 9), new_contract_end=date(2029, 1, 31))

    state = employment_state(employment=employment)
    assert state.arrival == date(2027, 2, 15)
    assert (state.work_permit_number, state.work_permit_expires) == ("WP-123456", date(2028, 2, 28))
    assert state.residence_permit_number == "RP-999"
    assert state.contract_end == date(2029, 1, 31)
    assert employment.changes.count() == 4
    # The permit number is ciphertext at rest and findable by its keyed hash.
    change = EmploymentChange.objects.get(kind=K.WORK_PERMIT)
    assert change.permit_number_hash
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT permit_number FROM employment_employmentchange WHERE id = %s", [change.pk]
        )
        assert "WP-123456" not in cursor.fetchone()[0]


@time_machine.travel(TODAY, tick=False)
def test_bad_changes_are_refused(employment, liaison_a):
    with pytest.raises(ValidationError):
        _record(employment, liaison_a, K.WORK_PERMIT, date(2027, 3, 1), expires_on=date(2028, 1, 1))
    with pytest.raises(ValidationError):
        _record(employment, liaison_a, K.ARRIVAL, date(2027, 4, 1))
    with pytest.raises(ValidationError):
        _record(employment, liaison_a, K.EARLY_TERMINATION, date(2027, 3, 1))
    with pytest.raises(ValidationError):
        _record(employment, liaison_a, K.RENEWAL, TODAY, new_contract_end=date(2027, 6, 1))
    with pytest.raises(ValidationError, match="cluster"):
        _record(employment, liaison_a, K.HIRE_REPORTED, TODAY, reference="X")
    assert employment.changes.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_early_termination_ends_the_employment_and_frees_the_teacher(employment, liaison_a):
    _record(
        employment, liaison_a, K.EARLY_TERMINATION, date(2027, 3, 5), termination_reason="mutual"
    )

    employment.refresh_from_db()
    assert employment.status == EmploymentStatus.ENDED
    assert employment.ended_on == date(2027, 3, 5)
    with pytest.raises(ValidationError, match="ended"):
        _record(employment, liaison_a, K.ARRIVAL, date(2027, 3, 6))
    _record(employment, liaison_a, K.DEPARTURE, date(2027, 3, 9))
    assert employment_state(employment=employment).end_kind == K.EARLY_TERMINATION


@time_machine.travel(TODAY, tick=False)
def test_only_the_lead_school_records_changes(employment, liaison_b):
    with pytest.raises(PermissionDenied):
        _record(employment, liaison_b, K.ARRIVAL, date(2027, 2, 15))


@time_machine.travel(TODAY, tick=False)
def test_cluster_contract_records_filing_and_report_steps(school_a, liaison_a):
    member = SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=school_a)
    SchoolGroupMember.objects.create(group=cluster, school=member)
    vacancy = english_vacancy(school=school_a, cluster=cluster)
    VacancySchool.objects.create(vacancy=vacancy, school=school_a, weekly_hours=10)
    VacancySchool.objects.create(vacancy=vacancy, school=member, weekly_hours=6)
    employment = services.employment_hire(
        actor=liaison_a, application=accepted_application(vacancy)
    )
    assert len(employment_state(employment=employment).steps_missing) == 2

    with pytest.raises(ValidationError):
        _record(employment, liaison_a, K.TEACHING_PLAN_FILED, TODAY)
    _record(
        employment,
        liaison_a,
        K.TEACHING_PLAN_FILED,
        TODAY,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
    )
    _record(employment, liaison_a, K.HIRE_REPORTED, TODAY, reference="HZ-2027-001")

    state = employment_state(employment=employment)
    assert state.steps_missing == []
    assert state.teaching_plan_filed == TODAY


def test_reminders_go_60_30_7_days_before_and_once(employment, liaison_a):
    end = employment.contract_end
    with time_machine.travel(TODAY, tick=False):
        _record(
            employment,
            liaison_a,
            K.WORK_PERMIT,
            TODAY,
            permit_number="WP-1",
            expires_on=date(2027, 6, 30),
        )
    from datetime import timedelta

    # 61 days before: nothing yet. 59 days before (the 60-day run was missed): the 60-day
    # reminder goes, once; 45 days before is still covered by it.
    assert services.employments_remind_expiry(today=date(2027, 6, 30) - timedelta(days=61)) == 0
    assert services.employments_remind_expiry(today=date(2027, 6, 30) - timedelta(days=59)) == 1
    assert services.employments_remind_expiry(today=date(2027, 6, 30) - timedelta(days=59)) == 0
    assert services.employments_remind_expiry(today=date(2027, 6, 30) - timedelta(days=45)) == 0
    assert services.employments_remind_expiry(today=date(2027, 6, 23)) == 1
    assert services.employments_remind_expiry(today=end - timedelta(days=30)) == 1
    assert EmploymentReminder.objects.count() == 3
    assert Notification.objects.filter(recipient=liaison_a, kind="employment").count() == 3
    assert (
        Notification.objects.filter(recipient=employment.teacher.user, kind="employment").count()
        == 3
    )


def test_expiry_reminders_reach_each_schools_liaison_with_one_staff_query(
    employment, liaison_a, school_a, school_b, liaison_b
):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.schools.factories import SchoolMembershipFactory

    colleague = SchoolMembershipFactory(school=school_a).user
    other = services.employment_hire(
        actor=liaison_b,
        application=accepted_application(english_vacancy(school=school_b, created_by=liaison_b)),
    )
    assert other.contract_end == employment.contract_end

    with CaptureQueriesContext(connection) as queries:
        sent = services.employments_remind_expiry(
            today=employment.contract_end - timedelta(days=30)
        )

    assert sent == 2
    told = Notification.objects.filter(kind="employment")
    assert told.filter(recipient=liaison_a).count() == 1
    assert told.filter(recipient=liaison_b).count() == 1
    assert not told.filter(recipient=colleague).exists()
    staff_reads = [q for q in queries if 'FROM "schools_schoolmembership"' in q["sql"]]
    assert len(staff_reads) == 1


@time_machine.travel(TODAY, tick=False)
def test_ending_an_employment_is_audited_as_a_status_change(employment, liaison_a):
    from apps.core.models import AuditEvent

    _record(employment, liaison_a, K.DEPARTURE, date(2027, 3, 9))

    event = AuditEvent.objects.get(action="employment.ended", target_id=employment.pk)
    assert event.actor == liaison_a
    assert event.before == {"status": "active", "ended_on": None}
    assert event.after == {"status": "ended", "ended_on": "2027-03-09"}
    assert event.reason == K.DEPARTURE
