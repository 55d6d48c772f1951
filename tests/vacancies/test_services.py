from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditEvent, Subject, TeachingLevel
from apps.core.services import policy_settings_update
from apps.notifications.models import Notification
from apps.schools.models import SchoolGroupMember, VerificationStatus
from apps.vacancies import services
from apps.vacancies.models import Vacancy, VacancyEvent, VacancyStatus
from apps.vacancies.services import ClusterShare
from apps.vacancies.services.vacancies import _transition
from apps.vacancies.signals import vacancy_published
from tests.credit.factories import restriction_create
from tests.schools.factories import SchoolFactory, SchoolGroupFactory, SchoolMembershipFactory
from tests.vacancies.factories import VacancyFactory, vacancy_values

S = VacancyStatus


def _create(actor, school, **overrides):
    return services.vacancy_create(
        actor=actor,
        school=school,
        values=vacancy_values(**overrides),
        subjects=[Subject.objects.get(code="oral_english")],
        levels=[TeachingLevel.objects.get(code="primary")],
    )


def test_a_verified_school_creates_a_draft(liaison_a, school_a):
    vacancy = _create(liaison_a, school_a)

    assert vacancy.status == S.DRAFT
    assert vacancy.title == "Oral English teacher"
    assert vacancy.accepted_category_values == [1, 2, 3]
    assert AuditEvent.objects.filter(action="vacancy.create", actor=liaison_a).exists()


def test_an_unverified_school_cannot_post(liaison_a, school_a):
    school_a.verification_status = VerificationStatus.PENDING
    school_a.save()

    with pytest.raises(ValidationError, match="verified"):
        _create(liaison_a, school_a)
    assert not Vacancy.objects.exists()


def test_a_blacklisted_school_cannot_post(liaison_a, school_a, center_user):
    restriction_create(school=school_a, reason="illegal employment", starts_on=date(2020, 1, 1))

    with pytest.raises(ValidationError, match="credit restriction"):
        _create(liaison_a, school_a)


def test_staff_of_another_school_cannot_post_for_it(liaison_b, school_a):
    with pytest.raises(PermissionDenied):
        _create(liaison_b, school_a)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contract_end": date(2027, 1, 1)}, "end after it starts"),
        ({"salary_min": 25000}, "cannot be below the minimum"),
        ({"weekly_hours": 0}, "greater than or equal to 1"),
        ({"posts": 0}, "greater than or equal to 1"),
        ({"accepted_categories": 0}, "at least one teacher category"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(liaison_a, school_a, overrides, message):
    with pytest.raises(ValidationError, match=message):
        _create(liaison_a, school_a, **overrides)

    assert not Vacancy.objects.exists()


ALL = list(S)


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
def test_the_state_machine_allows_exactly_the_declared_transitions(center_user, source, target):
    vacancy = VacancyFactory(status=source)

    if target in Vacancy.TRANSITIONS[source]:
        _transition(vacancy, target, actor=center_user)
        vacancy.refresh_from_db()
        assert vacancy.status == target
        assert VacancyEvent.objects.get(vacancy=vacancy).to_status == target
    else:
        with pytest.raises(ValidationError):
            _transition(vacancy, target, actor=center_user)
        vacancy.refresh_from_db()
        assert vacancy.status == source


def test_submit_approve_publishes_notifies_and_announces(
    liaison_a, school_a, center_user, django_capture_on_commit_callbacks
):
    vacancy = _create(liaison_a, school_a)
    services.vacancy_submit(actor=liaison_a, vacancy=vacancy)
    announced = []
    vacancy_published.connect(lambda **kw: announced.append(kw["vacancy_id"]), weak=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_approve(actor=center_user, vacancy=vacancy)

    vacancy.refresh_from_db()
    assert vacancy.status == S.PUBLISHED and vacancy.published_at
    assert announced == [vacancy.pk]
    note = Notification.objects.get(recipient=liaison_a, kind="vacancy.published")
    # The school reads the vacancy's Chinese title, whoever approved it in which language.
    assert note.title == f"岗位已发布：{vacancy.title_zh_hans}"
    assert vacancy.title_zh_hans and vacancy.title_zh_hans != vacancy.title_en
    assert len(mail.outbox) == 1


def test_only_center_staff_approve(liaison_a, school_a):
    vacancy = _create(liaison_a, school_a)
    services.vacancy_submit(actor=liaison_a, vacancy=vacancy)

    with pytest.raises(PermissionDenied):
        services.vacancy_approve(actor=liaison_a, vacancy=vacancy)


def test_send_back_needs_a_reason_and_tells_the_school(liaison_a, school_a, center_user):
    vacancy = _create(liaison_a, school_a)
    services.vacancy_submit(actor=liaison_a, vacancy=vacancy)

    with pytest.raises(ValidationError):
        services.vacancy_send_back(actor=center_user, vacancy=vacancy, reason="  ")
    services.vacancy_send_back(actor=center_user, vacancy=vacancy, reason="Salary is too low.")

    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.return_reason) == (S.DRAFT, "Salary is too low.")
    body = Notification.objects.get(recipient=liaison_a, kind="vacancy.sent_back").body
    assert "Salary is too low." in body


def test_key_change_on_a_published_vacancy_needs_approval_again(liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status=S.PUBLISHED)

    services.vacancy_update(
        actor=liaison_a,
        vacancy=vacancy,
        values=vacancy_values(salary_max=22000),
        subjects=vacancy.subjects.all(),
        levels=vacancy.levels.all(),
    )

    vacancy.refresh_from_db()
    assert vacancy.status == S.SUBMITTED


def test_wording_change_keeps_a_published_vacancy_published(liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status=S.PUBLISHED)
    values = {
        name: getattr(vacancy, name)
        for name in (
            "weekly_hours",
            "posts",
            "contract_start",
            "contract_end",
            "salary_min",
            "salary_max",
        )
    }

    services.vacancy_update(
        actor=liaison_a,
        vacancy=vacancy,
        values=vacancy_values(**values, description_en="Friendlier words."),
        subjects=vacancy.subjects.all(),
        levels=vacancy.levels.all(),
    )

    vacancy.refresh_from_db()
    assert vacancy.status == S.PUBLISHED
    assert vacancy.description == "Friendlier words."


def test_copy_starts_a_fresh_draft(liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status=S.CLOSED)

    copy = services.vacancy_copy(actor=liaison_a, vacancy=vacancy)

    assert copy.pk != vacancy.pk and copy.code != vacancy.code
    assert copy.status == S.DRAFT
    assert list(copy.subjects.all()) == list(vacancy.subjects.all())


def test_expiry_is_safe_to_run_twice(center_user):
    past = VacancyFactory(contract_start=date(2026, 11, 1), contract_end=date(2027, 7, 1))
    future = VacancyFactory(contract_start=date(2027, 3, 1))
    draft = VacancyFactory(
        status=S.DRAFT, contract_start=date(2026, 11, 1), contract_end=date(2027, 7, 1)
    )

    assert services.vacancies_expire(today=date(2026, 11, 21)) == 1
    assert services.vacancies_expire(today=date(2026, 11, 21)) == 0

    statuses = {v.pk: v.status for v in Vacancy.objects.all()}
    assert statuses == {past.pk: S.EXPIRED, future.pk: S.PUBLISHED, draft.pk: S.DRAFT}


# --- cluster vacancies -------------------------------------------------------------------


@pytest.fixture
def cluster(school_a):
    group = SchoolGroupFactory(lead_school=school_a)
    for school in SchoolFactory.create_batch(2):
        SchoolGroupMember.objects.create(group=group, school=school)
    return group


def _cluster_create(liaison, school, cluster, shares, **overrides):
    return services.vacancy_create(
        actor=liaison,
        school=school,
        values=vacancy_values(**overrides),
        subjects=[Subject.objects.get(code="oral_english")],
        levels=[TeachingLevel.objects.get(code="primary")],
        cluster=cluster,
        shares=shares,
    )


def test_a_lead_school_posts_one_cluster_post_with_hours_per_school(liaison_a, school_a, cluster):
    members = [m.school for m in cluster.members.all()]
    shares = [ClusterShare(school_a, 8), ClusterShare(members[0], 4), ClusterShare(members[1], 4)]

    vacancy = _cluster_create(liaison_a, school_a, cluster, shares, posts=3)

    assert vacancy.is_cluster and vacancy.posts == 1
    assert sorted(vacancy.cluster_schools.values_list("weekly_hours", flat=True)) == [4, 4, 8]


def test_a_restricted_member_school_closes_the_lead_schools_cluster_post(
    liaison_a, school_a, cluster
):
    from django.utils import timezone

    members = [m.school for m in cluster.members.all()]
    shares = [ClusterShare(school_a, 8), ClusterShare(members[0], 4), ClusterShare(members[1], 4)]
    vacancy = _cluster_create(liaison_a, school_a, cluster, shares)
    ordinary = VacancyFactory(school=school_a, status=S.PUBLISHED)
    restriction_create(school=members[0], starts_on=timezone.localdate())

    assert services.vacancies_close_for_restricted_school(school_id=members[0].pk) == 1

    vacancy.refresh_from_db()
    ordinary.refresh_from_db()
    assert (vacancy.status, ordinary.status) == (S.CLOSED, S.PUBLISHED)
    assert members[0].name in vacancy.events.latest("pk").note_text
    told = Notification.objects.filter(recipient=liaison_a, kind="vacancy").latest("pk")
    assert members[0].name in told.body


def test_a_cluster_post_cannot_name_a_restricted_member(liaison_a, school_a, cluster):
    from django.utils import timezone

    members = [m.school for m in cluster.members.all()]
    restriction_create(school=members[0], starts_on=timezone.localdate())

    with pytest.raises(ValidationError, match="credit restriction and cannot hire"):
        _cluster_create(
            liaison_a, school_a, cluster, [ClusterShare(school_a, 8), ClusterShare(members[0], 8)]
        )


@pytest.mark.parametrize(
    ("make_shares", "message"),
    [
        (
            lambda lead, members, outsider: [ClusterShare(lead, 8), ClusterShare(members[0], 4)],
            "add up to 12",
        ),
        (
            lambda lead, members, outsider: [ClusterShare(lead, 8), ClusterShare(outsider, 8)],
            "not a member",
        ),
        (
            lambda lead, members, outsider: [
                ClusterShare(members[0], 8),
                ClusterShare(members[1], 8),
            ],
            "lead school its weekly hours",
        ),
        (lambda lead, members, outsider: [ClusterShare(lead, 16)], "at least one member school"),
    ],
)
def test_bad_cluster_splits_are_refused(
    liaison_a, school_a, school_b, cluster, make_shares, message
):
    members = [m.school for m in cluster.members.all()]

    with pytest.raises(ValidationError, match=message):
        _cluster_create(liaison_a, school_a, cluster, make_shares(school_a, members, school_b))
    assert not Vacancy.objects.exists()


def test_one_member_too_many_is_refused(liaison_a, school_a, cluster, center_user):
    # The cluster was formed under a larger limit; the vacancy obeys today's policy.
    policy_settings_update(actor=center_user, max_cluster_members=1)
    members = [m.school for m in cluster.members.all()]
    shares = [ClusterShare(school_a, 8), ClusterShare(members[0], 4), ClusterShare(members[1], 4)]

    with pytest.raises(ValidationError, match="at most 1 member"):
        _cluster_create(liaison_a, school_a, cluster, shares)


def test_only_the_lead_school_posts_for_its_cluster(cluster):
    member = cluster.members.first().school
    member_staff = SchoolMembershipFactory(school=member, is_liaison=True).user

    with pytest.raises(ValidationError, match="lead school"):
        _cluster_create(member_staff, member, cluster, [ClusterShare(member, 16)])


def test_a_school_working_in_chinese_keeps_both_titles(liaison_a, school_a):
    from django.utils import translation

    with translation.override("zh-hans"):
        vacancy = _create(liaison_a, school_a, title_en="Oral English", title_zh_hans="英语口语")

    vacancy.refresh_from_db()
    assert (vacancy.title_en, vacancy.title_zh_hans) == ("Oral English", "英语口语")
    with translation.override("en"):
        assert vacancy.title == "Oral English"


def test_the_nightly_expiry_task_uses_shanghai_today(db):
    import time_machine

    from apps.vacancies.tasks import expire_vacancies

    vacancy = VacancyFactory(contract_start=date(2027, 2, 20), contract_end=date(2028, 1, 31))

    # 16:30 UTC on 20 Feb is 00:30 on 21 Feb in Hangzhou: the start has passed there.
    with time_machine.travel("2027-02-20T15:30:00+00:00", tick=False):
        assert expire_vacancies.apply().get() == 0
    with time_machine.travel("2027-02-20T16:30:00+00:00", tick=False):
        assert expire_vacancies.apply().get() == 1

    vacancy.refresh_from_db()
    assert vacancy.status == S.EXPIRED


def test_copy_keeps_the_cluster_split(liaison_a, school_a, cluster):
    members = [m.school for m in cluster.members.all()]
    shares = [services.ClusterShare(school_a, 8)] + [services.ClusterShare(s, 4) for s in members]
    vacancy = _cluster_create(liaison_a, school_a, cluster, shares)

    copy = services.vacancy_copy(actor=liaison_a, vacancy=vacancy)

    assert copy.cluster == cluster and copy.status == S.DRAFT
    assert sorted(copy.cluster_schools.values_list("school_id", "weekly_hours")) == sorted(
        vacancy.cluster_schools.values_list("school_id", "weekly_hours")
    )
    assert list(copy.levels.all()) == list(vacancy.levels.all())


def test_copying_a_cluster_vacancy_whose_member_left_is_refused(liaison_a, school_a, cluster):
    members = [m.school for m in cluster.members.all()]
    shares = [services.ClusterShare(school_a, 8)] + [services.ClusterShare(s, 4) for s in members]
    vacancy = _cluster_create(liaison_a, school_a, cluster, shares)
    SchoolGroupMember.objects.filter(group=cluster, school=members[0]).delete()
    before = Vacancy.objects.count()

    with pytest.raises(ValidationError, match="not a member of this cluster"):
        services.vacancy_copy(actor=liaison_a, vacancy=vacancy)
    assert Vacancy.objects.count() == before
