"""Dependency probes behind /healthz, each bounded to about one second."""

from django.conf import settings
from django.db import connection
from kombu import Connection

OK, EAGER, ERROR = "ok", "eager", "error"
PROBE_TIMEOUT_SECONDS = 1


def database_status() -> str:
    """Run a trivial query; PostgreSQL gets a statement timeout so a stuck server fails fast."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = %s", [PROBE_TIMEOUT_SECONDS * 1000])
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return ERROR
    return OK


def broker_status() -> str:
    """Connect to the broker, or report that tasks run in-process (no broker configured)."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return EAGER
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=PROBE_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": PROBE_TIMEOUT_SECONDS,
                "socket_timeout": PROBE_TIMEOUT_SECONDS,
                "max_retries": 0,
            },
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=PROBE_TIMEOUT_SECONDS)
            # Redis connects lazily: a channel round-trip proves the server answers.
            if conn.transport_cls == "redis":
                conn.default_channel.client.ping()
    except Exception:  # noqa: BLE001
        return ERROR
    return OK
