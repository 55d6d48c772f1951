from datetime import date

import factory

from apps.core.models import Subject, TeachingLevel
from apps.vacancies.models import Housing, Vacancy, VacancyStatus
from tests.schools.factories import SchoolFactory


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    title_en = factory.Sequence(lambda n: f"Oral English teacher {n}")
    title = factory.SelfAttribute("title_en")
    weekly_hours = 16
    posts = 1
    contract_start = date(2027, 2, 20)
    contract_end = date(2028, 1, 31)
    salary_min = 15000
    salary_max = 20000
    housing = Housing.PROVIDED
    description_en = "Teach oral English to grades 3-6."
    description = factory.SelfAttribute("description_en")
    status = VacancyStatus.PUBLISHED

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if create:
            self.subjects.set(extracted or [Subject.objects.get(code="oral_english")])

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create:
            self.levels.set(extracted or [TeachingLevel.objects.get(code="primary")])


def vacancy_values(**overrides) -> dict:
    """Values a school would type into the vacancy form, as the services take them."""
    return {
        "title_en": "Oral English teacher",
        "title_zh_hans": "英语口语外教",
        "grades": "Grades 3–6",
        "weekly_hours": 16,
        "posts": 1,
        "contract_start": date(2027, 2, 20),
        "contract_end": date(2028, 1, 31),
        "salary_min": 15000,
        "salary_max": 20000,
        "housing": Housing.PROVIDED,
        "benefits": "",
        "min_degree": 2,
        "min_experience_years": 2,
        "certificate_required": False,
        "min_chinese_level": "none",
        "accepted_categories": 0b0111,
        "hiring_channel": "network",
        "description_en": "Teach oral English.",
        "description_zh_hans": "",
    } | overrides
