"""The center creates, rotates and revokes API clients in admin; the token is shown once."""

import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from apps.exchange.models import ApiClient
from apps.exchange.scopes import Scope

from .conftest import bearer

ADD = reverse("admin:exchange_apiclient_add")
CHANGELIST = reverse("admin:exchange_apiclient_changelist")


def _login(client, user):
    user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(user)


def _token(response) -> str:
    return re.search(rb'value="(hzx_[^"]+)" data-token', response.content).group(1).decode()


def _form(**overrides):
    expires = timezone.localtime() + timedelta(days=90)
    data = {
        "department": "Hangzhou Public Security Bureau",
        "contact": "Officer Zhang",
        "scopes": [Scope.EMPLOYMENTS, Scope.IDENTITY],
        "expires_at_0": expires.date().isoformat(),
        "expires_at_1": expires.strftime("%H:%M:%S"),
        "ip_allowlist": "",
        "rate_limit_per_minute": "120",
    }
    data.update(overrides)
    return data


def test_add_shows_the_token_once_and_stores_its_hash(client, center_user, school_a):
    _login(client, center_user)
    response = client.post(ADD, _form())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = _token(response)
    api = ApiClient.objects.get()
    assert api.scopes == [Scope.EMPLOYMENTS, Scope.IDENTITY] and api.created_by == center_user
    assert token not in api.token_hash
    assert client.get("/api/v1/employments/", **bearer(token)).status_code == 200
    # The client's page never shows the token again.
    page = client.get(reverse("admin:exchange_apiclient_change", args=[api.pk]))
    assert token.encode() not in page.content


def test_bad_allow_list_stays_on_the_form(client, center_user):
    _login(client, center_user)
    response = client.post(ADD, _form(ip_allowlist="10.0.0.0/8\nnot-an-address"))
    assert response.status_code == 200
    assert b"not-an-address" in response.content
    assert "ip_allowlist" in response.context["adminform"].form.errors
    assert not ApiClient.objects.exists()


def test_rotate_and_revoke_actions(client, center_user, make_api_client, school_a):
    api, old = make_api_client([Scope.SCHOOLS])
    _login(client, center_user)
    response = client.post(CHANGELIST, {"action": "rotate_token", "_selected_action": [api.pk]})
    new = _token(response)
    assert client.get("/api/v1/schools/", **bearer(old)).status_code == 401
    assert client.get("/api/v1/schools/", **bearer(new)).status_code == 200
    client.post(CHANGELIST, {"action": "revoke", "_selected_action": [api.pk]})
    api.refresh_from_db()
    assert api.revoked_at is not None
    assert client.get("/api/v1/schools/", **bearer(new)).status_code == 401


def test_school_staff_cannot_reach_the_clients(client, school_user):
    client.force_login(school_user)
    response = client.get(CHANGELIST)
    assert response.status_code in {302, 403}
