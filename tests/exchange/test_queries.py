"""List endpoints and the data-quality page read a fixed number of queries, whatever the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.exchange.scopes import Scope
from tests.evaluations.factories import make_employment
from tests.schools.factories import SchoolFactory

from .conftest import bearer


def _count(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_employment_list_queries_do_not_grow_with_rows(client, make_api_client, school_a):
    _api, token = make_api_client([Scope.EMPLOYMENTS, Scope.SCHOOLS])
    make_employment(SchoolFactory(), members=[(SchoolFactory(), 4)])

    def fetch():
        assert client.get("/api/v1/employments/", **bearer(token)).status_code == 200

    fetch()  # warm the per-process caches
    few = _count(fetch)
    for _ in range(5):
        make_employment(SchoolFactory(), members=[(SchoolFactory(), 4)])
    assert _count(fetch) == few
    assert few <= 8


def test_quality_page_queries_do_not_grow_with_rows(client, center_user, school_a):
    make_employment(school_a)
    client.force_login(center_user)
    url = reverse("exchange:quality")
    client.get(url)  # the first request of a session reads more (session, MFA, caches)
    few = _count(lambda: client.get(url))
    for _ in range(5):
        make_employment(school_a)
    assert _count(lambda: client.get(url)) == few
