from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.employment.models import ChangeKind, EmploymentChange, ExchangeVisit
from apps.evaluations.models import SchoolAssessment
from apps.evaluations.selectors.indicators import school_indicators
from apps.evaluations.services import school_assessment_save
from tests.schools.factories import PartnerSchoolFactory, SchoolFactory

from .factories import evaluation_for, make_employment, open_round, submitted

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _change(employment, kind, on, *, recorded=None, **extra):
    change = EmploymentChange.objects.create(
        employment=employment, kind=kind, effective_on=on, **extra
    )
    recorded = recorded or on + timedelta(days=1)
    EmploymentChange.objects.filter(pk=change.pk).update(
        recorded_at=datetime.combine(recorded, datetime.min.time(), SHANGHAI)
    )
    return change


def _indicators(round_, school, today=date(2026, 11, 10)):
    return {
        i.code: i for i in school_indicators(round=round_, schools=[school], today=today)[school.pk]
    }


def test_indicators_follow_the_register(employment_a, liaison_a):
    school = employment_a.school
    evaluation = evaluation_for(employment_a)
    round_ = evaluation.round
    items = _indicators(round_, school)
    assert items["contracts"].ok and items["hours"].ok and items["liaison"].ok
    assert items["permits"].ok is False  # arrived long ago, no permits recorded
    assert items["changes"].ok is None and items["visits"].ok is None
    assert items["evaluations"].ok is False  # deadline passed, still open

    _change(employment_a, ChangeKind.ARRIVAL, date(2026, 2, 20))
    _change(employment_a, ChangeKind.WORK_PERMIT, date(2026, 3, 5), expires_on=date(2027, 3, 1))
    _change(
        employment_a,
        ChangeKind.RESIDENCE_PERMIT,
        date(2026, 3, 15),
        expires_on=date(2026, 9, 1),  # runs out before the quarter ends
    )
    _change(
        employment_a, ChangeKind.TEACHING_PLAN_FILED, date(2026, 8, 1), recorded=date(2026, 8, 20)
    )
    partner = PartnerSchoolFactory(school=school)
    ExchangeVisit.objects.create(
        school=school,
        partner_school=partner,
        visitor_name="Ann Visitor",
        nationality="GB",
        passport_number="E1234567",
        arrival=date(2026, 8, 10),
        departure=date(2026, 9, 10),
        purpose="Exchange",
    )
    items = _indicators(round_, school)
    assert items["permits"].ok is False
    assert (items["changes"].passed, items["changes"].total) == (0, 1)
    assert items["visits"].ok is False  # registered now, after the August arrival
    ExchangeVisit.objects.update(created_at=datetime(2026, 7, 5, 9, tzinfo=SHANGHAI))
    assert _indicators(round_, school)["visits"].ok

    _change(
        employment_a, ChangeKind.RESIDENCE_PERMIT, date(2026, 8, 25), expires_on=date(2027, 3, 1)
    )
    with time_machine.travel(datetime(2026, 10, 15, 10, tzinfo=SHANGHAI)):
        submitted(evaluation, liaison_a)
    items = _indicators(round_, school, today=date(2026, 10, 20))
    assert items["permits"].ok
    assert items["evaluations"].ok  # submitted before the deadline


def test_a_cluster_contract_over_its_hours_fails_the_hours_indicator(school_a):
    member = SchoolFactory()
    employment = make_employment(school_a, members=[(member, 6)])
    employment.weekly_hours = 18  # 16 + 6 = 22 hours shared out
    employment.save()
    round_ = open_round()
    assert _indicators(round_, member)["hours"].ok is False


def test_the_center_assesses_and_only_that_school_sees_the_result(
    client, employment_a, employment_b, liaison_a, liaison_b, center_user
):
    round_ = evaluation_for(employment_a).round
    school = employment_a.school
    with pytest.raises(PermissionDenied):
        school_assessment_save(actor=liaison_a, round=round_, school=school, score=5)
    with pytest.raises(ValidationError, match="employed no foreign teacher"):
        school_assessment_save(actor=center_user, round=round_, school=SchoolFactory(), score=3)

    client.force_login(center_user)
    url = reverse("evaluations:center_assess", args=[round_.quarter, school.code])
    response = client.post(url, {"score": 7, "comment": "Keep my words"})
    assert response.status_code == 400
    assert "Keep my words" in response.content.decode()
    assert client.post(url, {"score": 4, "comment": "Well organised"}).status_code == 302
    assessment = SchoolAssessment.objects.get()
    assert assessment.indicators["liaison"]["ok"] is True
    assert AuditEvent.objects.filter(action="evaluations.assessment.saved").exists()
    assert client.post(url, {"score": 5, "comment": "Even better"}).status_code == 302
    assert SchoolAssessment.objects.get().score == 5

    client.force_login(liaison_a)
    assert "Even better" in client.get(reverse("evaluations:school_results")).content.decode()
    client.force_login(liaison_b)
    assert "Even better" not in client.get(reverse("evaluations:school_results")).content.decode()
