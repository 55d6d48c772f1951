"""Each hire's checklist: which steps apply, their due dates, and closing from the register."""

from datetime import date, datetime, time

import pytest

from apps.core.selectors import policy_settings_get
from apps.guidance.models import Checklist
from apps.guidance.selectors import hire_checklist_get
from apps.schools.models import SchoolGroup
from apps.teachers.models import Category
from tests.evaluations.factories import make_employment
from tests.schools.factories import SchoolFactory

from .conftest import ARRIVAL, SHANGHAI, arrive, issue_work_permit, record

pytestmark = pytest.mark.usefixtures("frozen")


def steps_of(employment):
    return {step.procedure.slug: step for step in hire_checklist_get(employment=employment).steps}


@pytest.mark.parametrize(
    ("category", "present", "absent"),
    [
        (
            Category.IN_SERVICE,
            {"work-permit-notice", "z-visa", "work-permit-card", "residence-permit"},
            {"intern-residence-permit", "china-graduate-route", "cluster-teaching-plan"},
        ),
        (Category.RETIRED, {"work-permit-notice", "work-permit-card"}, {"intern-residence-permit"}),
        (
            Category.FOREIGN_GRADUATE,
            {"work-permit-notice", "residence-permit"},
            {"china-graduate-route"},
        ),
        (
            Category.INTERN,
            {"intern-residence-permit", "accommodation-registration"},
            {"work-permit-card", "residence-permit", "work-permit-notice"},
        ),
        (
            Category.CHINA_GRADUATE,
            {"china-graduate-route", "work-permit-card", "residence-permit"},
            {"work-permit-notice", "z-visa", "intern-residence-permit"},
        ),
    ],
)
def test_steps_follow_the_teacher_category(employment_a, category, present, absent):
    employment_a.teacher.category = category
    employment_a.teacher.save()
    employment_a.is_intern = category == Category.INTERN
    employment_a.save()

    slugs = set(steps_of(employment_a))

    assert present <= slugs
    assert not absent & slugs
    # Information-only procedures never become steps.
    assert not {"short-term-work", "long-term-permit-recommendation"} & slugs


@pytest.mark.parametrize(
    ("slug", "due_on"),
    [
        ("accommodation-registration", date(2026, 3, 3)),  # 24 hours
        ("work-permit-card", date(2026, 3, 17)),  # 15 days
        ("residence-permit", date(2026, 4, 1)),  # 30 days
        ("health-certificate", date(2026, 4, 1)),
        ("work-permit-cancellation", date(2027, 3, 12)),  # 10 working days after a Sunday
        ("departure-report", date(2027, 3, 10)),  # 10 days (uncertain: "promptly")
    ],
)
def test_due_dates_count_from_the_register_events(employment_a, liaison_a, slug, due_on):
    arrive(employment_a, liaison_a)

    assert steps_of(employment_a)[slug].due.on == due_on


def test_before_the_arrival_the_arrival_steps_wait_for_it(employment_a):
    steps = steps_of(employment_a)

    assert steps["work-permit-card"].due is None
    assert "entry into China" in steps["work-permit-card"].waiting_for
    assert steps["work-permit-card"].status == "todo"


def test_the_accommodation_step_is_due_24_hours_after_arrival_across_midnight(
    employment_a, liaison_a
):
    arrive(employment_a, liaison_a, at=time(23, 30))

    step = steps_of(employment_a)["accommodation-registration"]

    assert step.due.at == datetime(2026, 3, 3, 23, 30, tzinfo=SHANGHAI)
    assert not step.time_assumed
    assert step.overdue  # frozen today is 20 March


def test_the_clocks_follow_the_policy_settings(employment_a, liaison_a):
    policy = policy_settings_get()
    policy.work_permit_card_days = 10  # some offices say 10
    policy.save()
    arrive(employment_a, liaison_a)

    step = steps_of(employment_a)["work-permit-card"]

    assert step.due.on == date(2026, 3, 12)
    assert "within 10 days of entry into China" == step.limit_text


def test_steps_close_themselves_from_register_events(employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    before = steps_of(employment_a)
    assert before["work-permit-card"].overdue  # due 17 March, today 20 March
    assert before["residence-permit"].status == "todo"

    issue_work_permit(employment_a, liaison_a)
    record(
        employment_a,
        liaison_a,
        "residence_permit",
        date(2026, 3, 19),
        permit_number="RP456",
        expires_on=date(2027, 3, 15),
    )
    after = steps_of(employment_a)

    assert after["work-permit-card"].status == "done"
    assert after["work-permit-card"].closed_by_register
    assert after["work-permit-card"].done_on == date(2026, 3, 16)
    assert not after["work-permit-card"].overdue
    assert after["residence-permit"].status == "done"
    assert after["residence-permit"].done_on == date(2026, 3, 19)
    # The arrival itself closes the before-entry steps.
    assert after["z-visa"].status == "done"
    assert after["work-permit-notice"].done_on == ARRIVAL
    # Permits outlasting the contract need no renewal.
    assert after["work-permit-renewal"].status == "not_applicable"


def test_a_permit_expiring_before_the_contract_end_needs_a_renewal(employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    record(
        employment_a,
        liaison_a,
        "work_permit",
        date(2026, 3, 16),
        permit_number="WP123",
        expires_on=date(2027, 1, 31),
    )

    step = steps_of(employment_a)["work-permit-renewal"]

    assert step.status == "todo"
    assert step.due.on == date(2027, 1, 1)  # 30 days before the expiry
    assert step.limit_text == "at least 30 days before the work permit's expiry"


def test_a_renewal_opens_the_permit_change_step_until_the_new_permit(employment_a, liaison_a):
    arrive(employment_a, liaison_a)
    record(
        employment_a,
        liaison_a,
        "work_permit",
        date(2026, 3, 5),
        permit_number="W1",
        expires_on=date(2027, 2, 28),
    )
    assert steps_of(employment_a)["permit-changes"].status == "not_applicable"

    record(
        employment_a, liaison_a, "renewal", date(2026, 3, 18), new_contract_end=date(2028, 2, 29)
    )
    step = steps_of(employment_a)["permit-changes"]
    assert step.status == "todo"
    assert step.due.on == date(2026, 3, 28)  # 10 days
    # The permit now expires before the renewed contract ends: renew it 30 days before.
    assert steps_of(employment_a)["work-permit-renewal"].due.on == date(2027, 1, 29)

    record(
        employment_a,
        liaison_a,
        "work_permit",
        date(2026, 3, 19),
        permit_number="W2",
        expires_on=date(2028, 2, 29),
    )
    assert steps_of(employment_a)["permit-changes"].status == "done"


def test_a_teacher_already_in_china_has_no_entry_steps_and_counts_from_the_start(employment_a):
    Checklist.objects.create(employment=employment_a, already_in_china=True)

    steps = steps_of(employment_a)

    assert "z-visa" not in steps
    assert "work-permit-notice" not in steps
    assert steps["work-permit-card"].due.on == date(2026, 3, 16)  # from the 1 March start
    assert steps["accommodation-registration"].due.at == datetime(2026, 3, 2, 0, 0, tzinfo=SHANGHAI)


def test_a_cluster_contract_gets_the_filing_steps_closed_by_the_register(
    school_a, liaison_a, teacher_x
):
    member = SchoolFactory()
    employment = make_employment(
        school_a, teacher=teacher_x, start=date(2026, 3, 1), members=((member, 4),)
    )
    assert SchoolGroup.objects.exists()
    steps = steps_of(employment)
    assert steps["cluster-teaching-plan"].due.on == date(2026, 3, 11)
    assert steps["cluster-hire-report"].status == "todo"

    record(employment, liaison_a, "hire_reported", date(2026, 3, 10), reference="HZ-1")

    assert steps_of(employment)["cluster-hire-report"].status == "done"


def test_an_intern_counts_the_annotation_from_arrival_and_closes_with_the_permit(
    employment_a, liaison_a
):
    employment_a.is_intern = True
    employment_a.save()
    arrive(employment_a, liaison_a)
    assert steps_of(employment_a)["intern-residence-permit"].due.on == date(2026, 4, 1)

    record(
        employment_a,
        liaison_a,
        "residence_permit",
        date(2026, 3, 12),
        permit_number="S1",
        expires_on=date(2026, 9, 1),
    )

    assert steps_of(employment_a)["intern-residence-permit"].status == "done"


def test_an_ended_employment_leaves_only_the_leaving_steps(employment_a, liaison_a):
    record(employment_a, liaison_a, "departure", date(2026, 3, 10))

    steps = steps_of(employment_a)

    assert steps["residence-permit"].status == "not_applicable"
    assert steps["departure-report"].status == "done"  # the departure closed it
    # 10 working days after Tuesday 10 March.
    assert steps["work-permit-cancellation"].due.on == date(2026, 3, 24)
    assert steps["work-permit-cancellation"].status == "todo"
