"""Schemathesis against the OpenAPI schema, in-process (WSGI), once per scope: no server errors."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from apps.exchange.scopes import Scope

# Every dataset scope alone, all of them with identity, and one client per scope set below.
SCOPE_SETS = [[scope] for scope in Scope.values if scope != Scope.IDENTITY] + [list(Scope.values)]

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_transaction_open():
    """Calls go through the real WSGI handler, whose request signals would close the
    connection holding the test's transaction (PostgreSQL); Django's own test client
    disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(make_api_client, register):
    """One token per scope set, with a rate limit the run cannot reach."""
    return [make_api_client(scopes, rate_limit_per_minute=10_000)[1] for scopes in SCOPE_SETS]


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case, tokens):
    for token in tokens:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, (case.path, case.query, response.text[:500])
