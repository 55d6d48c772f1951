"""Every list page reads the same number of queries for N rows and for 2N rows (issue 18).

Each test signs in the page's user, creates N (3) rows of the kind the page lists, counts the
queries of one request, adds N more, counts again and requires the same figure — a query per
row (N+1) in a selector, a property or a template shows as a difference — and then checks that
the page shows every row, so the flat count is not a flat count of nothing.

Counts are taken with the cache cleared (after a first request has opened the session): that
is the request whose cost can grow with the rows; a page answered from the cache only gets
cheaper. Pages with a budget test elsewhere are listed in /work/tools/notes/budgets.md.
"""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

pytestmark = pytest.mark.django_db

N = 3


def measure(client, url: str, params: dict | None = None) -> tuple[list[str], object]:
    """Return the SQL of one request with a cold cache (after a first, warming request).

    The response's text is kept as `response.body_text`; a streamed file (CSV) is read inside the
    count, since its rows are queried while it streams.
    """
    client.get(url, params or {})  # the first request of a session reads more (session, MFA)
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, (url, response.status_code)
    response.body_text = body.decode()
    return [query["sql"] for query in context.captured_queries], response


def _shape(sql: str) -> str:
    # Literals differ from row to row; the statement's shape (table, conditions) is what repeats.
    sql = re.sub(r'^DECLARE "\w+" NO SCROLL CURSOR WITH(OUT)? HOLD FOR ', "", sql)  # PostgreSQL
    sql = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", sql)
    sql = re.sub(r"\b\d+\b|'[^']*'|%s|\"s\d+_x\d+\"", "?", sql)
    return re.sub(r"IN \(\?(, \?)*\)", "IN (…)", sql)[:300]


def assert_same_queries(few: list[str], more: list[str]) -> None:
    """Fail with the statements that ran more often when the page had more rows."""
    if len(few) == len(more):
        return
    grown = Counter(map(_shape, more)) - Counter(map(_shape, few))
    lines = [f"{count}× more: {shape}" for shape, count in grown.most_common()]
    pytest.fail(f"{len(few)} queries with {N} rows, {len(more)} with {2 * N}:\n" + "\n".join(lines))


def flat(client, url, add_rows, params: dict | None = None) -> object:
    """Add N rows, count; add N more, count again; the counts must match. Return the page.

    `url` may be a function, for a page whose address changes with the rows (a new run).
    """
    add_rows(0)
    few, _ = measure(client, url() if callable(url) else url, params)
    add_rows(N)
    more, response = measure(client, url() if callable(url) else url, params)
    assert_same_queries(few, more)
    return response


def shows_all(response, texts) -> None:
    body = response.body_text
    missing = [text for text in texts if text not in body and escape(text) not in body]
    assert not missing, f"not on the page: {missing}"


# --- Every signed-in user --------------------------------------------------------------------


def test_inbox(client, teacher_user):
    from apps.notifications.services import notify

    client.force_login(teacher_user)

    def add(start):
        for n in range(start, start + N):
            notify(recipient=teacher_user, kind="test", title=f"Budget notice {n}")

    response = flat(client, reverse("notifications:inbox"), add)
    shows_all(response, [f"Budget notice {n}" for n in range(2 * N)])


# --- Teachers --------------------------------------------------------------------------------


def test_teacher_saved_searches(client, teacher_user):
    from apps.vacancies.services import saved_search_create

    client.force_login(teacher_user)

    def add(start):
        for n in range(start, start + N):
            saved_search_create(user=teacher_user, name=f"Budget search {n}", query=f"q=n{n}")

    response = flat(client, reverse("vacancies:saved_searches"), add)
    shows_all(response, [f"Budget search {n}" for n in range(2 * N)])


def test_teacher_applications(client):
    from tests.applications.factories import ApplicationFactory, english_vacancy
    from tests.teachers.factories import make_eligible_teacher

    teacher = make_eligible_teacher()
    client.force_login(teacher.user)

    def add(start):
        for n in range(start, start + N):
            ApplicationFactory(
                teacher=teacher, vacancy=english_vacancy(title_en=f"Budget post {n}")
            )

    response = flat(client, reverse("applications:teacher_list"), add)
    shows_all(response, [f"Budget post {n}" for n in range(2 * N)])


def test_teacher_employments(client):
    from tests.evaluations.factories import make_employment
    from tests.schools.factories import SchoolFactory
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory()
    client.force_login(teacher.user)

    def add(start):
        # Earlier contracts, ended; each at another school.
        for n in range(start, start + N):
            year = 2010 + n
            make_employment(
                SchoolFactory(name_en=f"Budget school {n}"),
                teacher=teacher,
                start=date(year, 3, 1),
                end=date(year + 1, 2, 1),
                ended_on=date(year + 1, 2, 1),
            )

    response = flat(client, reverse("employment:teacher_list"), add)
    shows_all(response, [f"Budget school {n}" for n in range(2 * N)])


# --- Schools ---------------------------------------------------------------------------------


def test_school_vacancies(client, school_a, liaison_a):
    from tests.vacancies.factories import VacancyFactory

    client.force_login(liaison_a)

    def add(start):
        for n in range(start, start + N):
            VacancyFactory(school=school_a, title_en=f"Budget post {n}")

    response = flat(client, reverse("vacancies:school_list"), add)
    shows_all(response, [f"Budget post {n}" for n in range(2 * N)])


def _visit(actor, partner, n: int):
    from apps.core.models import Subject
    from apps.employment.services import exchange_visit_register

    arrival = date(2027, 1, 1) + timedelta(days=20 * n)
    return exchange_visit_register(
        actor=actor,
        partner_school=partner,
        visitor_name=f"Budget visitor {n}",
        nationality="GB",
        passport_number=f"AB{n:07d}",
        arrival=arrival,
        departure=arrival + timedelta(days=14),
        purpose="Sister-school exchange",
        subjects=list(Subject.objects.filter(code__in=["english", "oral_english"])),
    )


def test_school_exchange_visits(client, school_a, liaison_a):
    from tests.schools.factories import PartnerSchoolFactory

    client.force_login(liaison_a)

    def add(start):
        for n in range(start, start + N):
            _visit(liaison_a, PartnerSchoolFactory(school=school_a, name=f"Partner {n}"), n)

    response = flat(client, reverse("employment:visits"), add)
    shows_all(response, [f"Budget visitor {n}" for n in range(2 * N)])
    shows_all(response, [f"Partner {n}" for n in range(2 * N)])


# --- Bureaus ---------------------------------------------------------------------------------


def test_bureau_exchange_visits(client, school_a, liaison_a, bureau_xihu_user):
    from tests.schools.factories import PartnerSchoolFactory

    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            _visit(liaison_a, PartnerSchoolFactory(school=school_a, name=f"Partner {n}"), n)

    response = flat(client, reverse("employment:bureau_visits"), add)
    shows_all(response, [f"Budget visitor {n}" for n in range(2 * N)])


def test_teacher_credit_records(client):
    from apps.credit.models import RecordStatus
    from tests.credit.factories import commendation_create, restriction_create
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory()
    client.force_login(teacher.user)
    records = []

    def add(start):
        for n in range(start, start + N):
            records.append(commendation_create(teacher=teacher))
            records.append(
                restriction_create(
                    teacher=teacher,
                    severity="minor",
                    status=RecordStatus.NOTIFIED,
                    objection_deadline=timezone.localdate() + timedelta(days=10 + n),
                )
            )

    response = flat(client, reverse("credit:teacher_home"), add)
    shows_all(response, [reverse("credit:record", args=[r.code]) for r in records])
    assert len(records) == 4 * N


# --- Schools: exports --------------------------------------------------------------------------


def test_school_applicants_csv(client, school_a, liaison_a):
    from tests.applications.factories import ApplicationFactory, english_vacancy
    from tests.teachers.factories import make_eligible_teacher

    vacancy = english_vacancy(school=school_a)
    client.force_login(liaison_a)

    def add(start):
        for n in range(start, start + N):
            ApplicationFactory(
                vacancy=vacancy, teacher=make_eligible_teacher(legal_name=f"Budget Applicant {n}")
            )

    response = flat(client, reverse("applications:applicants_csv", args=[vacancy.code]), add)
    shows_all(response, [f"Budget Applicant {n}" for n in range(2 * N)])


def _hire(school, liaison, n: int):
    from apps.employment import services as employment_services
    from tests.applications.factories import accepted_application, english_vacancy
    from tests.teachers.factories import make_eligible_teacher

    application = accepted_application(
        english_vacancy(school=school), teacher=make_eligible_teacher(legal_name=f"Budget Hire {n}")
    )
    return employment_services.employment_hire(actor=liaison, application=application)


def test_school_employments_csv(client, school_a, liaison_a):
    client.force_login(liaison_a)

    def add(start):
        for n in range(start, start + N):
            _hire(school_a, liaison_a, n)

    response = flat(client, reverse("employment:school_csv"), add)
    shows_all(response, [f"Budget Hire {n}" for n in range(2 * N)])


def test_school_credit_records(client, school_a, liaison_a):
    from tests.credit.factories import commendation_create, restriction_create

    client.force_login(liaison_a)
    records = []

    def add(start):
        for _n in range(start, start + N):
            records.append(commendation_create(school=school_a))
            records.append(restriction_create(school=school_a, severity="minor"))

    response = flat(client, reverse("credit:school_home"), add)
    shows_all(response, [reverse("credit:record", args=[r.code]) for r in records])


# --- Bureaus: exports --------------------------------------------------------------------------


def test_bureau_vacancies(client, school_a, bureau_xihu_user):
    from tests.vacancies.factories import VacancyFactory

    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            VacancyFactory(school=school_a, title_en=f"Budget post {n}")

    response = flat(client, reverse("vacancies:bureau_list"), add)
    shows_all(response, [f"Budget post {n}" for n in range(2 * N)])


def test_bureau_employments(client, school_a, liaison_a, bureau_xihu_user):
    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            _hire(school_a, liaison_a, n)

    response = flat(client, reverse("employment:bureau_list"), add)
    shows_all(response, [f"Budget Hire {n}" for n in range(2 * N)])


def test_bureau_employments_csv(client, school_a, liaison_a, bureau_xihu_user):
    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            _hire(school_a, liaison_a, n)

    response = flat(client, reverse("employment:bureau_csv"), add)
    shows_all(response, [f"Budget Hire {n}" for n in range(2 * N)])


def test_bureau_vacancies_csv(client, school_a, bureau_xihu_user):
    from apps.core.models import Subject
    from tests.vacancies.factories import VacancyFactory

    client.force_login(bureau_xihu_user)
    subjects = list(Subject.objects.filter(code__in=["english", "oral_english"]))

    def add(start):
        for n in range(start, start + N):
            VacancyFactory(school=school_a, title_en=f"Budget post {n}", subjects=subjects)

    response = flat(client, reverse("vacancies:bureau_csv"), add)
    shows_all(response, [f"Budget post {n}" for n in range(2 * N)])


def test_bureau_schools_csv(client, bureau_xihu_user):
    from tests.schools.factories import SchoolFactory

    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            SchoolFactory(name_en=f"Budget school {n}")

    response = flat(client, reverse("schools:bureau_schools_csv"), add)
    shows_all(response, [f"Budget school {n}" for n in range(2 * N)])


def _group(n: int):
    from apps.schools.models import SchoolGroupMember
    from tests.schools.factories import SchoolFactory, SchoolGroupFactory

    group = SchoolGroupFactory(name=f"Budget group {n}", lead_school=SchoolFactory())
    for m in range(2):
        SchoolGroupMember.objects.create(
            group=group, school=SchoolFactory(name_en=f"Budget member {n}-{m}")
        )
    return group


def test_bureau_school_groups_csv(client, bureau_xihu_user):
    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            _group(n)

    response = flat(client, reverse("schools:bureau_groups_csv"), add)
    shows_all(response, [f"Budget group {n}" for n in range(2 * N)])
    shows_all(response, [f"Budget member {n}-1" for n in range(2 * N)])


def test_bureau_school_groups(client, bureau_xihu_user):
    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            _group(n)

    response = flat(client, reverse("schools:bureau_groups"), add)
    shows_all(response, [f"Budget group {n}" for n in range(2 * N)])
    shows_all(response, [f"Budget member {n}-1" for n in range(2 * N)])


def test_bureau_schools(client, bureau_xihu_user):
    from tests.schools.factories import SchoolFactory

    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            SchoolFactory(name_en=f"Budget school {n}")

    response = flat(client, reverse("schools:bureau_schools"), add)
    shows_all(response, [f"Budget school {n}" for n in range(2 * N)])


# --- Center staff ------------------------------------------------------------------------------


def test_center_exports(client, center_user):
    from apps.exchange.models import ExportJob, ExportStatus

    client.force_login(center_user)
    jobs = []

    def add(start):
        for n in range(start, start + N):
            jobs.append(
                ExportJob.objects.create(
                    dataset="schools",
                    format="csv",
                    requested_by=center_user,
                    status=ExportStatus.DONE,
                    rows=n,
                )
            )

    response = flat(client, reverse("exchange:exports"), add)
    shows_all(response, [reverse("exchange:export_download", args=[j.code, "file"]) for j in jobs])


def _star_history(teacher) -> None:
    import uuid
    from decimal import Decimal

    from apps.credit import services as credit_services

    # Twelve good quarters, 2023Q4 … 2026Q3: three years in Hangzhou by December 2026.
    for m in range(-3, 33, 3):
        credit_services.evaluation_result_record(
            teacher=teacher,
            source_code=uuid.uuid4(),
            quarter_start=date(2024 + (m // 12), m % 12 + 1, 1),
            law_compliance=Decimal(5),
            teaching_duties=Decimal(5),
            daily_conduct=Decimal(5),
            serious_incident=False,
        )


@pytest.mark.parametrize("kind", ["permit", "friendship"])
def test_center_recognition_lists(client, center_user, time_machine, kind):
    from apps.credit import services as credit_services
    from apps.credit.models import NominationKind
    from tests.credit.factories import commendation_create
    from tests.teachers.factories import TeacherFactory

    time_machine.move_to(date(2026, 12, 1))
    client.force_login(center_user)
    nomination_kind = {
        "permit": NominationKind.LONG_TERM_PERMIT,
        "friendship": NominationKind.FRIENDSHIP_AWARD,
    }[kind]

    def add(start):
        for n in range(start, start + N):
            teacher = TeacherFactory(legal_name=f"Budget Star {n}")
            _star_history(teacher)
            commendation_create(teacher=teacher, starts_on=date(2026, 6, 1))
            if n % 2:  # some already nominated: the nominations list grows too
                credit_services.nomination_propose(
                    actor=center_user, teacher=teacher, kind=nomination_kind
                )

    response = flat(client, reverse("credit:recognition", args=[kind]), add)
    shows_all(response, [f"Budget Star {n}" for n in range(2 * N)])
    assert len(response.context["candidates"]) == 2 * N


# --- Evaluations -------------------------------------------------------------------------------


@pytest.fixture
def after_the_deadline():
    # 2026Q3's deadline is 31 October: on 10 November open evaluations are late.
    with time_machine.travel(date(2026, 11, 10)):
        yield


@pytest.fixture
def in_october():
    # 2026Q3's evaluations and surveys are open until 31 October.
    with time_machine.travel(date(2026, 10, 10)):
        yield


def test_bureau_late_evaluations(client, after_the_deadline, bureau_xihu_user):
    from tests.evaluations.factories import evaluation_for, make_employment
    from tests.schools.factories import SchoolMembershipFactory

    client.force_login(bureau_xihu_user)

    def add(start):
        for n in range(start, start + N):
            school = SchoolMembershipFactory(school__name_en=f"Budget school {n}").school
            evaluation_for(make_employment(school))

    response = flat(client, reverse("evaluations:bureau_late"), add)
    # Bureau viewers see schools, never the teacher's name.
    shows_all(response, [f"Budget school {n}" for n in range(2 * N)])


def test_teacher_evaluations_and_surveys(client, in_october):
    from tests.evaluations.factories import evaluation_for, make_employment, submitted
    from tests.schools.factories import SchoolMembershipFactory
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory()
    client.force_login(teacher.user)

    def add(start):
        # Short contracts one after another in 2026Q3, each at another school.
        for n in range(start, start + N):
            membership = SchoolMembershipFactory(school__name_en=f"Budget school {n}")
            first = date(2026, 7, 1) + timedelta(days=10 * n)
            employment = make_employment(
                membership.school,
                teacher=teacher,
                start=first,
                end=first + timedelta(days=9),
                ended_on=first + timedelta(days=9),
            )
            submitted(evaluation_for(employment), membership.user)

    response = flat(client, reverse("evaluations:teacher_list"), add)
    shows_all(response, [f"Budget school {n}" for n in range(2 * N)])
    assert len(response.context["evaluations"]) == 2 * N
    assert len(response.context["surveys"]) == 2 * N


def _teachers_answer(school, count: int) -> None:
    from apps.evaluations.models import SurveyDirection, SurveyQuestion
    from apps.evaluations.services import survey_submit
    from tests.evaluations.factories import evaluation_for, make_employment
    from tests.teachers.factories import TeacherFactory

    direction = SurveyDirection.TEACHER_ABOUT_SCHOOL
    scores = {q.pk: 4 for q in SurveyQuestion.objects.filter(direction=direction, is_active=True)}
    for _ in range(count):
        teacher = TeacherFactory()
        evaluation = evaluation_for(make_employment(school, teacher=teacher))
        survey_submit(actor=teacher.user, evaluation=evaluation, direction=direction, scores=scores)


def test_school_assessments_and_satisfaction(client, in_october, school_a, liaison_a, center_user):
    from apps.evaluations.services import school_assessment_save
    from tests.evaluations.factories import make_employment, open_round

    make_employment(school_a, start=date(2025, 1, 1), end=date(2027, 6, 30))
    quarters = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    client.force_login(liaison_a)

    def add(start):
        for n in range(start, start + N):
            school_assessment_save(
                actor=center_user,
                round=open_round(quarters[n]),
                school=school_a,
                score=4,
                comment=f"Budget comment {n}",
            )
        _teachers_answer(school_a, N)  # six answers pass the privacy threshold of five

    response = flat(client, reverse("evaluations:school_results"), add)
    shows_all(response, [f"Budget comment {n}" for n in range(2 * N)])
    assert any(total.shown for _q, _cells, total in response.context["table"].rows)


def test_bureau_satisfaction(client, in_october, bureau_xihu_user):
    from tests.schools.factories import SchoolFactory

    client.force_login(bureau_xihu_user)

    def add(start):
        _teachers_answer(SchoolFactory(), N)

    response = flat(client, reverse("evaluations:bureau_surveys"), add)
    (table,) = [t for t in response.context["tables"] if t.direction == "teacher_school"]
    assert table.rows and all(total.shown for _question, _cells, total in table.rows)


# --- Data quality ------------------------------------------------------------------------------


def _quality_issues(school, liaison) -> None:
    from tests.evaluations.factories import make_employment
    from tests.exchange import test_quality as situations
    from tests.schools.factories import SchoolFactory

    # One issue of each rule: an expired permit, a long visit, an arrival without its
    # registration steps, a departure without its cancellation, and cluster hours that do not
    # add up (a contract another school leads, with this school as a member).
    for situation in (
        situations.expired_work_permit,
        situations.long_visit,
        situations.arrival_weeks_ago,
        situations.departure_long_ago,
    ):
        situation(school, liaison)
    cluster = make_employment(SchoolFactory(), hours=10, members=[(school, 6)])
    cluster.weekly_hours = 20
    cluster.save()


@pytest.mark.parametrize("actor", ["liaison_a", "center_user"])
def test_data_quality(client, request, school_a, liaison_a, actor):
    from tests.exchange.test_quality import NOW

    client.force_login(request.getfixturevalue(actor))
    with time_machine.travel(NOW, tick=False):

        def add(start):
            for _n in range(start, start + N):
                _quality_issues(school_a, liaison_a)

        response = flat(client, reverse("exchange:quality"), add)
    page = response.context["page"]
    rules = Counter(issue.rule for issue in page.paginator.object_list)
    assert len(rules) == 5 and all(count >= 2 * N for count in rules.values())
    assert response.body_text.count("<tr data-rule=") == len(page) == page.paginator.per_page


# --- Guidance ----------------------------------------------------------------------------------


def test_hire_timeline(client, school_a, liaison_a):
    from apps.guidance.models import EntryStatus
    from apps.guidance.selectors import hire_checklist_get
    from apps.guidance.services import checklist_step_mark
    from tests.evaluations.factories import make_employment
    from tests.guidance.conftest import TODAY, arrive

    client.force_login(liaison_a)
    with time_machine.travel(TODAY, tick=False):
        employment = make_employment(school_a, start=date(2026, 3, 1), end=date(2027, 2, 28))
        arrive(employment, liaison_a)
        # The steps still open after the arrival, marked done a few at a time.
        steps = [
            step.procedure
            for step in hire_checklist_get(employment=employment).steps
            if step.status == "todo" and not step.closed_by_register
        ]
        assert len(steps) >= 2 * N

        def add(start):
            for procedure in steps[start : start + N]:
                checklist_step_mark(
                    actor=liaison_a,
                    employment=employment,
                    procedure=procedure,
                    status=EntryStatus.DONE,
                    done_on=date(2026, 3, 10),
                )

        response = flat(client, reverse("guidance:timeline", args=[employment.code]), add)
    done = [item for item in response.context["items"] if item.kind == "done"]
    assert len(done) >= 2 * N
    shows_all(response, [str(procedure.title) for procedure in steps[: 2 * N]])


# --- Matching ----------------------------------------------------------------------------------


def test_teacher_suggestions(client, center_user):
    from apps.matching import services as matching_services
    from apps.matching.models import Recommendation
    from tests.matching.factories import english_teacher
    from tests.matching.test_school_pages import english_post, push_run
    from tests.schools.factories import SchoolMembershipFactory

    teacher = english_teacher()
    client.force_login(teacher.user)

    def add(start):
        # Per batch: one vacancy whose school invites the teacher, one pushed to its school,
        # one only suggested by the run.
        posts = []
        for n in range(start, start + N):
            membership = SchoolMembershipFactory(is_liaison=True)
            posts.append((membership, english_post(membership.school, title_en=f"Budget post {n}")))
        pushed = [vacancy for _membership, vacancy in posts[:2]]
        push_run(center_user, *pushed)
        membership, invited = posts[0]
        matching_services.recommendation_invite(
            actor=membership.user,
            recommendation=Recommendation.objects.get(teacher=teacher, vacancy=invited),
            message="Come and meet our pupils.",
        )

    response = flat(client, reverse("matching:teacher_suggestions"), add)
    # Both invitations, then the vacancies the latest run ranked best for the teacher.
    items = response.context["invitations"] + response.context["rows"]
    assert len(response.context["invitations"]) == 2 and len(items) >= 5
    shows_all(response, [item.vacancy.title for item in items])


@pytest.mark.parametrize("name", ["matching:school_candidates", "matching:school_candidates_panel"])
def test_school_candidates(client, center_user, school_a, liaison_a, name):
    from tests.matching.factories import english_teacher
    from tests.matching.test_school_pages import english_post, push_run

    vacancy = english_post(school_a, posts=2 * N)
    client.force_login(liaison_a)

    def add(start):
        for _n in range(start, start + N):
            english_teacher()
        push_run(center_user, vacancy)

    response = flat(client, reverse(name, args=[vacancy.code]), add)
    assert len(response.context["cards"]) == 2 * N
    assert response.body_text.count('data-testid="candidate-card"') == 2 * N


def test_center_match_run_detail(client, center_user):
    from apps.matching import services as matching_services
    from tests.matching.factories import english_teacher, english_vacancy

    def run():
        started = matching_services.match_run_start(actor=center_user, queue=False)
        return matching_services.match_run_execute(run_id=started.pk)

    # An earlier finished run with a pair: each measured page compares with a run like it.
    english_teacher()
    english_vacancy()
    run()
    runs = []

    def add(start):
        for n in range(start, start + N):
            english_teacher(legal_name=f"Budget Teacher {n}")
            english_vacancy(title_en=f"Budget post {n}")
        runs.append(run())

    client.force_login(center_user)
    response = flat(client, lambda: reverse("matching:run_detail", args=[runs[-1].code]), add)
    assert response.body_text.count('data-testid="assignment-row"') == 2 * N + 1
    shows_all(response, [f"Budget Teacher {n}" for n in range(2 * N)])
    shows_all(response, [f"Budget post {n}" for n in range(2 * N)])


def test_center_pair_explain_search(client, center_user):
    from tests.matching.factories import english_teacher, english_vacancy

    client.force_login(center_user)

    def add(start):
        for n in range(start, start + N):
            english_teacher(legal_name=f"Budget Teacher {n}")
            english_vacancy(title_en=f"Budget post {n}")

    params = {"search": "1", "teacher_q": "Budget", "vacancy_q": "Budget"}
    response = flat(client, reverse("matching:pair_explain"), add, params)
    shows_all(response, [f"Budget Teacher {n}" for n in range(2 * N)])
    shows_all(response, [f"Budget post {n}" for n in range(2 * N)])


@pytest.mark.parametrize("kind", ["teacher", "vacancy"])
def test_center_pair_search_results(client, center_user, kind):
    from tests.matching.factories import english_teacher, english_vacancy

    client.force_login(center_user)

    def add(start):
        for n in range(start, start + N):
            # A teacher without a legal name yet is listed by email (Teacher.__str__).
            english_teacher(legal_name=f"Budget Teacher {n}" if n % 3 else "")
            english_vacancy(title_en=f"Budget post {n}")

    url = reverse("matching:pair_search", args=[kind])
    response = flat(
        client, url, add, {f"{kind}_q": "Budget" if kind == "vacancy" else "example.org"}
    )
    assert len(response.context["rows"]) >= 2 * N
    assert response.body_text.count('class="form-check"') == len(response.context["rows"])


# --- Statistics --------------------------------------------------------------------------------


def test_center_statistics(client, center_user):
    from apps.core.models import District
    from apps.reports.models import ReportBuild
    from tests.evaluations.factories import make_employment
    from tests.schools.factories import SchoolFactory
    from tests.teachers.factories import TeacherFactory

    districts = list(District.objects.order_by("sort_order")[: 2 * N])
    client.force_login(center_user)

    def add(start):
        for n in range(start, start + N):
            school = SchoolFactory(district=districts[n])
            make_employment(school, teacher=TeacherFactory(nationality=["GB", "US", "CA"][n % 3]))
            ReportBuild.objects.create(year=2020 + n, district=None, language="en")

    with time_machine.travel(date(2026, 6, 30), tick=False):
        response = flat(client, reverse("dashboards:statistics"), add)
    assert response.context["figures"].profile.total == 2 * N
    assert len(response.context["report_builds"]) == 5  # the latest five
    shows_all(response, [f"Annual report {2020 + n}" for n in range(N + 1, 2 * N)])


# --- Detail pages with a history: the history grows ----------------------------------------------


def _application_events(application, start: int) -> None:
    from apps.applications.models import ApplicationEvent
    from tests.schools.factories import SchoolMembershipFactory

    for n in range(start, start + N):
        ApplicationEvent.objects.create(
            application=application,
            actor=SchoolMembershipFactory(
                school=application.vacancy.school, user__full_name=f"Budget Actor {n}"
            ).user,
            from_status="submitted",
            to_status="shortlisted",
            note=f"Budget note {n}",
        )


def test_teacher_application_detail(client, school_a):
    from tests.applications.factories import ApplicationFactory, english_vacancy

    application = ApplicationFactory(vacancy=english_vacancy(school=school_a))
    client.force_login(application.teacher.user)

    response = flat(
        client,
        reverse("applications:teacher_detail", args=[application.code]),
        lambda start: _application_events(application, start),
    )
    shows_all(response, [f"Budget note {n}" for n in range(2 * N)])
    shows_all(response, [f"Budget Actor {n}" for n in range(2 * N)])


def test_school_application_detail(client, school_a, liaison_a):
    from tests.applications.factories import ApplicationFactory, english_vacancy

    application = ApplicationFactory(vacancy=english_vacancy(school=school_a))
    client.force_login(liaison_a)

    response = flat(
        client,
        reverse("applications:school_detail", args=[application.code]),
        lambda start: _application_events(application, start),
    )
    shows_all(response, [f"Budget note {n}" for n in range(2 * N)])
    shows_all(response, [f"Budget Actor {n}" for n in range(2 * N)])


def test_school_vacancy_detail(client, school_a, liaison_a):
    from apps.vacancies.models import VacancyEvent
    from tests.schools.factories import SchoolMembershipFactory
    from tests.vacancies.factories import VacancyFactory

    vacancy = VacancyFactory(school=school_a)
    client.force_login(liaison_a)

    def add(start):
        for n in range(start, start + N):
            VacancyEvent.objects.create(
                vacancy=vacancy,
                actor=SchoolMembershipFactory(
                    school=school_a, user__full_name=f"Budget Actor {n}"
                ).user,
                from_status="draft",
                to_status="submitted",
                note=f"Budget note {n}",
            )

    response = flat(client, reverse("vacancies:school_detail", args=[vacancy.code]), add)
    shows_all(response, [f"Budget note {n}" for n in range(2 * N)])


def test_school_employment_detail(client, school_a, liaison_a):
    from apps.employment.models import ChangeKind, EmploymentChange
    from tests.evaluations.factories import make_employment
    from tests.schools.factories import SchoolFactory, SchoolMembershipFactory

    # A cluster contract: the schools' shares are listed too.
    employment = make_employment(
        school_a, start=date(2026, 3, 1), members=[(SchoolFactory(), 2), (SchoolFactory(), 2)]
    )
    client.force_login(liaison_a)

    def add(start):
        for n in range(start, start + N):
            EmploymentChange.objects.create(
                employment=employment,
                kind=ChangeKind.WORK_PERMIT if n % 2 else ChangeKind.RESIDENCE_PERMIT,
                effective_on=date(2026, 3, 10) + timedelta(days=n),
                permit_number=f"BUDGET{n}",
                expires_on=date(2027, 1, 31) + timedelta(days=n),
                recorded_by=SchoolMembershipFactory(
                    school=school_a, user__full_name=f"Budget Actor {n}"
                ).user,
            )

    response = flat(client, reverse("employment:school_detail", args=[employment.code]), add)
    shows_all(response, [f"BUDGET{n}" for n in range(2 * N)])
    shows_all(response, [f"Budget Actor {n}" for n in range(2 * N)])


# --- The teacher's profile: steps that list rows -------------------------------------------------


def test_teacher_profile_experience_step(client):
    from apps.core.models import TeachingLevel
    from apps.teachers.models import Experience
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory()
    levels = list(TeachingLevel.objects.all()[:2])
    client.force_login(teacher.user)

    def add(start):
        for n in range(start, start + N):
            experience = Experience.objects.create(
                teacher=teacher,
                school=f"Budget school {n}",
                country="GB",
                started_on=date(2010 + n, 9, 1),
                ended_on=date(2011 + n, 7, 1),
            )
            experience.levels.set(levels)

    response = flat(client, reverse("teachers:profile_step", args=["experience"]), add)
    shows_all(response, [f"Budget school {n}" for n in range(2 * N)])


def test_teacher_profile_education_step(client):
    from apps.teachers.models import TeachingCertificate
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory()
    client.force_login(teacher.user)

    def add(start):
        for n in range(start, start + N):
            TeachingCertificate.objects.create(
                teacher=teacher, kind="tefl", hours=100 + n, issuing_country="GB", year=2000 + n
            )

    response = flat(client, reverse("teachers:profile_step", args=["education"]), add)
    shows_all(response, [f'value="{2000 + n}"' for n in range(2 * N)])


def test_center_school_assessment(client, after_the_deadline, center_user, school_a, liaison_a):
    from apps.employment.models import ChangeKind, EmploymentChange
    from tests.evaluations.factories import evaluation_for, make_employment

    client.force_login(center_user)

    def add(start):
        for n in range(start, start + N):
            employment = make_employment(school_a)
            EmploymentChange.objects.create(
                employment=employment,
                kind=ChangeKind.WORK_PERMIT,
                effective_on=date(2026, 3, 10),
                permit_number=f"BUDGET{n}",
                expires_on=date(2027, 1, 31),
            )
            evaluation_for(employment)

    url = reverse("evaluations:center_assess", args=["2026Q3", school_a.code])
    response = flat(client, url, add)
    totals = {indicator.code: indicator.total for indicator in response.context["indicators"]}
    assert totals["contracts"] == totals["permits"] == totals["evaluations"] == 2 * N


# --- Center staff: credit exports and "why not matched" ---------------------------------------


@pytest.mark.parametrize(
    "kind, fmt", [("commendations", "csv"), ("restrictions", "json"), ("restrictions", "csv")]
)
def test_center_credit_exports(client, center_user, kind, fmt):
    from tests.credit.factories import commendation_create, restriction_create
    from tests.schools.factories import SchoolFactory
    from tests.teachers.factories import TeacherFactory

    create = commendation_create if kind == "commendations" else restriction_create
    client.force_login(center_user)

    def add(start):
        for n in range(start, start + N):
            create(teacher=TeacherFactory(legal_name=f"Budget Teacher {n}"))
            create(school=SchoolFactory(name_en=f"Budget school {n}"))

    response = flat(client, reverse("credit:export", args=[kind, fmt]), add)
    shows_all(response, [f"Budget Teacher {n}" for n in range(2 * N)])
    shows_all(response, [f"Budget school {n}" for n in range(2 * N)])


def test_center_why_not_teacher(client, center_user):
    from apps.matching import services as matching_services
    from apps.teachers.models import Experience
    from tests.matching.factories import english_teacher, english_vacancy

    # A teacher with two years of teaching loses every post to teachers with three.
    left_out = english_teacher()
    Experience.objects.filter(teacher=left_out).update(
        started_on=timezone.localdate() - timedelta(days=800)
    )
    runs = []

    def add(start):
        for n in range(start, start + N):
            english_teacher(legal_name=f"Budget Teacher {n}")
            english_vacancy(title_en=f"Budget post {n}")
        started = matching_services.match_run_start(actor=center_user, queue=False)
        runs.append(matching_services.match_run_execute(run_id=started.pk))

    client.force_login(center_user)
    response = flat(
        client,
        lambda: reverse("matching:why_not_teacher", args=[runs[-1].code, left_out.code]),
        add,
    )
    why = response.context["why"]
    assert not why.matched and len(why.reasons) == 5  # the five best posts, each explained
    shows_all(response, [line.text for line in why.reasons])
