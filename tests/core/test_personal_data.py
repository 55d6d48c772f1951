from apps.core.personal_data import personal_data_erase, personal_data_export, registered_sections
from apps.notifications.models import Notification
from apps.notifications.services import notify


def test_every_app_with_personal_data_is_registered():
    assert {"account", "notifications"} <= set(registered_sections())


def test_export_collects_each_apps_section(teacher_user):
    notify(recipient=teacher_user, kind="test", title="Welcome to Hangzhou")

    export = personal_data_export(teacher_user)

    assert export.sections["account"]["email"] == "teacher@example.org"
    assert export.sections["account"]["email_addresses"][0]["verified"] is True
    assert [n["title"] for n in export.sections["notifications"]["inbox"]] == [
        "Welcome to Hangzhou"
    ]


def test_erase_runs_every_eraser(teacher_user):
    notify(recipient=teacher_user, kind="test", title="Welcome")

    personal_data_erase(teacher_user)

    assert not Notification.objects.filter(recipient=teacher_user).exists()
    assert not teacher_user.emailaddress_set.exists()
