import pytest

from tests.teachers.factories import TeacherFactory

from .factories import make_employment


@pytest.fixture
def teacher_x(db):
    return TeacherFactory(legal_name="Emma Clarke", user__email="emma@example.org")


@pytest.fixture
def teacher_y(db):
    return TeacherFactory(legal_name="Yusuf Young", user__email="yusuf@example.org")


@pytest.fixture
def employment_a(school_a, liaison_a, teacher_x):
    return make_employment(school_a, teacher=teacher_x)


@pytest.fixture
def employment_b(school_b, liaison_b, teacher_y):
    return make_employment(school_b, teacher=teacher_y)
