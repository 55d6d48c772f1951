from django.contrib.auth.models import Group
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.core.models import AuditEvent


def test_center_staff_create_a_bureau_account_in_admin(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Xihu.Bureau@Example.org",
            "full_name": "Xihu District Education Bureau",
            "role": Role.BUREAU_VIEWER,
            "language": "zh-hans",
        },
    )

    assert response.status_code == 302
    bureau = User.objects.get(email="xihu.bureau@example.org")
    assert bureau.role == Role.BUREAU_VIEWER
    assert not bureau.is_staff
    assert not bureau.has_usable_password()
    assert AuditEvent.objects.filter(action="account.create", actor=center_user).exists()


def test_a_new_center_account_gets_admin_access_and_the_group(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)

    client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "clerk@example.org",
            "full_name": "Li Na",
            "role": Role.CENTER_STAFF,
            "language": "zh-hans",
        },
    )

    clerk = User.objects.get(email="clerk@example.org")
    assert clerk.is_staff
    assert clerk.groups.filter(name="Center staff").exists()


def test_duplicate_email_is_refused_with_a_message(client, center_user, teacher_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": teacher_user.email,
            "full_name": "Copy",
            "role": Role.BUREAU_VIEWER,
            "language": "en",
        },
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
