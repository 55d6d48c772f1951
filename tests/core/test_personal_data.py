import importlib.util

from django.apps import apps as django_apps

from apps.core.personal_data import personal_data_erase, personal_data_export, registered_sections
from apps.notifications.models import Notification
from apps.notifications.services import notify


def test_every_app_with_personal_data_is_registered():
    # Every project app that has a personal_data module registers one exporter and eraser from
    # it (section names need not match app labels, so compare the modules they come from).
    from apps.core import personal_data as registry

    modules = {
        f"{config.name}.personal_data"
        for config in django_apps.get_app_configs()
        if config.name.startswith("apps.")
        and config.name != "apps.core"  # the registry itself
        and importlib.util.find_spec(f"{config.name}.personal_data") is not None
    }
    sections = registered_sections()
    exported_from = {name: registry._exporters[name].__module__ for name in sections}
    erased_from = {name: registry._erasers[name].__module__ for name in sections}

    assert len(modules) >= 7
    assert set(exported_from.values()) == modules
    assert exported_from == erased_from
    assert len(sections) == len(modules)


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
