"""Every page: Permissions-Policy and CSP; signed-in pages and downloads: not cached; exports:
audited."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.middleware import NO_STORE
from apps.core.models import AuditEvent
from tests.security.objects import build_world
from tests.security.routes import ACTORS
from tests.security.test_csp import csp_problem
from tests.security.test_isolation_matrix import _walk

# Served alike to everyone, cached on purpose (the view marks them public).
PUBLIC_ASSETS = {"favicon"}
SKIPPED = ("admin:", "account_", "mfa_", "exchange_api:", "exchange:")


def parameterless_pages() -> list[str]:
    """Names of the project's pages that take no parameter (allauth/admin/API have their own)."""
    from django.urls import get_resolver

    return sorted(
        {
            name
            for name, pattern in _walk(get_resolver().url_patterns)
            if name and not name.startswith(SKIPPED) and not pattern.pattern.converters
        }
    )


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(record_property):
    actors, _objects = build_world()
    pages = parameterless_pages()
    failures, requests = [], 0
    for actor in ACTORS:
        client = Client(raise_request_exception=False)
        if actors[actor] is not None:
            client.force_login(actors[actor])
        for name in pages:
            response = client.get(reverse(name))
            requests += 1
            if "camera=()" not in response.get("Permissions-Policy", ""):
                failures.append(f"{name} as {actor}: no Permissions-Policy")
            if problem := csp_problem(response):
                failures.append(f"{name} as {actor}: {problem}")
            signed_in = actors[actor] is not None
            download = response.get("Content-Disposition", "").startswith("attachment")
            personal = signed_in and name not in PUBLIC_ASSETS
            if (personal or download) and response.get("Cache-Control") != NO_STORE:
                failures.append(f"{name} as {actor}: Cache-Control {response.get('Cache-Control')}")
    record_property(
        "security_figure",
        f"headers: {len(pages)} pages × {len(ACTORS)} actors, {requests} requests checked",
    )
    assert requests > 300
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_public_pages_may_be_cached():
    response = Client().get(reverse("vacancies:search"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("schools:bureau_schools_csv", "bureau_d1"),
        ("vacancies:bureau_csv", "municipal"),
        ("employment:bureau_csv", "bureau_d2"),
        ("employment:school_csv", "school_a"),
        ("applications:applicants_csv", "school_a"),
    ],
)
def test_each_csv_export_is_audited_once_and_never_cached(name, actor):
    actors, objects = build_world()
    client = Client()
    client.force_login(actors[actor])
    kwargs = {"code": objects["vacancy_a"].code} if name == "applications:applicants_csv" else {}
    before = AuditEvent.objects.filter(action="export.downloaded").count()
    response = client.get(reverse(name, kwargs=kwargs), {"q": "P00000001"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert response["Cache-Control"] == NO_STORE
    events = AuditEvent.objects.filter(action="export.downloaded")
    assert events.count() == before + 1
    event = events.latest("pk")
    assert event.actor == actors[actor]
    assert event.after["path"] == reverse(name, kwargs=kwargs)
    assert "P00000001" not in str(event.after)


@pytest.mark.django_db
def test_a_refused_export_writes_no_audit_row():
    actors, _objects = build_world()
    client = Client()
    client.force_login(actors["teacher_x"])
    response = client.get(reverse("vacancies:bureau_csv"))
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()
