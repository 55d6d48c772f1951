"""Each transactional test (live server, live worker, races) starts from the migrated data."""

import pytest
from django.contrib.auth.models import Group

from apps.core.models import District


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_each_transactional_test_starts_with_the_migrated_reference_data(run):
    assert District.objects.count() == 14
    assert Group.objects.filter(name="Center staff").exists()
