"""Whole-project guards: migrations match the models, and the demo seed is repeatable."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_seed_demo_prints_logins_and_is_idempotent():
    from apps.accounts.models import User

    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--scale", "small", stdout=first)
    users = User.objects.count()
    call_command("seed_demo", "--scale", "small", stdout=second)

    assert User.objects.count() == users
    table = second.getvalue()
    assert "role" in table and "password" in table
    for email in (
        "center@demo.hz-waijiao.cn",
        "bureau.xihu@demo.hz-waijiao.cn",
        "teacher.emma@demo.hz-waijiao.cn",
    ):
        assert email in table


def test_seed_demo_refuses_production_settings(settings):
    from django.core.management.base import CommandError

    settings.SETTINGS_MODULE = "hangzhou_waijiao.settings.production"

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
