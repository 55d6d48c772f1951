"""Two assessors saving a school's first assessment at once on PostgreSQL: both succeed."""

from datetime import date

import pytest
import time_machine

from apps.evaluations.models import SchoolAssessment
from apps.evaluations.services import school_assessment_save
from tests.concurrency import run_at_once

from .factories import evaluation_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ITERATIONS = 20


@time_machine.travel(date(2026, 11, 10))
def test_two_first_assessments_at_once_leave_one_row_and_no_error(
    employment_a, center_user, admin_user
):
    round_ = evaluation_for(employment_a).round
    school = employment_a.school
    for _ in range(ITERATIONS):
        SchoolAssessment.objects.all().delete()
        results = run_at_once(
            lambda: school_assessment_save(actor=center_user, round=round_, school=school, score=3),
            lambda: school_assessment_save(actor=admin_user, round=round_, school=school, score=4),
        )
        assert all(isinstance(r, SchoolAssessment) for r in results), results
        assert SchoolAssessment.objects.get().score in (3, 4)
