"""Token life cycle, IP allow-list and the per-client rate limit."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.exchange.models import ApiClient, ApiRequestLog
from apps.exchange.scopes import Scope
from apps.exchange.services import api_client_revoke, api_client_rotate, api_client_update

from .conftest import bearer

URL = "/api/v1/schools/"


def test_token_is_stored_hashed_and_works(client, make_api_client, school_a):
    api, token = make_api_client([Scope.SCHOOLS])
    stored = ApiClient.objects.get(pk=api.pk)
    assert token.startswith(f"hzx_{stored.token_prefix}_")
    assert token not in (stored.token_hash, stored.token_prefix)
    assert client.get(URL, **bearer(token)).status_code == 200
    assert AuditEvent.objects.filter(action="exchange.client_created").count() == 1


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer hzx_nope_nope", "Token abc", "Bearer a b"],
)
def test_missing_or_bad_token_is_401(client, make_api_client, school_a, header):
    _api, token = make_api_client([Scope.SCHOOLS])
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(URL, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_tampered_secret_is_401(client, make_api_client, school_a):
    _api, token = make_api_client([Scope.SCHOOLS])
    assert client.get(URL, **bearer(token[:-2] + "xx")).status_code == 401


def test_revoked_token_is_401_and_logged(client, make_api_client, center_user, school_a):
    api, token = make_api_client([Scope.SCHOOLS])
    api_client_revoke(actor=center_user, client=api, reason="Department asked")
    response = client.get(URL, **bearer(token))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert ApiRequestLog.objects.get(client=api).status_code == 401
    with pytest.raises(ValidationError):
        api_client_rotate(actor=center_user, client=api)


def test_expired_token_is_401(client, make_api_client, school_a):
    _api, token = make_api_client([Scope.SCHOOLS], expires_at=timezone.now() + timedelta(days=2))
    assert client.get(URL, **bearer(token)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        response = client.get(URL, **bearer(token))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_rotation_replaces_the_token_at_once(client, make_api_client, center_user, school_a):
    api, old = make_api_client([Scope.SCHOOLS])
    new = api_client_rotate(actor=center_user, client=api)
    assert new != old
    assert client.get(URL, **bearer(old)).status_code == 401
    assert client.get(URL, **bearer(new)).status_code == 200
    assert AuditEvent.objects.filter(action="exchange.token_rotated").exists()


def test_only_center_staff_manage_clients(make_api_client, school_user):
    from django.core.exceptions import PermissionDenied

    api, _token = make_api_client([Scope.SCHOOLS])
    with pytest.raises(PermissionDenied):
        api_client_rotate(actor=school_user, client=api)
    with pytest.raises(PermissionDenied):
        api_client_revoke(actor=school_user, client=api)


@pytest.mark.parametrize(
    "allowlist, address, expected",
    [
        ("", "203.0.113.9", 200),
        ("203.0.113.0/24", "203.0.113.9", 200),
        ("203.0.113.0/24", "198.51.100.1", 403),
        ("10.1.2.3\n2001:db8::/32", "10.1.2.3", 200),
        ("10.1.2.3\n2001:db8::/32", "2001:db8::7", 200),
        ("10.1.2.3\n2001:db8::/32", "10.1.2.4", 403),
    ],
)
def test_ip_allow_list(client, make_api_client, school_a, allowlist, address, expected):
    api, token = make_api_client([Scope.SCHOOLS], ip_allowlist=allowlist)
    response = client.get(URL, REMOTE_ADDR=address, **bearer(token))
    assert response.status_code == expected
    assert ApiRequestLog.objects.get(client=api).ip_address == address


def test_forwarded_address_counts_only_behind_trusted_proxies(
    client, make_api_client, school_a, settings
):
    _api, token = make_api_client([Scope.SCHOOLS], ip_allowlist="203.0.113.9")
    spoofed = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get(URL, **spoofed, **bearer(token)).status_code == 403
    settings.EXCHANGE_TRUSTED_PROXY_COUNT = 1
    assert client.get(URL, **spoofed, **bearer(token)).status_code == 200


@pytest.mark.parametrize(
    "values, field",
    [
        ({"ip_allowlist": "10.0.0.0/33"}, "ip_allowlist"),
        ({"ip_allowlist": "not-an-ip"}, "ip_allowlist"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["everything"]}, "scopes"),
        ({"scopes": [Scope.IDENTITY]}, "scopes"),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
    ],
)
def test_bad_client_settings_are_refused(make_api_client, center_user, values, field):
    api, _token = make_api_client([Scope.SCHOOLS])
    with pytest.raises(ValidationError) as error:
        api_client_update(actor=center_user, client=api, **values)
    assert field in error.value.message_dict


def test_rate_limit_per_client(client, make_api_client, school_a):
    start = timezone.now().replace(second=5, microsecond=0) + timedelta(minutes=1)
    api, token = make_api_client([Scope.SCHOOLS], rate_limit_per_minute=3)
    _other, other_token = make_api_client([Scope.SCHOOLS], rate_limit_per_minute=3)
    with time_machine.travel(start, tick=False):
        codes = [client.get(URL, **bearer(token)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        throttled = client.get(URL, **bearer(token))
        assert 0 < int(throttled["Retry-After"]) <= 60
        # Another department's client has its own allowance.
        assert client.get(URL, **bearer(other_token)).status_code == 200
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert client.get(URL, **bearer(token)).status_code == 200
    statuses = list(ApiRequestLog.objects.filter(client=api).values_list("status_code", flat=True))
    assert statuses.count(429) == 2
