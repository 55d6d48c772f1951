"""The black list is checked once, by the admission standard, and said with its one message."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.applications import services
from tests.credit.factories import restriction_create


def test_the_black_list_is_said_once_by_the_admission_standard(vacancy, teacher, center_user):
    restriction_create(
        teacher=teacher, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )

    with pytest.raises(ValidationError) as caught:
        services.application_apply(actor=teacher.user, vacancy=vacancy)

    assert len(caught.value.messages) == 1
    (message,) = caught.value.messages
    assert "A credit restriction on you is in force: you cannot be matched or hired." in message
    assert message.count("credit restriction") == 1
