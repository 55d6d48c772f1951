"""Center staff tune the component weights; every run uses and records the ones in force."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent, District
from apps.credit.models import TeacherStarLevel
from apps.matching import services
from apps.matching.engine import Weights
from apps.matching.models import WEIGHT_FIELDS, MatchingWeights, MatchSuggestion, RunStatus
from apps.matching.services.weights import matching_weights_update
from tests.matching.factories import XIHU, english_teacher, english_vacancy

pytestmark = pytest.mark.django_db


def _run(center_user):
    run = services.match_run_execute(
        run_id=services.match_run_start(actor=center_user, queue=False).pk
    )
    assert run.status == RunStatus.DONE, run.failure_reason
    return run


def _first_for(run, vacancy):
    return MatchSuggestion.objects.filter(run=run, vacancy=vacancy).order_by("rank")[0].teacher_id


def test_changing_a_weight_changes_the_next_runs_ranking(center_user):
    other = District.objects.exclude(code=XIHU).order_by("sort_order").first()
    vacancy = english_vacancy()
    wants_xihu = english_teacher(preferred_districts=[XIHU])
    starred = english_teacher(preferred_districts=[other.code])
    TeacherStarLevel.objects.create(teacher=starred, level=5)

    matching_weights_update(actor=center_user, district=5, star_level=0)
    by_district = _run(center_user)
    matching_weights_update(actor=center_user, district=0, star_level=5)
    by_stars = _run(center_user)

    assert _first_for(by_district, vacancy) == wants_xihu.pk
    assert _first_for(by_stars, vacancy) == starred.pk
    assert (by_district.weights["district"], by_district.weights["star_level"]) == (5, 0)
    assert (by_stars.weights["district"], by_stars.weights["star_level"]) == (0, 5)
    assert AuditEvent.objects.filter(action="matching.weights.update").count() == 2


def test_every_engine_component_has_an_editable_weight_with_the_engine_default(db):
    row = MatchingWeights.objects.get()
    assert set(WEIGHT_FIELDS) == {f.name for f in MatchingWeights._meta.fields} - {
        "id",
        "updated_at",
    }
    assert row.as_weights() == Weights()


def test_only_center_staff_change_weights_and_one_must_stay_positive(center_user, school_user):
    with pytest.raises(PermissionDenied):
        matching_weights_update(actor=school_user, district=9)
    with pytest.raises(ValidationError, match="at least one component"):
        matching_weights_update(actor=center_user, **dict.fromkeys(WEIGHT_FIELDS, 0))
    assert MatchingWeights.objects.get().as_weights() == Weights()


def test_center_staff_edit_the_weights_in_admin(client, center_user, school_user):
    from django.contrib.auth.models import Group

    client.force_login(school_user)
    assert client.get(reverse("admin:matching_matchingweights_changelist")).status_code != 200
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    changelist = client.get(reverse("admin:matching_matchingweights_changelist"))
    url = changelist["Location"]
    data = {name: getattr(MatchingWeights.objects.get(), name) for name in WEIGHT_FIELDS}

    response = client.post(url, data | {"star_level": 2.5})
    refused = client.post(url, data | {"star_level": -1})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert MatchingWeights.objects.get().star_level == 2.5
    assert refused.status_code == 200
    assert AuditEvent.objects.filter(action="matching.weights.update").count() == 1
