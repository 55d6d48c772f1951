from datetime import date

import pytest
import time_machine
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.evaluations.models import Rubric, RubricLevel, SchoolAssessment
from apps.notifications.models import Notification

from .factories import evaluation_for, submitted


@pytest.fixture
def admin_client(client, center_user):
    """Center staff with the group the accounts service gives them (permissions by migration)."""
    from django.contrib.auth.models import Group

    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    return client


@time_machine.travel(date(2026, 11, 10))
def test_every_changelist_filters_and_searches(admin_client, employment_a, liaison_a):
    submitted(evaluation_for(employment_a), liaison_a)
    for model, params in [
        ("evaluationround", {"q": "2026"}),
        ("evaluation", {"round__id__exact": "1", "status__exact": "submitted", "q": "Emma"}),
        ("schoolassessment", {"q": "Xihu"}),
        ("rubric", {}),
        ("surveyquestion", {"direction__exact": "teacher_school"}),
        ("surveyresponse", {"direction__exact": "school_teacher"}),
    ]:
        response = admin_client.get(reverse(f"admin:evaluations_{model}_changelist"), params)
        assert response.status_code == 200, model


@time_machine.travel(date(2026, 11, 10))
def test_the_bulk_reminder_calls_the_service(admin_client, employment_a, employment_b, liaison_a):
    open_one = evaluation_for(employment_b)
    done = submitted(evaluation_for(employment_a), liaison_a)
    response = admin_client.post(
        reverse("admin:evaluations_evaluation_changelist"),
        {"action": "remind", "_selected_action": [open_one.pk, done.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "已发送 1 条提醒" in page or "1 reminders sent" in page
    assert Notification.objects.filter(recipient=open_one.school.memberships.get().user).exists()
    assert AuditEvent.objects.filter(action="evaluations.evaluation.reminded").count() == 1


def test_a_rubric_in_use_is_copied_not_edited(admin_client, employment_a, liaison_a):
    evaluation_for(employment_a)
    rubric = Rubric.objects.get(version=1)
    page = admin_client.get(reverse("admin:evaluations_rubric_change", args=[rubric.pk]))
    assert 'name="levels-0-description_en"' not in page.content.decode()

    admin_client.post(
        reverse("admin:evaluations_rubric_changelist"),
        {"action": "copy", "_selected_action": [rubric.pk]},
    )
    copy = Rubric.objects.get(version=2)
    assert not copy.is_published
    assert RubricLevel.objects.filter(rubric=copy).count() == 15
    page = admin_client.get(reverse("admin:evaluations_rubric_change", args=[copy.pk]))
    assert 'name="levels-0-description_en"' in page.content.decode()


def test_a_copys_note_reads_in_the_readers_language(admin_client, center_user):
    from django.utils import translation

    from apps.evaluations.services.admin_actions import rubric_copy

    with translation.override("zh-hans"):
        copy = rubric_copy(actor=center_user, rubric=Rubric.objects.get(version=1))

    copy.refresh_from_db()
    assert copy.note_text == "Copy of version 1"
    with translation.override("zh-hans"):
        assert copy.note_text == "第 1 版的副本"
    page = admin_client.get(reverse("admin:evaluations_rubric_changelist"))
    assert "Copy of version 1" in page.content.decode()


def test_an_assessment_saved_in_admin_goes_through_the_service(admin_client, employment_a):
    round_ = evaluation_for(employment_a).round
    response = admin_client.post(
        reverse("admin:evaluations_schoolassessment_add"),
        {"round": round_.pk, "school": employment_a.school.pk, "score": 4, "comment": "ok"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = SchoolAssessment.objects.get()
    assert assessment.indicators["liaison"]["ok"] is True
    assert AuditEvent.objects.filter(action="evaluations.assessment.saved").exists()
