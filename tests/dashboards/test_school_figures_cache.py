"""The school dashboard's cached figures follow every write that changes them (issue 18).

Each test loads the dashboard (which caches its figures), writes through the services as the
users would — after commit, as in production — and loads it again: the change shows at once.
Another school's staff never see the cached figures of a school that is not theirs.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.services import user_update_preferences
from apps.applications import services as application_services
from apps.applications.models import RejectionReason
from apps.core.dates import Quarter
from apps.employment import services as employment_services
from apps.employment.models import ChangeKind
from apps.evaluations.services import evaluation_round_open
from apps.schools import services as school_services
from apps.schools.models import GroupKind, MemberRole, SchoolMembership, VerificationStatus
from apps.vacancies.models import VacancySchool
from tests.applications.factories import accepted_application, english_vacancy
from tests.credit.factories import restriction_create
from tests.evaluations.factories import make_employment, submitted
from tests.schools.factories import (
    SchoolFactory,
    SchoolGroupFactory,
    SchoolMembershipFactory,
)
from tests.teachers.factories import make_eligible_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(django_capture_on_commit_callbacks):
    """Run a block's writes as committed: their after-commit version bumps happen."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def dashboard(client, language: str = "en"):
    with translation.override(language):
        url = reverse("dashboards:school")
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_new_applicant_and_a_rejection_change_the_waiting_count(
    client, school_a, liaison_a, written
):
    vacancy = english_vacancy(school=school_a, created_by=liaison_a)
    client.force_login(liaison_a)
    assert dashboard(client).context["open_applicants"] == 0

    with written():
        application = application_services.application_apply(
            actor=make_eligible_teacher().user, vacancy=vacancy
        )
    assert 'data-testid="open-applicants">1<' in dashboard(client).content.decode()

    # The rejection moves the status by a conditional update: its audit event retires the figures.
    with written():
        application_services.application_reject(
            actor=liaison_a, application=application, reason=RejectionReason.EXPERIENCE
        )
    assert 'data-testid="open-applicants">0<' in dashboard(client).content.decode()


def test_an_applicant_to_a_cluster_vacancy_reaches_the_member_school(
    client, school_a, school_b, liaison_a, liaison_b, written
):
    cluster = SchoolGroupFactory(lead_school=school_b)
    shared = english_vacancy(school=school_b, cluster=cluster)
    client.force_login(liaison_a)
    assert dashboard(client).context["open_applicants"] == 0

    with written():
        VacancySchool.objects.create(vacancy=shared, school=school_b, weekly_hours=10)
        VacancySchool.objects.create(vacancy=shared, school=school_a, weekly_hours=6)
    with written():
        application_services.application_apply(actor=make_eligible_teacher().user, vacancy=shared)

    assert dashboard(client).context["open_applicants"] == 1


def test_a_hire_and_its_end_change_the_employed_count(client, school_a, liaison_a, written):
    vacancy = english_vacancy(school=school_a, created_by=liaison_a)
    application = accepted_application(vacancy)
    client.force_login(liaison_a)
    assert dashboard(client).context["active_employments"] == 0

    with written():
        employment = employment_services.employment_hire(actor=liaison_a, application=application)
    assert dashboard(client).context["active_employments"] == 1

    # The teacher leaves a month into the contract (recorded once that day has passed).
    left_on = employment.contract_start + timedelta(days=30)
    with time_machine.travel(left_on + timedelta(days=1), tick=False):
        with written():
            employment_services.employment_change_record(
                actor=liaison_a,
                employment=employment,
                kind=ChangeKind.DEPARTURE,
                effective_on=left_on,
            )
        client.force_login(liaison_a)  # the first sign-in's session has expired by then
        assert dashboard(client).context["active_employments"] == 0


def test_a_credit_restriction_takes_the_vacancy_step_away(client, school_a, liaison_a, written):
    client.force_login(liaison_a)
    assert 'data-testid="vacancy-step"' in dashboard(client).content.decode()

    with written():
        restriction_create(school=school_a, reason="Illegal employment")

    page = dashboard(client)
    assert page.context["post_block"] == "blacklisted"
    assert 'data-testid="vacancy-step"' not in page.content.decode()


def test_a_restriction_from_tomorrow_shows_tomorrow(client, school_a, liaison_a, written):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with written():
        restriction_create(school=school_a, reason="Illegal employment", starts_on=tomorrow)
    client.force_login(liaison_a)
    assert dashboard(client).context["can_post"] is True

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert dashboard(client).context["can_post"] is False


def test_verifying_the_school_lets_it_post(client, center_user, written):
    school = SchoolFactory(verification_status=VerificationStatus.PENDING)
    liaison = SchoolMembershipFactory(school=school, is_liaison=True).user
    client.force_login(liaison)
    assert dashboard(client).context["post_block"] == "unverified"

    with written():
        school_services.school_verify(actor=center_user, school=school)

    page = dashboard(client)
    assert page.context["can_post"] is True
    assert 'data-testid="vacancy-step"' in page.content.decode()


def test_evaluations_opened_and_submitted_move_the_counts(client, school_a, liaison_a, written):
    client.force_login(liaison_a)
    with written():
        employment = make_employment(school_a)
    assert sum(dashboard(client).context["evaluation_counts"].values()) == 0

    quarter = Quarter.parse("2026Q3")
    with written():
        evaluation_round_open(quarter=quarter)
    counts = dashboard(client).context["evaluation_counts"]
    assert counts["open"] + counts["late"] == 1 and counts["done"] == 0

    evaluation = employment.evaluations.get()
    with written():
        submitted(evaluation, liaison_a)
    assert dashboard(client).context["evaluation_counts"] == {"open": 0, "late": 0, "done": 1}


def test_a_round_topped_up_counts_the_new_evaluations(client, school_a, liaison_a, written):
    quarter = Quarter.parse("2026Q3")
    with written():
        evaluation_round_open(quarter=quarter)  # nobody employed yet: an empty round
    client.force_login(liaison_a)
    assert sum(dashboard(client).context["evaluation_counts"].values()) == 0

    # A hire entered late: the periodic job tops the round up with a bulk insert.
    with written():
        make_employment(school_a, start=date(2026, 8, 1))
        evaluation_round_open(quarter=quarter)

    assert sum(dashboard(client).context["evaluation_counts"].values()) == 1


def test_partner_schools_added_and_removed_show_at_once(client, school_a, liaison_a, written):
    client.force_login(liaison_a)
    assert "No partner schools yet." in dashboard(client).content.decode()

    with written():
        partner = school_services.partner_school_save(
            actor=liaison_a,
            school=school_a,
            name="Leeds Grammar",
            country="GB",
            city="Leeds",
            since=date(2019, 9, 1),
        )
    assert "Leeds Grammar" in dashboard(client).content.decode()

    with written():
        school_services.partner_school_delete(actor=liaison_a, partner=partner)
    assert "Leeds Grammar" not in dashboard(client).content.decode()


def test_partner_countries_are_named_in_each_language(client, school_a, liaison_a, written):
    with written():
        school_services.partner_school_save(
            actor=liaison_a,
            school=school_a,
            name="Hamburg Gymnasium",
            country="DE",
            city="Hamburg",
            since=date(2019, 9, 1),
        )
    client.force_login(liaison_a)

    assert "Germany" in dashboard(client, "en").content.decode()
    assert "德国" in dashboard(client, "zh-hans").content.decode()


def test_staff_joining_renamed_and_deactivated_show_at_once(client, school_a, liaison_a, written):
    client.force_login(liaison_a)
    assert "Li Ming" not in dashboard(client).content.decode()

    invitation = school_services.school_invitation_create(
        actor=liaison_a, school=school_a, email="li.ming@example.org"
    )
    with written():
        colleague = school_services.school_invitation_accept(
            token=school_services.invitation_token(invitation),
            full_name="Li Ming",
            password="a-long-Passw0rd-here",
        )
    assert "Li Ming" in dashboard(client).content.decode()

    with written():
        user_update_preferences(user=colleague, full_name="Li Mingyu")
    page = dashboard(client).content.decode()
    assert "Li Mingyu" in page

    membership = SchoolMembership.objects.get(user=colleague)
    with written():
        school_services.school_staff_deactivate(actor=liaison_a, membership=membership)
    staff = dashboard(client).context["staff"]
    assert [(row.name, row.is_active) for row in staff if row.user_id == colleague.pk] == [
        ("Li Mingyu", False)
    ]


def test_a_liaison_handover_changes_who_may_invite(client, school_a, liaison_a, written):
    colleague = SchoolMembershipFactory(school=school_a).user
    client.force_login(colleague)
    invite = reverse("schools:staff_invite")
    assert invite not in dashboard(client).content.decode()

    with written():
        school_services.school_liaison_transfer(
            actor=liaison_a, membership=SchoolMembership.objects.get(user=colleague)
        )

    page = dashboard(client)
    assert invite in page.content.decode()
    liaisons = [row.user_id for row in page.context["staff"] if row.is_liaison]
    assert liaisons == [colleague.pk]


def test_groups_and_renamed_schools_show_at_once(client, center_user, school_a, liaison_a, written):
    lead = SchoolFactory(name_en="Binjiang Lead School")
    client.force_login(liaison_a)
    assert dashboard(client).context["groups"] == []

    with written():
        school_services.school_group_create(
            actor=center_user,
            kind=GroupKind.CLUSTER,
            name="Riverside cluster",
            lead_school=lead,
            members=[(school_a, MemberRole.MEMBER)],
        )
    page = dashboard(client).content.decode()
    assert "Riverside cluster" in page and "Binjiang Lead School" in page

    lead.name_en = "Binjiang Experimental School"
    with written():
        school_services.school_save_by_center(actor=center_user, school=lead, changed=["name"])
    assert "Binjiang Experimental School" in dashboard(client).content.decode()


def test_another_school_never_sees_the_cached_figures(
    client, school_a, school_b, liaison_a, liaison_b, written
):
    vacancy = english_vacancy(school=school_a, created_by=liaison_a)
    with written():
        application_services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
        SchoolMembershipFactory(school=school_a, user__full_name="Zhao Colleague")
    client.force_login(liaison_a)
    page_a = dashboard(client)
    assert page_a.context["open_applicants"] == 1

    client.force_login(liaison_b)
    page_b = dashboard(client)

    assert page_b.context["school"] == school_b
    assert page_b.context["open_applicants"] == 0
    body = page_b.content.decode()
    assert "Zhao Colleague" not in body and liaison_a.email not in body
    assert liaison_b.email in body


def test_a_deactivated_member_loses_the_cached_dashboard_at_once(client, school_a, liaison_a):
    colleague = SchoolMembershipFactory(school=school_a)
    client.force_login(colleague.user)
    assert dashboard(client).context["school"] == school_a

    # Only the membership ends, by an UPDATE no receiver sees: the page reads it live.
    SchoolMembership.objects.filter(pk=colleague.pk).update(
        is_active=False, deactivated_at=timezone.now()
    )

    page = dashboard(client)
    assert page.context["membership"] is None
    assert "school" not in page.context


# --- Overdue steps: cached under the name of the city's overdue list -------------------------


@pytest.fixture
def hire_a(school_a, liaison_a):
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory(legal_name="Emma Clarke", user__email="emma@example.org")
    return make_employment(school_a, teacher=teacher, start=date(2026, 3, 1))


def overdue_titles(client) -> list[str]:
    return [str(step.procedure.title) for step in dashboard(client).context["overdue_steps"]]


def test_a_step_marked_done_leaves_the_overdue_card(client, hire_a, liaison_a, written):
    from apps.guidance import services as guidance_services
    from apps.guidance.models import Procedure
    from tests.guidance.conftest import TODAY, arrive

    registration = Procedure.objects.get(slug="accommodation-registration")
    with time_machine.travel(TODAY, tick=False):
        arrive(hire_a, liaison_a)
        client.force_login(liaison_a)
        assert str(registration.title) in overdue_titles(client)

        with written():
            guidance_services.checklist_step_mark(
                actor=liaison_a,
                employment=hire_a,
                procedure=registration,
                status="done",
                done_on=date(2026, 3, 3),
            )

        assert str(registration.title) not in overdue_titles(client)


def test_a_renamed_teacher_and_an_ended_hire_show_on_the_overdue_card(
    client, hire_a, liaison_a, written
):
    from tests.guidance.conftest import TODAY, arrive, record

    with time_machine.travel(TODAY, tick=False):
        arrive(hire_a, liaison_a)
        client.force_login(liaison_a)
        assert "Emma Clarke" in dashboard(client).content.decode()

        with written():
            hire_a.teacher.legal_name = "Emma Clarke-Wu"
            hire_a.teacher.save()  # as the admin saves it
        assert "Emma Clarke-Wu" in dashboard(client).content.decode()

        record(
            hire_a, liaison_a, "early_termination", date(2026, 3, 19), termination_reason="other"
        )
        page = dashboard(client)
        assert page.context["overdue_steps"] == []
        assert 'data-testid="overdue-steps"' not in page.content.decode()


def test_steps_turn_overdue_by_the_clock_without_any_write(client, hire_a, liaison_a):
    from apps.guidance.models import Procedure
    from tests.guidance.conftest import SHANGHAI, arrive

    with time_machine.travel(datetime(2026, 3, 2, 23, 0, tzinfo=SHANGHAI), tick=False):
        arrive(hire_a, liaison_a)  # registration due 23:30 on 3 March
    registration = str(Procedure.objects.get(slug="accommodation-registration").title)
    work_permit = str(Procedure.objects.get(slug="work-permit-card").title)  # due 17 March

    with time_machine.travel(datetime(2026, 3, 3, 23, 29, tzinfo=SHANGHAI), tick=False):
        client.force_login(liaison_a)
        assert registration not in overdue_titles(client)
    with time_machine.travel(datetime(2026, 3, 3, 23, 31, tzinfo=SHANGHAI), tick=False):
        assert registration in overdue_titles(client)  # the same day: only the moment passed
    with time_machine.travel(datetime(2026, 3, 17, 23, 59, tzinfo=SHANGHAI), tick=False):
        client.force_login(liaison_a)
        assert work_permit not in overdue_titles(client)
    with time_machine.travel(datetime(2026, 3, 18, 0, 1, tzinfo=SHANGHAI), tick=False):
        assert work_permit in overdue_titles(client)


def test_another_school_never_sees_the_cached_overdue_steps(
    client, school_b, hire_a, liaison_a, liaison_b, written
):
    from tests.guidance.conftest import TODAY, arrive

    with time_machine.travel(TODAY, tick=False):
        arrive(hire_a, liaison_a)
        with written():
            make_employment(school_b)
        client.force_login(liaison_a)
        assert "Emma Clarke" in dashboard(client).content.decode()

        client.force_login(liaison_b)
        page = dashboard(client)
        assert page.context["overdue_steps"] == []
        assert "Emma Clarke" not in page.content.decode()


# --- Many rows in one transaction ----------------------------------------------------------


@pytest.mark.parametrize("applicants", [2, 8])
def test_a_transaction_writing_many_rows_resolves_their_schools_once(
    school_a, school_b, liaison_a, liaison_b, django_capture_on_commit_callbacks, applicants
):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from apps.core.cache_versions import versions_get
    from apps.dashboards.caching import SCHOOL_VERSION_KEY, schools_changed

    applications = [
        application_services.application_apply(
            actor=make_eligible_teacher().user,
            vacancy=english_vacancy(school=school, created_by=liaison),
        )
        for school, liaison in [(school_a, liaison_a), (school_b, liaison_b)] * (applicants // 2)
    ]
    keys = [SCHOOL_VERSION_KEY.format(school.pk) for school in (school_a, school_b)]
    before = versions_get(keys)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for application in applications:  # as the receivers name each row they see written
            schools_changed([("application", application.pk)])
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()

    # A lookup per kind of row the transaction named (applications here; the vacancies and the
    # users the test's own set-up wrote), whatever the number of rows: not one per row.
    assert len(queries.captured_queries) <= 6
    assert all(after > was for after, was in zip(versions_get(keys), before, strict=True))


def test_the_district_and_school_type_show_in_the_readers_language_and_follow_renames(
    client, school_a, liaison_a
):
    from apps.core.services import reference_data_changed

    client.force_login(liaison_a)
    english = dashboard(client).content.decode()
    chinese = dashboard(client, "zh-hans").content.decode()
    assert school_a.district.name_en in english and school_a.school_type.name_en in english
    assert school_a.district.name_zh_hans in chinese

    district = school_a.district
    district.name_en = "Renamed District"
    district.save()
    reference_data_changed()  # as the reference admin does after every edit

    assert "Renamed District" in dashboard(client).content.decode()


def test_the_cached_applications_list_follows_new_applicants_and_stays_with_its_school(
    client, school_a, liaison_a, liaison_b, written
):
    vacancy = english_vacancy(school=school_a, created_by=liaison_a)
    url = reverse("applications:school_vacancies")
    client.force_login(liaison_a)

    def counts(page):
        row = page.content.decode().split('data-testid="vacancy-row"')[1]
        return [cell.split("<")[0] for cell in row.split("<td>")[-2:]]

    assert counts(client.get(url)) == ["0", "0"]
    with written():
        application_services.application_apply(actor=make_eligible_teacher().user, vacancy=vacancy)
    assert counts(client.get(url)) == ["1", "1"]

    client.force_login(liaison_b)
    other = client.get(url).content.decode()
    assert vacancy.title not in other and 'data-testid="vacancy-row"' not in other
