import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(module: str, env: dict[str, str]) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
        "'name': str(settings.DATABASES['default']['NAME']), "
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL, "
        "'tz': settings.TIME_ZONE, 'atomic': settings.DATABASES['default']['ATOMIC_REQUESTS']}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=clean | {"DJANGO_SETTINGS_MODULE": module} | env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_in_the_project_folder_and_eager_celery():
    config = _settings_in_subprocess("hangzhou_waijiao.settings.dev", {})

    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"] == str(PROJECT / "db.sqlite3")
    assert config["eager"] is True
    assert config["tz"] == "Asia/Shanghai"
    assert config["atomic"] is False


def test_database_and_broker_urls_switch_to_postgres_and_a_real_worker():
    config = _settings_in_subprocess(
        "hangzhou_waijiao.settings.dev",
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        },
    )

    assert config["engine"] == "django.db.backends.postgresql"
    assert config["name"] == "portal"
    assert config["eager"] is False
    assert config["broker"] == "redis://127.0.0.1:6379/0"


def test_celery_is_configured_conservatively():
    from hangzhou_waijiao.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.result_backend


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_runs_on_postgres_when_database_url_is_set():
    assert os.environ.get("DATABASE_URL", "").startswith("postgres")
    assert connection.vendor == "postgresql"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_check_deploy_passes_with_production_settings():
    env = {
        "DJANGO_SECRET_KEY": "x" * 64 + "production-grade-secret-value-0123456789",
        "DJANGO_ALLOWED_HOSTS": "waijiao.hangzhou.example",
        "FIELD_ENCRYPTION_KEYS": "cGFzc3BvcnQtbnVtYmVycy10ZXN0LWtleS0wMDAwMDA=",
        "FIELD_HASH_KEY": "production-hash-key",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example:587",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_", "DJANGO_"))
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean | {"DJANGO_SETTINGS_MODULE": "hangzhou_waijiao.settings.production"} | env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secrets():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        env=clean | {"DJANGO_SETTINGS_MODULE": "hangzhou_waijiao.settings.production"},
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
