import pytest

from apps.teachers.models import Teacher


@pytest.fixture
def teacher(teacher_user):
    """The signed-up teacher's (empty) profile."""
    return Teacher.objects.create(user=teacher_user, legal_name="Emma Clarke")
