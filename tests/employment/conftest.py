import pytest

from tests.applications.factories import english_vacancy
from tests.teachers.factories import make_eligible_teacher


@pytest.fixture
def vacancy(school_a, liaison_a):
    return english_vacancy(school=school_a, created_by=liaison_a)


@pytest.fixture
def teacher(db):
    return make_eligible_teacher()
