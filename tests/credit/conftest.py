import pytest

from tests.accounts.factories import CenterStaffUserFactory


@pytest.fixture
def second_center_user(db):
    """Another member of the center: the second pair of eyes."""
    return CenterStaffUserFactory(email="center2@example.org", full_name="Zhao Min")
