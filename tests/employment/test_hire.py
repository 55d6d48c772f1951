import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from apps.applications.models import Application, ApplicationStatus, RejectionReason
from apps.employment import services
from apps.employment.models import Employment, EmploymentSchool, EmploymentStatus, PaymentMethod
from apps.notifications.models import Notification
from apps.schools.models import SchoolGroupMember
from apps.vacancies.models import HiringChannel, VacancySchool, VacancyStatus
from tests.applications.factories import ApplicationFactory, accepted_application, english_vacancy
from tests.schools.factories import SchoolFactory, SchoolGroupFactory
from tests.teachers.factories import make_eligible_teacher

S = ApplicationStatus


def test_hire_creates_the_employment_with_the_offer_terms(vacancy, liaison_a):
    application = accepted_application(vacancy)
    other = ApplicationFactory(vacancy=vacancy)

    employment = services.employment_hire(actor=liaison_a, application=application)

    assert (employment.teacher, employment.school, employment.salary) == (
        application.teacher,
        vacancy.school,
        18000,
    )
    assert employment.contract_end == application.offer.contract_end
    assert list(employment.schools.values_list("school", "weekly_hours", "is_lead")) == [
        (vacancy.school_id, 16, True)
    ]
    vacancy.refresh_from_db()
    application.refresh_from_db()
    other.refresh_from_db()
    assert (vacancy.filled_posts, vacancy.status) == (1, VacancyStatus.FILLED)
    assert application.status == S.HIRED
    assert (other.status, other.rejection_reason) == (S.REJECTED, RejectionReason.POST_FILLED)
    assert Notification.objects.filter(recipient=other.teacher.user).exists()


def test_a_vacancy_with_posts_left_stays_open(school_a, liaison_a):
    vacancy = english_vacancy(school=school_a, posts=2)

    services.employment_hire(actor=liaison_a, application=accepted_application(vacancy))

    vacancy.refresh_from_db()
    assert (vacancy.filled_posts, vacancy.status) == (1, VacancyStatus.PUBLISHED)


def test_a_teacher_already_employed_cannot_be_hired_again(school_a, liaison_a, school_b, liaison_b):
    teacher = make_eligible_teacher()
    services.employment_hire(
        actor=liaison_a, application=accepted_application(english_vacancy(school=school_a), teacher)
    )
    second = ApplicationFactory(
        vacancy=english_vacancy(school=school_b), teacher=teacher, status=S.ACCEPTED
    )
    from tests.applications.factories import OfferFactory

    OfferFactory(application=second, status="accepted")

    with pytest.raises(ValidationError, match="already employed"):
        services.employment_hire(actor=liaison_b, application=second)
    assert Employment.objects.count() == 1
    second.refresh_from_db()
    assert second.status == S.ACCEPTED


def test_hiring_twice_is_refused_clearly(vacancy, liaison_a):
    application = accepted_application(vacancy)
    services.employment_hire(actor=liaison_a, application=application)

    with pytest.raises(ValidationError, match="already confirmed"):
        services.employment_hire(actor=liaison_a, application=application)


def test_another_school_cannot_hire(vacancy, liaison_b):
    with pytest.raises(PermissionDenied):
        services.employment_hire(actor=liaison_b, application=accepted_application(vacancy))


def test_agency_hire_needs_a_payment_method_and_agency(vacancy, liaison_a):
    application = accepted_application(vacancy)

    with pytest.raises(ValidationError):
        services.employment_hire(
            actor=liaison_a, application=application, hiring_channel=HiringChannel.AGENCY
        )
    employment = services.employment_hire(
        actor=liaison_a,
        application=application,
        hiring_channel=HiringChannel.AGENCY,
        payment_method=PaymentMethod.PROCUREMENT,
        agency_name="Hangzhou Talent Co.",
    )
    assert employment.payment_method == PaymentMethod.PROCUREMENT


def test_cluster_hire_signs_every_school_with_its_hours(school_a, liaison_a):
    member = SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=school_a)
    SchoolGroupMember.objects.create(group=cluster, school=member)
    vacancy = english_vacancy(school=school_a, cluster=cluster)
    VacancySchool.objects.create(vacancy=vacancy, school=school_a, weekly_hours=10)
    VacancySchool.objects.create(vacancy=vacancy, school=member, weekly_hours=6)

    employment = services.employment_hire(
        actor=liaison_a, application=accepted_application(vacancy)
    )

    assert employment.cluster == cluster
    rows = set(employment.schools.values_list("school", "weekly_hours", "is_lead"))
    assert rows == {(school_a.pk, 10, True), (member.pk, 6, False)}


def test_a_cluster_post_is_not_filled_while_a_member_school_is_restricted(school_a, liaison_a):
    from django.utils import timezone

    from tests.credit.factories import restriction_create

    member = SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=school_a)
    SchoolGroupMember.objects.create(group=cluster, school=member)
    vacancy = english_vacancy(school=school_a, cluster=cluster)
    VacancySchool.objects.create(vacancy=vacancy, school=school_a, weekly_hours=10)
    VacancySchool.objects.create(vacancy=vacancy, school=member, weekly_hours=6)
    application = accepted_application(vacancy)
    restriction_create(school=member, starts_on=timezone.localdate())

    with pytest.raises(ValidationError, match="school of this cluster post"):
        services.employment_hire(actor=liaison_a, application=application)
    assert not Employment.objects.exists()


def test_partial_unique_constraints_hold_in_the_database(vacancy, liaison_a):
    application = accepted_application(vacancy)
    employment = services.employment_hire(actor=liaison_a, application=application)

    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(
            teacher=employment.teacher,
            school=employment.school,
            salary=1,
            contract_start=employment.contract_start,
            contract_end=employment.contract_end,
            weekly_hours=1,
            housing="none",
            hiring_channel="self",
        )
    # An ended employment no longer blocks a new one.
    Employment.objects.filter(pk=employment.pk).update(
        status=EmploymentStatus.ENDED, ended_on=employment.contract_start
    )
    Employment.objects.create(
        teacher=employment.teacher,
        school=employment.school,
        salary=1,
        contract_start=employment.contract_start,
        contract_end=employment.contract_end,
        weekly_hours=1,
        housing="none",
        hiring_channel="self",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentSchool.objects.create(
            employment=employment, school=SchoolFactory(), weekly_hours=1, is_lead=True
        )
    teacher = make_eligible_teacher()
    ApplicationFactory(teacher=teacher, status=S.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(teacher=teacher, vacancy=english_vacancy(), status=S.ACCEPTED)


def test_a_hire_is_announced_once_committed(vacancy, liaison_a, django_capture_on_commit_callbacks):
    from apps.employment.signals import employment_changed

    heard = []

    def listener(sender, *, employment_id, **kwargs):
        heard.append(employment_id)

    employment_changed.connect(listener, dispatch_uid="test-listener")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            employment = services.employment_hire(
                actor=liaison_a, application=accepted_application(vacancy)
            )
            assert heard == []  # not before the commit
    finally:
        employment_changed.disconnect(dispatch_uid="test-listener")

    assert heard == [employment.pk]
