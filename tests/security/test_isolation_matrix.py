"""Every object route × every actor × GET/POST: owners get in, nobody else sees or changes a row.

The routes and who owns them are declared in routes.py; the meta-test below fails for a new
pattern with a parameter that nobody declared, so the matrix grows with the URLconf.
"""

import hashlib
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.core.middleware import NO_STORE
from tests.security.objects import build_world
from tests.security.routes import ACTORS, NOT_OBJECT_ROUTES, ROUTES, Route
from tests.security.test_csp import csp_problem

LOGIN_PATH = "/accounts/login/"


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, pattern


def parameterised_routes() -> dict[str, str]:
    """Return {name: pattern} for every named project pattern that takes a path parameter."""
    found = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        # Django's admin is covered by the admin test below, allauth's by its own tests.
        if not name or name.startswith("admin:") or name.startswith(("account_", "mfa_")):
            continue
        if (
            pattern.pattern.converters
            or getattr(pattern.pattern, "regex", None)
            and (pattern.pattern.regex.groups)
        ):
            found[name] = str(pattern.pattern)
    return found


def test_every_route_with_a_parameter_is_declared():
    declared = {route.name for route in ROUTES} | set(NOT_OBJECT_ROUTES)
    missing = sorted(set(parameterised_routes()) - declared)
    assert not missing, (
        "Declare these routes in tests/security/routes.py (owner rule, or NOT_OBJECT_ROUTES "
        f"with the reason): {missing}"
    )
    stale = sorted(declared - set(parameterised_routes()))
    assert not stale, f"routes.py names routes that no longer exist: {stale}"


# --- the database snapshot ----------------------------------------------------------------------


def _snapshot(table: str) -> tuple:
    """Row counts of every table and a checksum of the target table's rows."""
    tables = sorted(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        union = " UNION ALL ".join(
            f"SELECT '{name}', COUNT(*) FROM {quote(name)}"  # noqa: S608 (introspected names)
            for name in tables
        )
        cursor.execute(union)
        counts = tuple(sorted(cursor.fetchall()))
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608
        digest = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return counts, digest


def _diff(before: tuple, after: tuple) -> str:
    changed = [
        f"{name}: {a} → {b}"
        for (name, a), (_n, b) in zip(before[0], after[0], strict=True)
        if a != b
    ]
    if before[1] != after[1]:
        changed.append("target rows changed")
    return ", ".join(changed)


# --- clients ------------------------------------------------------------------------------------


def _client_for(user) -> tuple[Client, str]:
    """A CSRF-enforcing client signed in as the user, and the token its own page handed it."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user is None:
        client.get("/en/accounts/login/")
    else:
        client.force_login(user)
        client.get("/en/account/preferences/")
    token = client.cookies["csrftoken"].value
    return client, token


@dataclass
class Tally:
    requests: int = 0
    owner_successes: int = 0
    refused: int = 0
    foreign_successes: int = 0


def _url(route: Route, objects: dict) -> str:
    kwargs = dict(route.fixed)
    if route.code:
        kwargs["code"] = objects[route.code].code
    kwargs.update({key: objects[value].code for key, value in route.args.items()})
    return reverse(route.name, kwargs=kwargs)


def _target_table(route: Route, objects: dict) -> str:
    key = route.code or next(iter(route.args.values()), "school_a")
    return objects[key]._meta.db_table


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and LOGIN_PATH in response.get("Location", "")


def _verdict(route: Route, actor: str, method: str, response) -> str:
    """'' when the response is what the rule demands, else what went wrong."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if actor in route.owners or (actor in route.readers and method == "GET"):
        if method not in route.methods:
            return "" if status < 400 or status == 405 else f"owner got {status}"
        # An empty form may be turned down (400) once access was granted.
        if (status >= 400 and not (method == "POST" and status == 400)) or _is_login_redirect(
            response
        ):
            return f"owner got {status} {response.get('Location', '')}"
        return ""
    if actor in route.readers:
        return ""  # a reader's POST: the snapshot decides
    if actor == "anonymous":
        if _is_login_redirect(response) or status in (401, 403, 404, 405):
            return ""
        return f"anonymous got {status}"
    if status in (401, 403, 404, 405):
        return ""
    return f"not an owner but got {status} {response.get('Location', '')}"


def _headers_problem(actor: str, response) -> str:
    """Signed-in answers and downloads must not be cached; every answer has a Permissions-Policy
    and the Content-Security-Policy, and its HTML keeps to the latter."""
    if "Permissions-Policy" not in response:
        return "no Permissions-Policy header"
    download = response.get("Content-Disposition", "").startswith("attachment")
    if (actor != "anonymous" or download) and response.get("Cache-Control") != NO_STORE:
        return f"Cache-Control is {response.get('Cache-Control')!r}"
    return csp_problem(response)


@pytest.mark.django_db
def test_isolation_matrix(record_property):
    actors, objects = build_world()
    clients = {name: _client_for(user) for name, user in actors.items()}
    tally = Tally()
    failures = []
    for route in ROUTES:
        url = _url(route, objects)
        table = _target_table(route, objects)
        for actor in ACTORS:
            client, token = clients[actor]
            owner = actor in route.owners
            reader = actor in route.readers
            for method in ("GET", "POST"):
                tally.requests += 1
                # Every POST runs in a savepoint that is rolled back: the world stays the same
                # for the next request, and a refused POST is compared against a snapshot.
                with transaction.atomic():
                    before = _snapshot(table) if method == "POST" and not owner else None
                    allowed = owner or (reader and method == "GET")
                    if method == "GET":
                        response = client.get(url)
                    else:
                        response = client.post(url, {}, HTTP_X_CSRFTOKEN=token)
                    problem = _verdict(route, actor, method, response) or _headers_problem(
                        actor, response
                    )
                    if before is not None and not problem:
                        changed = _diff(before, _snapshot(table))
                        if changed:
                            problem = f"refused POST changed the database: {changed}"
                    transaction.set_rollback(True)
                if problem:
                    failures.append(f"{method} {route.name} as {actor}: {problem}")
                elif allowed and response.status_code < 400:
                    tally.owner_successes += 1
                elif not allowed:
                    tally.refused += 1
                if not allowed and response.status_code < 300:
                    tally.foreign_successes += 1
    figure = (
        f"isolation matrix: {len(ROUTES)} routes × {len(ACTORS)} actors = "
        f"{len(ROUTES) * len(ACTORS)} cells, {tally.requests} requests; owner/reader successes "
        f"{tally.owner_successes}, refusals {tally.refused}, "
        f"cross-tenant successes {tally.foreign_successes}"
    )
    record_property("security_figure", figure)
    print(figure)  # noqa: T201
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_csrf_is_enforced_for_the_owner_too():
    actors, objects = build_world()
    client, _token = _client_for(actors["teacher_x"])
    url = reverse("vacancies:saved_search_delete", kwargs={"code": objects["saved_search_x"].code})
    assert client.post(url).status_code == 403
    assert type(objects["saved_search_x"]).objects.filter(pk=objects["saved_search_x"].pk).exists()


# --- admin --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_refuses_staff_without_the_model_permission(record_property):
    from tests.accounts.factories import CenterStaffUserFactory

    build_world()
    user = CenterStaffUserFactory(email="matrix.noperm@example.org")
    user.groups.clear()
    user.user_permissions.clear()
    client = Client()
    client.force_login(user)
    failures, requests = [], 0
    for model in admin.site._registry:
        opts = model._meta
        instance = model._default_manager.order_by("pk").first()
        pk = instance.pk if instance is not None else 1
        for url in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]),
        ):
            requests += 1
            status = client.get(url).status_code
            if status not in (302, 403):
                failures.append(f"{url}: {status}")
    models = len(admin.site._registry)
    figure = f"admin: {models} models, {requests} requests, {len(failures)} let in"
    record_property("security_figure", figure)
    assert not failures, "\n".join(failures)
