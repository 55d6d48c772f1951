"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked instead."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_six_services_with_healthchecks(compose):
    services = compose["services"]

    assert set(services) == {"proxy", "web", "worker", "beat", "postgres", "redis"}
    for name in ("proxy", "web", "worker", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])


def test_only_the_proxy_is_reachable_from_outside(compose):
    services = compose["services"]

    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert set(services["proxy"]["ports"]) == {"80:80", "443:443"}
    assert services["proxy"]["image"].startswith("nginx:")
    assert services["web"]["expose"] == ["8000"]
    assert "--bind 0.0.0.0:8000" in services["web"]["command"]
    # Safe only because of the above: nobody but the proxy can send gunicorn a request.
    assert "--forwarded-allow-ips '*'" in services["web"]["command"]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def _mounts(service: dict) -> dict[str, Path]:
    """Container path → committed host path of each bind mount."""
    mounts = {}
    for volume in service["volumes"]:
        source, target, *_mode = volume.split(":")
        mounts[target] = ROOT / source
    return mounts


@pytest.fixture(scope="module")
def nginx_conf(compose) -> str:
    conf = _mounts(compose["services"]["proxy"])["/etc/nginx/conf.d/default.conf"]
    return conf.read_text()


def _directive(conf: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", conf, flags=re.MULTILINE)


def test_the_proxy_terminates_https_and_tells_django_so(compose, nginx_conf):
    assert _directive(nginx_conf, "listen") == ["80 default_server", "443 ssl default_server"]
    assert _directive(nginx_conf, "return")[-1] == "301 https://$host$request_uri"
    certs = _mounts(compose["services"]["proxy"])["/etc/nginx/certs"]
    assert certs.is_dir()
    for path in _directive(nginx_conf, "ssl_certificate(?:_key)?"):
        assert path.startswith("/etc/nginx/certs/"), path
    headers = dict(h.split(None, 1) for h in _directive(nginx_conf, "proxy_set_header"))
    # What SECURE_PROXY_SSL_HEADER waits for (test_production_settings_trust_the_proxy).
    assert headers["X-Forwarded-Proto"] == "https"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["Host"] == "$host"
    assert _directive(nginx_conf, "set") == ["$django http://web:8000"]


def test_the_proxy_caps_bodies_like_django_and_waits_longer_than_gunicorn(compose, nginx_conf):
    from apps.teachers.uploads import MAX_UPLOAD_BYTES

    # The server's cap, then the 413 page's location (which must not refuse the same request).
    [cap, error_page_cap] = _directive(nginx_conf, "client_max_body_size")
    assert error_page_cap == "0"
    assert cap.endswith("m")
    assert int(cap[:-1]) * 2**20 == settings.REQUEST_BODY_MAX_BYTES > MAX_UPLOAD_BYTES
    gunicorn_timeout = int(re.search(r"--timeout (\d+)", compose["services"]["web"]["command"])[1])
    [read_timeout] = _directive(nginx_conf, "proxy_read_timeout")
    assert int(read_timeout.removesuffix("s")) > gunicorn_timeout
    # The page nginx answers a too-large upload with exists, in both languages.
    [error_page] = _directive(nginx_conf, "error_page")
    code, uri = error_page.split()
    page = _mounts(compose["services"]["proxy"])["/usr/share/nginx/errors"] / Path(uri).name
    assert code == "413"
    assert f"{settings.REQUEST_BODY_MAX_BYTES // 2**20} MB" in page.read_text()
    assert "上传内容过大" in page.read_text()


def test_app_services_run_the_real_commands(compose):
    services = compose["services"]

    assert "gunicorn hangzhou_waijiao.wsgi" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A hangzhou_waijiao worker")
    assert services["beat"]["command"].startswith("celery -A hangzhou_waijiao beat")
    assert settings.CELERY_BEAT_SCHEDULER in services["beat"]["command"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_batch_work_yields_the_cpu_to_web(compose):
    """Matching and report builds on the worker must not slow the pages people wait for."""
    services = compose["services"]

    assert services["worker"]["cpu_shares"] < services["web"].get("cpu_shares", 1024)


def test_app_environment_matches_the_settings(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "hangzhou_waijiao.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        # Exactly one proxy in front: more would let clients pick their rate-limit address.
        assert environment["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1"
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


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_web_healthcheck_sends_a_host_production_accepts(compose, monkeypatch):
    """Production settings refuse Host 127.0.0.1: an unhealthy web would keep the proxy down."""
    from unittest import mock

    from django.http.request import validate_host

    environment = _env_example() | compose["services"]["web"]["environment"]
    [kind, interpreter, flag, code] = compose["services"]["web"]["healthcheck"]["test"]
    assert (kind, interpreter, flag) == ("CMD", "python", "-c")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with mock.patch("urllib.request.urlopen") as urlopen:
        exec(code, {})  # noqa: S102 (the compose file's own healthcheck)

    [request] = [call.args[0] for call in urlopen.call_args_list]
    assert request.full_url == "http://127.0.0.1:8000/healthz"
    allowed = environment["DJANGO_ALLOWED_HOSTS"].split(",")
    assert validate_host(request.get_header("Host"), allowed)
    assert not validate_host("127.0.0.1", allowed)


def test_production_settings_trust_the_proxy(compose):
    """Behind the proxy a request is secure (no redirect loop) and counts against its client."""
    code = (
        "import json, django; django.setup(); "
        "from allauth.account.adapter import get_adapter; "
        "from django.middleware.security import SecurityMiddleware; "
        "from django.test import RequestFactory; "
        "host = {'HTTP_HOST': 'waijiao.example.org', 'REMOTE_ADDR': '172.18.0.7'}; "
        "proxied = RequestFactory().get('/en/', HTTP_X_FORWARDED_PROTO='https', "
        "HTTP_X_FORWARDED_FOR='10.9.9.9, 203.0.113.5', **host); "
        "direct = RequestFactory().get('/en/', **host); "
        "redirect = SecurityMiddleware(lambda r: None).process_request(direct); "
        "print(json.dumps({'proxied': proxied.is_secure(), 'direct': direct.is_secure(), "
        "'redirect': redirect['Location'], 'client': get_adapter().get_client_ip(proxied)}))"
    )
    environment = _env_example() | compose["services"]["web"]["environment"]
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALLAUTH_"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=keep | environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["proxied"] is True
    assert seen["direct"] is False
    assert seen["redirect"] == "https://waijiao.example.org/en/"
    # The address nginx appended, not the one the client wrote into the header itself.
    assert seen["client"] == "203.0.113.5"


def test_the_image_can_back_up_and_stays_slim(compose):
    dockerfile = (ROOT / "Dockerfile").read_text()
    [install] = re.findall(r"^RUN apt-get update.*?(?<!\\)$", dockerfile, re.MULTILINE | re.DOTALL)

    # pg_dump/pg_restore for manage.py backup and restore (apps/core/backups.py).
    assert "postgresql-client" in install
    assert "--no-install-recommends" in install
    assert "rm -rf /var/lib/apt/lists/*" in install
    # pg_dump refuses a server newer than itself: bookworm's postgresql-client is 15.
    assert "python:3.11-slim-bookworm" in dockerfile
    assert compose["services"]["postgres"]["image"] == "postgres:15"


def test_the_image_leaves_out_secrets_and_personal_data():
    ignored = set((ROOT / ".dockerignore").read_text().split())

    # COPY . . would otherwise bake the .env secrets, the TLS key and database dumps in.
    assert {".env", "deploy", "backups"} <= ignored


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
