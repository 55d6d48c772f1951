"""The teacher's cached dashboard and suggestions page follow every write a teacher would notice.

Each test opens a page (which caches its parts), makes one kind of change the way the portal
makes it (a service, a plain save as the admin makes it, a finished run) and opens it again.
Writes run with their after-commit callbacks, as in production.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.applications.services import application_apply
from apps.core.models import Subject
from apps.core.services import policy_settings_update
from apps.employment.services import employment_hire
from apps.matching import services
from apps.matching.caching import teacher_matching_get
from apps.teachers.models import (
    CertificateKind,
    DocumentKind,
    DocumentStatus,
    Experience,
    TeachingCertificate,
)
from apps.teachers.services import document_verify
from apps.vacancies.services import vacancy_close
from tests.applications.factories import accepted_application
from tests.applications.factories import english_vacancy as post_at
from tests.credit.factories import restriction_create
from tests.matching.factories import english_vacancy
from tests.matching.test_school_pages import english_post
from tests.matching.test_teacher_pages import world  # noqa: F401 (a fixture)
from tests.teachers.factories import add_document, make_eligible_teacher

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboards:teacher")
SUGGESTIONS = reverse("matching:teacher_suggestions")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _kinds(page: str) -> list[str]:
    """The suggestion cards' kinds in page order (invitation, recommendation, suggestion)."""
    return re.findall(r'data-kind="(\w+)"', page)


def _missing(page: str) -> list[str]:
    """The admission rules the dashboard's checklist says are missing."""
    return re.findall(r'<li class="list-group-item[^"]*" data-rule="(\w+)"', page)


@pytest.fixture
def signed_in(client, world):  # noqa: F811
    """The world's teacher, signed in, with both pages opened once (so cached)."""
    client.force_login(world["teacher"].user)
    for url in (DASHBOARD, SUGGESTIONS):
        _page(client, url)
    return world


# --- the cache is used ------------------------------------------------------------------------


def test_a_second_visit_reads_only_the_session_the_user_and_the_teacher(client, signed_in):
    for url in (DASHBOARD, SUGGESTIONS):
        with CaptureQueriesContext(connection) as queries:
            page = _page(client, url)
        # Tests keep sessions in the database; production reads them from the cache.
        assert len(queries) == 3, [q["sql"][:80] for q in queries.captured_queries]
        assert "Invited post" in page


# --- the teacher's own rows -------------------------------------------------------------------


def test_a_verified_document_leaves_the_checklist(
    client, center_user, django_capture_on_commit_callbacks
):
    teacher = make_eligible_teacher()
    teacher.documents.filter(kind=DocumentKind.HEALTH_CHECK).delete()
    pending = add_document(teacher, DocumentKind.HEALTH_CHECK, status=DocumentStatus.UPLOADED)
    client.force_login(teacher.user)
    page = _page(client, DASHBOARD)
    assert _missing(page) == ["health_check"]
    assert "waiting for the service center to verify it" in page

    # A conditional update (no post_save): the audit event it writes retires the cache.
    with django_capture_on_commit_callbacks(execute=True):
        document_verify(actor=center_user, document=pending)

    page = _page(client, DASHBOARD)
    assert _missing(page) == []
    assert 'data-testid="ready-to-match"' in page


def test_a_deleted_document_comes_back_on_the_checklist(client, signed_in):
    teacher = signed_in["teacher"]
    assert _missing(_page(client, DASHBOARD)) == []

    teacher.documents.filter(kind=DocumentKind.CRIMINAL_RECORD).delete()

    assert _missing(_page(client, DASHBOARD)) == ["criminal_record"]
    page = _page(client, SUGGESTIONS)
    assert "meet every rule of the admission standard" in page
    assert _kinds(page) == []


def test_experience_and_certificates_change_the_experience_rule(client, signed_in):
    teacher = signed_in["teacher"]
    Experience.objects.filter(teacher=teacher).delete()
    assert _missing(_page(client, DASHBOARD)) == ["experience"]

    TeachingCertificate.objects.create(teacher=teacher, kind=CertificateKind.TEFL, hours=120)

    page = _page(client, DASHBOARD)
    assert _missing(page) == []
    assert "Recognised teaching certificate" in page


def test_a_changed_subject_changes_the_native_language_rule(client, signed_in):
    teacher = signed_in["teacher"]  # British

    teacher.subjects.set(Subject.objects.filter(code="german"))

    assert _missing(_page(client, DASHBOARD)) == ["native_language"]
    assert _kinds(_page(client, SUGGESTIONS)) == []


def test_opting_out_empties_the_suggestions_page(client, signed_in):
    teacher = signed_in["teacher"]
    assert _kinds(_page(client, SUGGESTIONS)) == ["invitation", "recommendation", "suggestion"]

    teacher.open_to_suggestions = False
    teacher.save()  # a plain save, as the admin makes it

    page = _page(client, SUGGESTIONS)
    assert _kinds(page) == []
    assert "you chose not to be suggested" in page


def test_a_credit_restriction_empties_the_suggestions(client, signed_in):
    restriction_create(teacher=signed_in["teacher"], starts_on=timezone.localdate())

    page = _page(client, SUGGESTIONS)
    assert _kinds(page) == []
    assert "while a credit restriction on you is in force" in page
    assert "blacklisted" in _missing(_page(client, DASHBOARD))


# --- applications, recommendations and hiring --------------------------------------------------


def test_applying_to_a_suggested_vacancy_moves_it_to_the_applications(
    client, signed_in, django_capture_on_commit_callbacks
):
    plain = signed_in["plain"]
    with django_capture_on_commit_callbacks(execute=True):
        application_apply(actor=signed_in["teacher"].user, vacancy=plain)

    assert _kinds(_page(client, SUGGESTIONS)) == ["invitation", "recommendation"]
    page = _page(client, DASHBOARD)
    assert _kinds(page) == ["invitation", "recommendation"]
    applications = page[page.index('data-testid="my-applications"') :]
    assert "Plain post" in applications


def test_one_click_apply_takes_the_suggestion_off_the_page(client, signed_in):
    pushed = signed_in["pushed"]

    response = client.post(reverse("matching:teacher_apply", args=[pushed.code]))

    assert response.status_code == 302
    page = _page(client, SUGGESTIONS)
    assert _kinds(page) == ["invitation", "suggestion"]
    assert "Pushed post" not in page


def test_a_schools_invitation_shows_at_once(client, signed_in, liaison_b):
    recommendation = signed_in["pushed"]

    services.recommendation_invite(
        actor=liaison_b, recommendation=recommendation, message="We would like to meet you."
    )

    page = _page(client, SUGGESTIONS)
    assert _kinds(page) == ["invitation", "invitation", "suggestion"]
    assert "We would like to meet you." in page


def test_a_declined_invitation_is_no_longer_an_invitation(client, signed_in):
    invited = signed_in["invited"]

    client.post(reverse("matching:teacher_decline", args=[invited.code]))

    page = _page(client, SUGGESTIONS)
    assert "invitation" not in _kinds(page)
    assert reverse("matching:teacher_decline", args=[invited.code]) not in page


def test_being_hired_empties_the_suggestions(client, signed_in, school_a, liaison_a):
    teacher = signed_in["teacher"]

    employment_hire(
        actor=liaison_a, application=accepted_application(post_at(school=school_a), teacher)
    )

    page = _page(client, SUGGESTIONS)
    assert _kinds(page) == []
    assert "while you are employed by a school" in page
    dashboard = _page(client, DASHBOARD)
    assert 'data-testid="not-available"' in dashboard
    assert "No employment recorded yet." not in dashboard


def test_an_accepted_offer_makes_the_teacher_unavailable(client, signed_in, school_a):
    accepted_application(post_at(school=school_a), signed_in["teacher"])

    assert 'data-testid="not-available"' in _page(client, DASHBOARD)
    assert "while you hold an accepted offer" in _page(client, SUGGESTIONS)


# --- runs, vacancies, schools, policy, reference data -------------------------------------------


def test_a_new_run_replaces_the_suggestions(client, signed_in, center_user, school_b):
    english_post(school_b, title_en="Fresh post")
    assert "Fresh post" not in _page(client, SUGGESTIONS)

    run = services.match_run_start(actor=center_user, queue=False)
    services.match_run_execute(run_id=run.pk)

    assert "Fresh post" in _page(client, SUGGESTIONS)
    assert "Fresh post" in _page(client, DASHBOARD)


def test_a_vacancys_shortlist_reaches_the_teachers_it_ranks(
    client, signed_in, django_capture_on_commit_callbacks
):
    vacancy = english_vacancy(title_en="Just published")  # published, never ranked yet
    other = make_eligible_teacher(nationality="DE")  # ranked nowhere: teaches no English
    client.force_login(other.user)
    _page(client, SUGGESTIONS)
    client.force_login(signed_in["teacher"].user)
    assert "Just published" not in _page(client, SUGGESTIONS)

    # A finished shortlist of one vacancy retires the pages of the teachers it ranked only.
    with django_capture_on_commit_callbacks(execute=True):
        services.incremental_run_start(vacancy=vacancy)

    assert "Just published" in _page(client, SUGGESTIONS)
    client.force_login(other.user)
    with CaptureQueriesContext(connection) as queries:
        _page(client, SUGGESTIONS)
    assert len(queries) == 3  # still cached: the session, the user, the teacher


def test_a_closed_vacancy_disappears(
    client, signed_in, liaison_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(actor=liaison_b, vacancy=signed_in["plain"])

    page = _page(client, SUGGESTIONS)
    assert "Plain post" not in page
    assert _kinds(page) == ["invitation", "recommendation"]


def test_a_renamed_school_shows_its_new_name(client, signed_in, school_b):
    school_b.name_en = "Renamed Primary School"
    school_b.save()

    assert "Renamed Primary School" in _page(client, SUGGESTIONS)
    assert "Renamed Primary School" in _page(client, DASHBOARD)


def test_a_lower_age_limit_reaches_the_checklist(
    client, signed_in, center_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        policy_settings_update(actor=center_user, age_limit=30)  # the teacher was born in 1990

    assert _missing(_page(client, DASHBOARD)) == ["age"]
    assert _kinds(_page(client, SUGGESTIONS)) == []


def test_an_edited_subject_name_reaches_the_dashboard(
    client, admin_client, django_capture_on_commit_callbacks
):
    teacher = make_eligible_teacher(nationality="DE")  # a German teacher of English
    client.force_login(teacher.user)
    assert "English" in _page(client, DASHBOARD)
    english = Subject.objects.get(code="english")

    change = reverse("admin:core_subject_change", args=[english.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change, data | {"name_en": "Spoken English"})

    assert "Spoken English" in _page(client, DASHBOARD)


def test_the_admission_result_is_kept_per_day(world):  # noqa: F811
    teacher = world["teacher"]
    passport = teacher.documents.get(kind=DocumentKind.PASSPORT)
    today = timezone.localdate()
    passport.expires_on = today + timedelta(days=1)
    passport.save()

    assert teacher_matching_get(teacher=teacher, on=today).admission.eligible
    tomorrow = teacher_matching_get(teacher=teacher, on=today + timedelta(days=1))
    assert tomorrow.admission.failed_codes == ["passport_valid"]
    assert tomorrow.suggestions == []


# --- one teacher never sees another's --------------------------------------------------------


def test_a_teacher_never_sees_another_teachers_cached_pages(client, signed_in):
    other = make_eligible_teacher(nationality="DE")
    client.force_login(other.user)

    page = _page(client, SUGGESTIONS)
    assert _kinds(page) == []
    assert "Invited post" not in page
    dashboard = _page(client, DASHBOARD)
    assert _missing(dashboard) == ["native_language"]
    assert "Invited post" not in dashboard

    client.force_login(signed_in["teacher"].user)
    assert _missing(_page(client, DASHBOARD)) == []
    assert "Invited post" in _page(client, SUGGESTIONS)


def test_each_language_gets_its_own_copy(client, signed_in):
    code = signed_in["pushed"].code
    with translation.override("zh-hans"):
        url, apply = (
            reverse("matching:teacher_suggestions"),
            reverse("matching:teacher_apply", args=[code]),
        )
    assert (url, apply) != (SUGGESTIONS, reverse("matching:teacher_apply", args=[code]))

    page = _page(client, url)

    # The component labels and the links are the Chinese page's, not the cached English ones.
    assert "Subjects" not in page
    assert f'action="{apply}"' in page
