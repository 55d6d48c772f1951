from datetime import date, timedelta

import factory
from django.utils import timezone

from apps.applications.models import Application, ApplicationStatus, Offer, OfferStatus
from apps.core.models import Subject
from apps.vacancies.models import Housing
from tests.teachers.factories import make_eligible_teacher
from tests.vacancies.factories import VacancyFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    vacancy = factory.SubFactory(VacancyFactory)
    teacher = factory.LazyFunction(make_eligible_teacher)
    status = ApplicationStatus.SUBMITTED
    cover_letter = "I love teaching."


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.OFFERED)
    salary = 18000
    contract_start = date(2027, 2, 20)
    contract_end = date(2028, 1, 31)
    weekly_hours = 16
    housing = Housing.PROVIDED
    reply_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    status = OfferStatus.OPEN


def english_vacancy(**kwargs):
    """A published primary English vacancy the eligible factory teacher qualifies for."""
    return VacancyFactory(subjects=[Subject.objects.get(code="english")], **kwargs)


def offer_terms(**overrides) -> dict:
    return {
        "salary": 18000,
        "contract_start": date(2027, 2, 20),
        "contract_end": date(2028, 1, 31),
        "weekly_hours": 16,
        "housing": Housing.PROVIDED,
        "benefits": "",
        "reply_by": timezone.localdate() + timedelta(days=7),
    } | overrides


def accepted_application(vacancy, teacher=None) -> Application:
    """An application whose offer the teacher accepted (ready for the hire)."""
    application = ApplicationFactory(
        vacancy=vacancy,
        teacher=teacher or make_eligible_teacher(),
        status=ApplicationStatus.ACCEPTED,
    )
    OfferFactory(application=application, status=OfferStatus.ACCEPTED)
    return application
