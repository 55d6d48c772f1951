"""Credit record life cycle under frozen time: four eyes, notice, objection, repair, expiry."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import AuditEvent
from apps.credit import services
from apps.credit.models import (
    CreditFile,
    CreditRecord,
    Grounds,
    ObjectionDecision,
    RecordKind,
    RecordStatus,
    RepairStatus,
    Severity,
)
from apps.credit.selectors import teacher_is_blacklisted, teacher_star_levels
from apps.notifications.models import Notification
from tests.credit.factories import restriction_create
from tests.teachers.factories import TeacherFactory, pdf_bytes

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
THURSDAY = datetime(2026, 6, 4, 10, 0, tzinfo=TZ)


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def _propose(actor, teacher, **overrides):
    values = {
        "kind": RecordKind.NEGATIVE,
        "severity": Severity.GENERAL,
        "grounds": Grounds.BREACH_OF_CONTRACT,
        "facts": "Left the school in March without notice, breaking the contract.",
        "determining_unit": "Xihu District Education Bureau",
        "decision_date": date(2026, 6, 1),
        "starts_on": date(2026, 6, 15),
        "evidence": [SimpleUploadedFile("letter.pdf", pdf_bytes())],
    }
    values.update(overrides)
    return services.credit_record_propose(actor=actor, teacher=teacher, **values)


def test_four_eyes_and_notice_with_a_deadline_of_five_working_days(center_user, second_center_user):
    teacher = TeacherFactory(user__language="zh-hans")
    with at(THURSDAY.date()):
        record = _propose(center_user, teacher)
        assert record.status == RecordStatus.PROPOSED
        assert record.display_until == date(2027, 6, 14)  # general: 12 months by default
        with pytest.raises(ValidationError, match="another member"):
            services.credit_record_approve(actor=center_user, record=record)
        with pytest.raises(PermissionDenied):
            services.credit_record_approve(actor=teacher.user, record=record)
        record = services.credit_record_approve(actor=second_center_user, record=record)
    assert record.status == RecordStatus.NOTIFIED
    # Thursday + 5 working days skips the weekend: Fri, Mon, Tue, Wed, Thu.
    assert record.objection_deadline == date(2026, 6, 11)
    notice = Notification.objects.get(recipient=teacher.user, kind="credit.notice")
    assert notice.language == "zh-hans"
    assert "Left the school in March" in notice.body and "2026-06-11" in notice.body
    assert not teacher_is_blacklisted(teacher, on=date(2026, 6, 20))  # not in force yet
    actions = list(
        AuditEvent.objects.filter(action__startswith="credit.record")
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [
        ("credit.record.proposed", center_user.pk),
        ("credit.record.approved", second_center_user.pk),
    ]


def test_without_objection_the_restriction_takes_effect_after_the_deadline(
    center_user, second_center_user
):
    teacher = TeacherFactory()
    with at(THURSDAY.date()):
        record = services.credit_record_approve(
            actor=second_center_user, record=_propose(center_user, teacher)
        )
    with at(date(2026, 6, 11)):
        assert services.credit_records_sweep()["activated"] == 0  # the deadline day itself
    with at(date(2026, 6, 12)):
        assert services.credit_records_sweep()["activated"] == 1
        assert services.credit_records_sweep()["activated"] == 0  # safe to run twice
    record.refresh_from_db()
    assert record.status == RecordStatus.ACTIVE
    assert teacher_is_blacklisted(teacher, on=date(2026, 6, 15))
    assert not teacher_is_blacklisted(teacher, on=date(2026, 6, 14))  # before its start


def test_an_objection_holds_the_record_until_the_center_decides(center_user, second_center_user):
    teacher = TeacherFactory()
    with at(THURSDAY.date()):
        record = services.credit_record_approve(
            actor=second_center_user, record=_propose(center_user, teacher)
        )
    other = TeacherFactory()
    with at(date(2026, 6, 11)):  # the last day to object
        with pytest.raises(PermissionDenied):
            services.objection_submit(actor=other.user, record=record, statement="Not me")
        with pytest.raises(ValidationError):
            services.objection_submit(actor=teacher.user, record=record, statement="  ")
        objection = services.objection_submit(
            actor=teacher.user,
            record=record,
            statement="I left with the school's written agreement.",
            files=[SimpleUploadedFile("agreement.pdf", pdf_bytes())],
        )
    assert objection.answer_due == date(2026, 6, 18)
    assert CreditFile.objects.filter(objection=objection).count() == 1
    with at(date(2026, 6, 20)):
        services.credit_records_sweep()
    record.refresh_from_db()
    assert record.status == RecordStatus.OBJECTION
    assert Notification.objects.filter(kind="credit.objection", recipient=center_user).exists()
    with pytest.raises(ValidationError):
        services.objection_decide(
            actor=center_user,
            objection=objection,
            decision=ObjectionDecision.RECORD_STANDS,
            reason="",
        )
    with at(date(2026, 6, 16)):
        services.objection_decide(
            actor=center_user,
            objection=objection,
            decision=ObjectionDecision.RECORD_WITHDRAWN,
            reason="The school confirmed the agreement.",
        )
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN
    assert record.delete_after == date(2031, 6, 16)
    assert not teacher_is_blacklisted(teacher, on=date(2026, 7, 1))
    assert Notification.objects.filter(kind="credit.objection_decided").count() == 1


def test_an_objection_after_the_deadline_is_refused(center_user, second_center_user):
    teacher = TeacherFactory()
    with at(THURSDAY.date()):
        record = services.credit_record_approve(
            actor=second_center_user, record=_propose(center_user, teacher)
        )
    with at(date(2026, 6, 12)), pytest.raises(ValidationError, match="deadline to object"):
        services.objection_submit(actor=teacher.user, record=record, statement="Too late")


def test_a_rejected_objection_makes_the_record_active_and_caps_stars(
    center_user, second_center_user
):
    teacher = TeacherFactory()
    with at(THURSDAY.date()):
        record = services.credit_record_approve(
            actor=second_center_user,
            record=_propose(center_user, teacher, starts_on=date(2026, 6, 4)),
        )
        objection = services.objection_submit(
            actor=teacher.user, record=record, statement="I disagree."
        )
        services.objection_decide(
            actor=second_center_user,
            objection=objection,
            decision=ObjectionDecision.RECORD_STANDS,
            reason="The contract and the school's report confirm the facts.",
        )
        record.refresh_from_db()
        assert record.status == RecordStatus.ACTIVE
        assert teacher_is_blacklisted(teacher, on=date(2026, 6, 4))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"grounds": ""}, "grounds"),
        ({"facts": "  "}, "facts"),
        ({"grounds": Grounds.OTHER, "grounds_other": ""}, "grounds_other"),
        ({"display_until": date(2026, 6, 1)}, "display_until"),  # before the start
        ({"display_until": date(2026, 7, 1)}, "display_until"),  # general: at least 3 months
        ({"display_until": date(2027, 9, 1)}, "display_until"),  # general: at most 12 months
        ({"severity": ""}, "severity"),
        ({"grounds": Grounds.OUTSTANDING_TEACHING}, "grounds"),
        ({"facts": "Absent for weeks because of a mental illness."}, "facts"),
        ({"evidence": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf at all")]}, "evidence"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_written(center_user, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _propose(center_user, TeacherFactory(), **overrides)
    assert field in caught.value.message_dict
    assert not CreditRecord.objects.exists()


def test_only_center_staff_may_propose(teacher_user):
    with pytest.raises(PermissionDenied):
        _propose(teacher_user, TeacherFactory())


def test_commendations_become_active_on_approval_and_tell_the_person(
    center_user, second_center_user
):
    teacher = TeacherFactory()
    record = services.credit_record_propose(
        actor=center_user,
        teacher=teacher,
        kind=RecordKind.COMMENDATION,
        grounds=Grounds.OUTSTANDING_TEACHING,
        facts="Best open lesson of the district in 2026.",
        determining_unit="Xihu District Education Bureau",
        decision_date=date(2026, 5, 1),
        starts_on=date(2026, 5, 1),
    )
    record = services.credit_record_approve(actor=second_center_user, record=record)
    assert record.status == RecordStatus.ACTIVE and record.severity == ""
    assert Notification.objects.filter(recipient=teacher.user, kind="credit.commendation")


def test_repair_rules_minimum_period_letter_and_never_serious(center_user):
    teacher = TeacherFactory()
    general = restriction_create(
        teacher=teacher,
        severity=Severity.GENERAL,
        starts_on=date(2026, 1, 10),
        display_until=date(2026, 12, 31),
        proposed_by=center_user,
    )
    serious = restriction_create(
        teacher=teacher, severity=Severity.SERIOUS, starts_on=date(2026, 1, 10)
    )
    letter = SimpleUploadedFile("commitment.pdf", pdf_bytes())
    with at(date(2026, 4, 9)):  # the minimum 3 months end on 9 April
        with pytest.raises(ValidationError, match="from 2026-04-10"):
            services.repair_request_submit(
                actor=teacher.user, record=general, commitment="I promise.", letter=letter
            )
    with at(date(2026, 4, 10)):
        with pytest.raises(ValidationError, match="serious"):
            services.repair_request_submit(
                actor=teacher.user, record=serious, commitment="I promise.", letter=letter
            )
        with pytest.raises(ValidationError) as caught:
            services.repair_request_submit(
                actor=teacher.user, record=general, commitment="I promise.", letter=None
            )
        assert "letter" in caught.value.message_dict
        repair = services.repair_request_submit(
            actor=teacher.user, record=general, commitment="I promise.", letter=letter
        )
        services.repair_request_decide(
            actor=center_user, repair=repair, grant=True, reason="Commitment received."
        )
    repair.refresh_from_db()
    general.refresh_from_db()
    assert repair.status == RepairStatus.GRANTED
    assert general.status == RecordStatus.REPAIRED and general.ended_on == date(2026, 4, 10)
    assert AuditEvent.objects.filter(action="credit.record.repaired").exists()


def test_the_sweeps_end_reason_is_read_in_the_readers_language(db):
    from django.utils import translation

    record = restriction_create(
        teacher=TeacherFactory(),
        severity=Severity.MINOR,
        starts_on=date(2026, 1, 1),
        display_until=date(2026, 3, 31),
    )
    # The worker runs the sweep in Chinese; an English reader still reads English.
    with at(date(2026, 4, 1)), translation.override("zh-hans"):
        assert services.credit_records_sweep()["expired"] == 1

    record.refresh_from_db()
    assert record.end_reason_text == "The display period ended."
    with translation.override("zh-hans"):
        assert record.end_reason_text == "公示期已结束。"


def test_the_daily_sweep_expires_then_deletes_five_years_after_the_end(center_user):
    teacher = TeacherFactory()
    record = restriction_create(
        teacher=teacher,
        severity=Severity.MINOR,
        starts_on=date(2026, 1, 1),
        display_until=date(2026, 3, 31),
    )
    CreditFile.objects.create(
        record=record,
        purpose="evidence",
        file="credit-files/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    with at(date(2026, 3, 31)):
        assert services.credit_records_sweep()["expired"] == 0
    with at(date(2026, 4, 1)):
        assert services.credit_records_sweep()["expired"] == 1
    record.refresh_from_db()
    assert (record.status, record.ended_on, record.delete_after) == (
        RecordStatus.EXPIRED,
        date(2026, 3, 31),
        date(2031, 3, 31),
    )
    with at(date(2031, 3, 30)):
        assert services.credit_records_sweep()["deleted"] == 0
    with at(date(2031, 3, 31)):
        assert services.credit_records_sweep()["deleted"] == 1
    assert not CreditRecord.objects.exists() and not CreditFile.objects.exists()
    deletion = AuditEvent.objects.get(action="credit.record.deleted")
    assert "facts" not in deletion.before


def test_an_active_general_restriction_caps_stars_at_two_and_a_serious_one_removes_them(
    center_user,
):
    import uuid
    from decimal import Decimal

    teacher = TeacherFactory()
    for quarter in [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)]:
        services.evaluation_result_record(
            teacher=teacher,
            source_code=uuid.uuid4(),
            quarter_start=quarter,
            law_compliance=Decimal(5),
            teaching_duties=Decimal(5),
            daily_conduct=Decimal(5),
            serious_incident=False,
        )
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 5
    general = restriction_create(
        teacher=teacher, severity=Severity.GENERAL, proposed_by=center_user
    )
    services.star_level_recompute(teacher_id=teacher.pk, reason="credit_changed")
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 2
    services.credit_record_revoke(actor=center_user, record=general, reason="Quashed on appeal.")
    assert teacher_star_levels([teacher.pk])[teacher.pk] == 5
    serious = restriction_create(teacher=teacher, severity=Severity.SERIOUS)
    services.star_level_recompute(teacher_id=teacher.pk, reason="credit_changed")
    assert teacher_star_levels([teacher.pk])[teacher.pk] is None
    assert serious.status == RecordStatus.ACTIVE
