from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.models import District
from apps.matching.loader import load_matching_data
from apps.teachers.models import TeacherStatus
from tests.credit.factories import restriction_create
from tests.matching.factories import XIHU, english_teacher, english_vacancy

pytestmark = pytest.mark.django_db


def _other_district() -> District:
    return District.objects.exclude(code=XIHU).order_by("sort_order").first()


def test_query_count_does_not_grow_with_teachers_or_vacancies(django_assert_num_queries):
    for _ in range(3):
        english_teacher()
    english_vacancy()
    load_matching_data()  # warm the cached policy settings
    with CaptureQueriesContext(connection) as small:
        data = load_matching_data()
    assert len(data.teachers) == 3 and len(data.posts) == 1
    assert len(small.captured_queries) <= 25
    for _ in range(9):
        english_teacher()
    for _ in range(5):
        english_vacancy()
    with django_assert_num_queries(len(small.captured_queries)):
        data = load_matching_data()
    assert len(data.teachers) == 12 and len(data.posts) == 6


def test_blacklisted_unverified_and_opted_out_teachers_never_load(center_user):
    kept = english_teacher()
    barred = english_teacher()
    restriction_create(
        teacher=barred, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )
    unverified = english_teacher()
    unverified.status = TeacherStatus.PENDING
    unverified.save()
    opted_out = english_teacher()
    opted_out.open_to_suggestions = False
    opted_out.save()
    ended = english_teacher()
    restriction_create(
        teacher=ended,
        reason="Old",
        starts_on=timezone.localdate() - timedelta(days=400),
        ends_on=timezone.localdate() - timedelta(days=30),
        created_by=center_user,
    )
    data = load_matching_data()
    assert sorted(data.teacher_ids.tolist()) == sorted([kept.pk, ended.pk])


def test_encoding_maps_posts_and_preferences():
    other = _other_district()
    teacher = english_teacher(preferred_districts=[XIHU])
    vacancy = english_vacancy(posts=3, filled_posts=1, accepted_categories=0b101)
    english_vacancy(status="draft")
    full = english_vacancy(posts=2, filled_posts=2)
    data = load_matching_data()
    assert data.vacancy_ids.tolist() == [vacancy.pk]
    assert full.pk not in data.vacancy_ids
    assert int(data.posts.capacity[0]) == 2
    assert int(data.posts.accepted_categories[0]) == 0b101
    assert int(data.posts.contract_start[0]) == vacancy.contract_start.toordinal()
    assert data.teacher_ids.tolist() == [teacher.pk]
    assert int(data.teachers.districts[0]) & int(data.posts.districts[0])
    # English is the native language of a British teacher, so the subject stays teachable.
    assert int(data.teachers.teachable[0]) == int(data.teachers.subjects[0]) != 0
    assert int(data.teachers.experience_years[0]) in (2, 3)
    assert other.pk not in data.post_district_ids[0]


def test_district_scope_loads_its_vacancies_and_willing_teachers():
    other = _other_district()
    anywhere = english_teacher()
    here = english_teacher(preferred_districts=[XIHU])
    elsewhere = english_teacher(preferred_districts=[other.code])
    local = english_vacancy()
    english_vacancy(district_code=other.code)
    data = load_matching_data(district=District.objects.get(code=XIHU))
    assert data.vacancy_ids.tolist() == [local.pk]
    assert sorted(data.teacher_ids.tolist()) == sorted([anywhere.pk, here.pk])
    assert elsewhere.pk not in data.teacher_ids
