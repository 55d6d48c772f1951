from unittest import mock

import pytest


@pytest.mark.django_db
def test_healthz_is_ok_with_eager_celery(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client):
    with mock.patch("apps.core.health.connection.cursor", side_effect=RuntimeError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.worker
@pytest.mark.django_db
def test_healthz_reports_a_live_broker_ok(client, settings):
    import os

    # CI points at the real Redis; without a broker, kombu's in-memory transport stands in.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"

    response = client.get("/healthz")

    assert response.json()["broker"] == "ok"


def test_healthz_is_outside_the_language_prefix(client, db):
    assert client.get("/en/healthz").status_code == 404
