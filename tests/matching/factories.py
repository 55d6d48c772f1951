from datetime import date

from apps.core.models import District, Subject, TeachingLevel
from tests.schools.factories import SchoolFactory
from tests.teachers.factories import make_eligible_teacher
from tests.vacancies.factories import VacancyFactory

XIHU = "330106"


def english_vacancy(*, district_code: str = XIHU, **kwargs):
    """A published primary English vacancy at a school in the district."""
    school = SchoolFactory(district=District.objects.get(code=district_code))
    return VacancyFactory(
        school=school,
        subjects=[Subject.objects.get(code="english")],
        levels=[TeachingLevel.objects.get(code="primary")],
        contract_start=kwargs.pop("contract_start", date(2027, 2, 20)),
        **kwargs,
    )


def english_teacher(**kwargs):
    """A verified, admissible English teacher who opted in to suggestions."""
    districts = kwargs.pop("preferred_districts", None)
    teacher = make_eligible_teacher(**kwargs)
    if districts:
        teacher.preferred_districts.set(District.objects.filter(code__in=districts))
    return teacher
