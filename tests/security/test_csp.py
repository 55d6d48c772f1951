"""The strict Content-Security-Policy on every answer, and served pages that keep to it.

The isolation matrix and the every-page header test check `csp_problem` on each answer they
get (every route and page × every actor); the tests here cover what they skip: the admin,
allauth, the partner API's documentation and the error pages.
"""

import re

import pytest
from django.contrib import admin
from django.test import Client, override_settings
from django.urls import path, reverse

from tests.accounts.factories import PASSWORD, CenterStaffUserFactory
from tests.security.objects import build_world
from tests.security.test_templates_csp_ready import inline_problems

# The policy every answer carries, nonces aside (issue 19): only the portal's own files.
POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},  # data: for allauth's TOTP QR code
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}
NONCE_SOURCE = re.compile(r"^'nonce-([A-Za-z0-9+/=]+)'$")
# Stricter still, set by the view itself: an uploaded file shown inline to the center loads and
# runs nothing (teachers:document_preview; X-Frame-Options SAMEORIGIN covers framing).
SANDBOXED = {"default-src": ["'none'"], "sandbox": []}


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def csp_problem(response) -> str:
    """'' when the answer carries the portal's policy and its HTML keeps to it, else what not."""
    header = response.get("Content-Security-Policy")
    if not header:
        return "no Content-Security-Policy header"
    directives = _directives(header)
    if directives == SANDBOXED:
        return ""
    # Only scripts and styles may carry the request's nonce (one, the same in both).
    nonces, sources = set(), {}
    for name, values in directives.items():
        sources[name] = set(values)
        if name in ("script-src", "style-src"):
            nonces |= {m.group(1) for m in map(NONCE_SOURCE.match, values) if m}
            sources[name] = {value for value in values if not NONCE_SOURCE.match(value)}
    if sources != POLICY or len(nonces) > 1:
        return f"Content-Security-Policy is {header!r}"
    streamed = getattr(response, "streaming", False)
    if streamed or not response.get("Content-Type", "").startswith("text/html"):
        return ""
    nonce = next(iter(nonces), "")
    refused = inline_problems(response.content.decode(response.charset or "utf-8"), nonce)
    return f"inline code the policy refuses: {[what for _, what in refused]}" if refused else ""


def _boom(request):
    raise RuntimeError("a failure the 500 page reports")


# ROOT_URLCONF of the 500-page test: one URL that fails, and the portal's handler.
urlpatterns = [path("boom/", _boom)]
handler500 = "apps.core.views.server_error"


def test_csp_problem_names_a_missing_header_and_a_loosened_policy():
    from django.http import HttpResponse

    assert csp_problem(HttpResponse()) == "no Content-Security-Policy header"
    response = HttpResponse()
    response["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src "
        "'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'self'; object-src 'none'"
    )
    assert "unsafe-inline" in csp_problem(response)
    response["Content-Security-Policy"] = response["Content-Security-Policy"].replace(
        " 'unsafe-inline'", " 'nonce-abc='"
    )
    assert csp_problem(response) == ""
    response.content = b'<p style="color: red">'
    assert "style=" in csp_problem(response)


@pytest.mark.django_db
def test_the_admin_sends_the_policy_and_keeps_to_it(admin_user, record_property):
    build_world()
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    failures, requests = [], 0
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            urls.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
            )
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    for url in urls:
        response = client.get(url)
        requests += 1
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        elif problem := csp_problem(response):
            failures.append(f"{url}: {problem}")
    record_property("security_figure", f"CSP: {requests} admin pages checked")
    assert requests > 150
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_allauth_pages_send_the_policy_and_keep_to_it(teacher_user):
    from django.urls import get_resolver

    from tests.security.test_isolation_matrix import _walk  # it imports this module

    names = sorted(
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if name and name.startswith(("account_", "mfa_")) and not pattern.pattern.regex.groups
    )
    # A center account not yet enrolled is sent to the TOTP page, whose QR code is a data: image.
    clerk = CenterStaffUserFactory(email="csp.clerk@example.org", totp=False)
    failures, checked = [], 0
    for user in (None, teacher_user, clerk):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for name in names:
            response = client.get(reverse(name), follow=True)
            checked += 1
            if response.status_code >= 500 or (problem := csp_problem(response)):
                failures.append(f"{name} as {user}: {response.status_code} {problem}")
    assert len(names) > 10 and checked == 3 * len(names)
    assert not failures, "\n".join(failures)
    client = Client()
    client.force_login(clerk)
    enrolment = client.get(reverse("mfa_activate_totp"), follow=True)
    if enrolment.redirect_chain:  # allauth asks for the password again first
        enrolment = client.post(enrolment.request["PATH_INFO"], {"password": PASSWORD}, follow=True)
    assert b'src="data:image/svg+xml;base64,' in enrolment.content
    assert csp_problem(enrolment) == ""


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_a_file():
    client = Client()
    docs = client.get(reverse("exchange_api:docs"))
    assert docs.status_code == 200
    assert csp_problem(docs) == ""
    html = docs.content.decode()
    script_url = re.search(r'<script src="([^"]*\?script=[^"]*)"', html).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content
    assert client.get(reverse("exchange_api:redoc")).url == reverse("exchange_api:docs")


@pytest.mark.django_db
def test_error_pages_send_the_policy_and_keep_to_it(teacher_user):
    client = Client(raise_request_exception=False)
    client.force_login(teacher_user)
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == 404
    assert csp_problem(missing) == ""
    forbidden = client.get(reverse("dashboards:bureau"))
    assert forbidden.status_code == 403
    assert csp_problem(forbidden) == ""


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_renders_without_context_and_keeps_to_the_policy():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b'href="/static/css/portal.css"' in response.content
    assert csp_problem(response) == ""
