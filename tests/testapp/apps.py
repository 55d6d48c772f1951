from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only to exercise core building blocks (installed by test settings)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tests.testapp"
    label = "testapp"
