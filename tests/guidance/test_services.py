"""Marking steps and editing procedures: bad input refused with a clear message."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditEvent
from apps.guidance import services
from apps.guidance.models import ChecklistEntry, Procedure
from apps.guidance.selectors import hire_checklist_get

from .conftest import arrive, record

pytestmark = pytest.mark.usefixtures("frozen")


def procedure(slug):
    return Procedure.objects.get(slug=slug)


def step(employment, slug):
    return next(
        s for s in hire_checklist_get(employment=employment).steps if s.procedure.slug == slug
    )


def test_the_school_marks_a_step_done_and_it_is_audited(employment_a, liaison_a):
    arrive(employment_a, liaison_a)

    services.checklist_step_mark(
        actor=liaison_a,
        employment=employment_a,
        procedure=procedure("accommodation-registration"),
        status="done",
        done_on=date(2026, 3, 3),
    )

    marked = step(employment_a, "accommodation-registration")
    assert marked.status == "done"
    assert marked.done_on == date(2026, 3, 3)
    assert not marked.overdue
    assert AuditEvent.objects.filter(action="guidance.step_marked").exists()


def test_the_teacher_marks_their_own_step(employment_a, liaison_a, teacher_x):
    arrive(employment_a, liaison_a)

    services.checklist_step_mark(
        actor=teacher_x.user,
        employment=employment_a,
        procedure=procedure("health-certificate"),
        status="done",
        done_on=date(2026, 3, 10),
    )

    assert step(employment_a, "health-certificate").status == "done"


def test_a_done_date_before_the_arrival_is_refused(employment_a, liaison_a):
    arrive(employment_a, liaison_a)

    with pytest.raises(ValidationError) as error:
        services.checklist_step_mark(
            actor=liaison_a,
            employment=employment_a,
            procedure=procedure("accommodation-registration"),
            status="done",
            done_on=date(2026, 3, 1),
        )

    assert error.value.message_dict["done_on"] == [
        "This step is done in China: the date cannot be before the arrival on 2026-03-02."
    ]
    assert not ChecklistEntry.objects.exists()


def test_a_done_date_in_the_future_is_refused(employment_a, liaison_a):
    with pytest.raises(ValidationError) as error:
        services.checklist_step_mark(
            actor=liaison_a,
            employment=employment_a,
            procedure=procedure("health-certificate"),
            status="done",
            done_on=date(2026, 3, 21),
        )

    assert error.value.message_dict["done_on"] == ["The date cannot be in the future."]


def test_not_applicable_needs_a_reason(employment_a, liaison_a):
    with pytest.raises(ValidationError) as error:
        services.checklist_step_mark(
            actor=liaison_a,
            employment=employment_a,
            procedure=procedure("health-certificate"),
            status="not_applicable",
            reason="  ",
        )
    assert "reason" in error.value.message_dict

    services.checklist_step_mark(
        actor=liaison_a,
        employment=employment_a,
        procedure=procedure("health-certificate"),
        status="not_applicable",
        reason="Verified foreign report accepted with the permit.",
    )
    assert step(employment_a, "health-certificate").status == "not_applicable"


def test_a_step_the_register_closed_cannot_be_marked(employment_a, liaison_a):
    arrive(employment_a, liaison_a)

    with pytest.raises(ValidationError, match="register already shows"):
        services.checklist_step_mark(
            actor=liaison_a,
            employment=employment_a,
            procedure=procedure("z-visa"),
            status="done",
            done_on=date(2026, 3, 1),
        )


def test_a_step_not_on_this_checklist_is_refused(employment_a, liaison_a):
    with pytest.raises(ValidationError, match="not a step"):
        services.checklist_step_mark(
            actor=liaison_a,
            employment=employment_a,
            procedure=procedure("cluster-teaching-plan"),
            status="done",
            done_on=date(2026, 3, 5),
        )


def test_other_schools_and_teachers_may_not_mark(employment_a, liaison_b, teacher_y):
    for actor in (liaison_b, teacher_y.user):
        with pytest.raises(PermissionDenied):
            services.checklist_step_mark(
                actor=actor,
                employment=employment_a,
                procedure=procedure("health-certificate"),
                status="done",
                done_on=date(2026, 3, 5),
            )
    with pytest.raises(PermissionDenied):
        services.checklist_situation_set(
            actor=liaison_b, employment=employment_a, already_in_china=True
        )


def test_a_renewal_mark_belongs_to_the_expiry_it_answered(employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    record(
        employment_a,
        liaison_a,
        "work_permit",
        date(2026, 3, 5),
        permit_number="W1",
        expires_on=date(2027, 1, 31),
    )
    services.checklist_step_mark(
        actor=liaison_a,
        employment=employment_a,
        procedure=procedure("work-permit-renewal"),
        status="done",
        done_on=date(2026, 3, 20),
    )
    assert step(employment_a, "work-permit-renewal").status == "done"

    # The renewed permit brings the next renewal, which is to do again.
    record(
        employment_a, liaison_a, "renewal", date(2026, 3, 20), new_contract_end=date(2028, 2, 29)
    )
    record(
        employment_a,
        liaison_a,
        "work_permit",
        date(2026, 3, 20),
        permit_number="W2",
        expires_on=date(2027, 12, 31),
    )
    renewed = step(employment_a, "work-permit-renewal")
    assert renewed.status == "todo"
    assert renewed.due.on == date(2027, 12, 1)


def test_reopening_a_mark_makes_the_step_open_again(employment_a, liaison_a):
    services.checklist_step_mark(
        actor=liaison_a,
        employment=employment_a,
        procedure=procedure("health-certificate"),
        status="not_applicable",
        reason="Not needed",
    )

    services.checklist_step_reopen(
        actor=liaison_a, employment=employment_a, procedure=procedure("health-certificate")
    )

    assert step(employment_a, "health-certificate").status == "todo"


# --- Procedures: the model's constraints and the service ---------------------------------------


def test_a_time_limit_without_its_starting_event_is_refused(center_user):
    item = procedure("residence-permit")
    item.limit_starts_from = ""

    with pytest.raises(ValidationError) as error:
        services.procedure_save(actor=center_user, procedure=item)

    assert (
        "A time limit needs the event it counts from and the policy setting that holds its number."
        in error.value.messages
    )


def test_a_link_that_is_not_http_is_refused(center_user):
    item = procedure("residence-permit")
    item.link = "javascript:alert(1)"

    with pytest.raises(ValidationError) as error:
        services.procedure_save(actor=center_user, procedure=item)

    assert "Enter a web address starting with http:// or https://." in error.value.messages


def test_only_center_staff_edit_procedures(liaison_a):
    with pytest.raises(PermissionDenied):
        services.procedure_save(actor=liaison_a, procedure=procedure("z-visa"))


def test_marking_a_procedure_checked_is_audited(center_user):
    services.procedure_mark_checked(actor=center_user, procedure=procedure("z-visa"))

    assert procedure("z-visa").last_checked_on == date(2026, 3, 20)
    assert AuditEvent.objects.filter(action="guidance.procedure_checked").count() == 1
