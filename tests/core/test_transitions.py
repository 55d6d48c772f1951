import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.models import AuditEvent
from apps.core.transitions import transition
from apps.vacancies.models import Vacancy, VacancyStatus
from tests.vacancies.factories import VacancyFactory

S = VacancyStatus
MAP = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.PUBLISHED, S.DRAFT},
    S.PUBLISHED: {S.CLOSED},
    S.CLOSED: set(),
}


def test_transition_moves_writes_extra_columns_and_audits(center_user):
    vacancy = VacancyFactory(status=S.SUBMITTED)
    published_at = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)

    returned = transition(
        vacancy,
        S.PUBLISHED,
        actor=center_user,
        transitions=MAP,
        reason="looks right",
        extra={"published_at": published_at},
        audit_fields=["published_at"],
    )

    assert returned is vacancy
    assert vacancy.status == S.PUBLISHED
    stored = Vacancy.objects.get(pk=vacancy.pk)
    assert (stored.status, stored.published_at) == (S.PUBLISHED, published_at)
    event = AuditEvent.objects.get(target_id=str(vacancy.pk))
    assert event.action == "vacancies.vacancy.published"
    assert event.actor == center_user
    assert event.reason == "looks right"
    assert event.before == {"status": "submitted", "published_at": None}
    assert event.after == {"status": "published", "published_at": str(published_at)}


def test_transition_uses_the_given_action_and_touches_auto_now_columns(center_user):
    vacancy = VacancyFactory(status=S.DRAFT)
    Vacancy.objects.filter(pk=vacancy.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    transition(vacancy, S.SUBMITTED, actor=center_user, transitions=MAP, action="vacancy.x")

    assert AuditEvent.objects.filter(action="vacancy.x").count() == 1
    assert Vacancy.objects.get(pk=vacancy.pk).updated_at.year > 2020


def test_a_move_the_map_forbids_names_both_states_in_the_readers_language(center_user):
    vacancy = VacancyFactory(status=S.PUBLISHED)

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        transition(vacancy, S.DRAFT, actor=center_user, transitions=MAP)

    assert caught.value.messages == ["This vacancy is “Published” and cannot become “Draft”."]
    assert Vacancy.objects.get(pk=vacancy.pk).status == S.PUBLISHED
    assert not AuditEvent.objects.exists()


def test_a_row_moved_by_someone_else_is_not_overwritten(center_user):
    vacancy = VacancyFactory(status=S.SUBMITTED)
    # Another request publishes the vacancy after this one read it.
    Vacancy.objects.filter(pk=vacancy.pk).update(status=S.PUBLISHED)

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        transition(vacancy, S.DRAFT, actor=center_user, transitions=MAP)

    assert "changed meanwhile" in caught.value.messages[0]
    assert Vacancy.objects.get(pk=vacancy.pk).status == S.PUBLISHED
    assert not AuditEvent.objects.exists()


def test_the_forbidden_move_message_is_translated(center_user):
    vacancy = VacancyFactory(status=S.CLOSED)

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        transition(vacancy, S.PUBLISHED, actor=center_user, transitions=MAP)

    assert "cannot become" not in caught.value.messages[0]
