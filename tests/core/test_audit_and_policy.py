import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from apps.core.models import AuditEvent, PolicySettings
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record, policy_settings_update


def test_audit_record_keeps_actor_target_before_after_and_reason(center_user, teacher_user):
    event = audit_record(
        actor=center_user,
        action="account.deactivate",
        target=teacher_user,
        before={"is_active": True},
        after={"is_active": False},
        reason="left the school",
    )

    event.refresh_from_db()
    assert event.actor == center_user
    assert event.target_type.model == "user"
    assert event.target_id == str(teacher_user.pk)
    assert event.target_repr == "Emma Clarke"
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})
    assert event.reason == "left the school"


def test_audit_record_from_a_system_job_has_no_actor(db):
    event = audit_record(actor=None, action="document.expire")

    assert event.actor is None
    assert event.target_type is None


def test_policy_settings_start_with_the_policy_numbers(db):
    policy = policy_settings_get()

    assert policy.max_cluster_members == 2
    assert policy.exchange_visit_max_months == 3
    assert (policy.intern_months, policy.intern_max_months) == (6, 12)
    assert policy.age_limit == 60
    assert (policy.idle_application_school_days, policy.idle_application_center_days) == (14, 21)
    assert policy.survey_privacy_threshold == 5


def test_policy_settings_is_a_singleton(db):
    policy_settings_get()

    with pytest.raises(IntegrityError):
        PolicySettings.objects.create(pk=2)


def test_policy_update_is_validated_and_audited(center_user):
    policy_settings_update(actor=center_user, age_limit=65)

    assert policy_settings_get().age_limit == 65
    event = AuditEvent.objects.get(action="policy.update")
    assert (event.before, event.after) == ({"age_limit": 60}, {"age_limit": 65})

    with pytest.raises(ValidationError):
        policy_settings_update(actor=center_user, intern_months=13)
    assert policy_settings_get().intern_months == 6


def test_center_staff_edit_policy_in_admin_and_it_is_audited(client, center_user):
    from django.contrib.auth.models import Group

    center_user.groups.add(Group.objects.get(name="Center staff"))
    policy = policy_settings_get()
    client.force_login(center_user)
    url = reverse("admin:core_policysettings_change", args=[policy.pk])
    form = {
        field.name: getattr(policy, field.name)
        for field in PolicySettings._meta.fields
        if field.editable and field.name != "id"
    }

    response = client.post(url, form | {"max_cluster_members": 3})

    assert response.status_code == 302
    assert policy_settings_get().max_cluster_members == 3
    assert AuditEvent.objects.filter(action="policy.update", actor=center_user).exists()


def test_every_policy_number_can_be_edited_in_admin(admin_client):
    """A PolicySettings field missing from the admin's fieldsets could only change in code."""
    response = admin_client.get(
        reverse("admin:core_policysettings_change", args=[policy_settings_get().pk])
    )
    assert response.status_code == 200
    shown = set(response.context["adminform"].form.fields)
    editable = {
        field.name
        for field in PolicySettings._meta.get_fields()
        if getattr(field, "editable", False)
        and not field.auto_created
        and field.name != "updated_at"
    }
    assert editable - shown == set()
