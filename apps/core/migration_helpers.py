"""Keep the "Center staff" group's permissions in step with the apps' models.

Each app whose models center staff manage in admin adds a data migration calling
`grant_center_staff_permissions` for its app label; permissions are created first because on a
fresh database Django only creates them after all migrations have run.
"""

from django.contrib.auth.management import create_permissions

CENTER_STAFF_GROUP = "Center staff"


def grant_center_staff_permissions(apps, app_labels: list[str], exclude: set[str] = frozenset()):
    for label in app_labels:
        app_config = apps.get_app_config(label)
        # Migration-state app configs have no models module; create_permissions skips those.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=CENTER_STAFF_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=app_labels).exclude(
        codename__in=exclude
    )
    group.permissions.add(*permissions)
