"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked instead."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_five_services_with_healthchecks(compose):
    services = compose["services"]

    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name in ("web", "worker", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])


def test_app_services_run_the_real_commands(compose):
    services = compose["services"]

    assert "gunicorn hangzhou_waijiao.wsgi" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A hangzhou_waijiao worker")
    assert services["beat"]["command"].startswith("celery -A hangzhou_waijiao beat")
    assert settings.CELERY_BEAT_SCHEDULER in services["beat"]["command"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_app_environment_matches_the_settings(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "hangzhou_waijiao.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    postgres = services["postgres"]["environment"]
    credentials = f"{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}"
    expected = f"{credentials}@postgres:5432/{postgres['POSTGRES_DB']}"
    assert expected in services["web"]["environment"]["DATABASE_URL"]


def test_every_variable_production_requires_is_documented_in_env_example():
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    production = (ROOT / "hangzhou_waijiao/settings/production.py").read_text()

    for variable in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "FIELD_ENCRYPTION_KEYS",
        "FIELD_HASH_KEY",
        "EMAIL_URL",
    ):
        assert f'"{variable}"' in production
        assert variable in documented


def test_the_image_compiles_the_translations_for_every_service():
    """Worker and beat render Chinese notifications too: the catalogue is built into the image."""
    dockerfile = (Path(__file__).resolve().parents[1] / "Dockerfile").read_text()

    assert "compilemessages" in dockerfile
    assert dockerfile.index("compilemessages") > dockerfile.index("COPY . .")


def test_app_services_share_one_redis_cache_apart_from_the_broker(compose):
    """Sessions, rate limits and cached look-ups must be one cache for every web worker."""
    import environ

    for name in ("web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        cache = environ.Env.cache_url_config(environment["CACHE_URL"])
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache", name
        databases = {
            environment[key].rsplit("/", 1)[1]
            for key in ("CACHE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
        }
        # A cache clear flushes its whole database: never the broker's or the results'.
        assert len(databases) == 3, name
