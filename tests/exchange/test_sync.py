"""Incremental sync: (updated_at, id) pages miss and duplicate nothing while rows change."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import time_machine
from django.utils import timezone

from apps.employment.models import ChangeKind, Employment
from apps.employment.services import employment_change_record
from apps.exchange.scopes import Scope
from tests.evaluations.factories import make_employment
from tests.teachers.factories import TeacherFactory

from .conftest import bearer

URL = "/api/v1/employments/"


def walk(client, token, url, between_pages=None):
    rows, pages, until = [], 0, None
    while url:
        response = client.get(url, **bearer(token))
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        url, until = body["next"], body["sync_until"]
        pages += 1
        if between_pages and url:
            between_pages(pages)
    return rows, until, pages


def test_sync_misses_and_duplicates_nothing_while_rows_change(
    client, make_api_client, school_a, liaison_a
):
    employments = [make_employment(school_a, start=date(2026, 3, 1)) for _ in range(10)]
    _api, token = make_api_client([Scope.EMPLOYMENTS])
    first_codes: list[str] = []
    late = {}

    def change_rows(page: int) -> None:
        if page == 1:
            seen = Employment.objects.get(code=first_codes[0])
            unseen = employments[-1]
            # A row already served and a row not served yet both change mid-walk…
            employment_change_record(
                actor=liaison_a,
                employment=seen,
                kind=ChangeKind.ARRIVAL,
                effective_on=timezone.localdate() - timedelta(days=1),
            )
            unseen.teacher.legal_name = "Renamed Teacher"
            unseen.teacher.save()
            # …and a hire lands during the walk.
            late["new"] = make_employment(school_a, start=date(2026, 4, 1))

    first_page = client.get(f"{URL}?page_size=3", **bearer(token)).json()
    first_codes.extend(row["code"] for row in first_page["results"])
    change_rows(1)
    rest, until, _pages = walk(client, token, first_page["next"])
    walk_rows = first_page["results"] + rest
    walk_codes = [row["code"] for row in walk_rows]

    assert len(walk_codes) == len(set(walk_codes)), "a row was served twice in one walk"
    assert str(late["new"].code) not in walk_codes
    assert str(employments[-1].code) not in walk_codes, "changed after the walk's bound"
    assert set(walk_codes) == {str(e.code) for e in employments[:-1]}

    # The next sync starts at the walk's bound and brings exactly what changed meanwhile.
    since = client.get(URL, {"updated_since": until, "page_size": 2}, **bearer(token)).json()
    more, _until, _pages = walk(client, token, since["next"])
    sync_rows = since["results"] + more
    sync_codes = [row["code"] for row in sync_rows]
    assert sorted(sync_codes) == sorted(
        [first_codes[0], str(employments[-1].code), str(late["new"].code)]
    )
    latest = {row["code"]: row for row in walk_rows + sync_rows}
    assert set(latest) == {str(e.code) for e in [*employments, late["new"]]}
    assert latest[first_codes[0]]["arrival"] is not None
    assert [c["kind"] for c in latest[first_codes[0]]["changes"]] == ["arrival"]
    assert latest[str(employments[-1].code)]["teacher_name"] == "Renamed Teacher"


def test_rows_with_the_same_timestamp_are_split_by_id(client, make_api_client, school_a):
    employments = [make_employment(school_a) for _ in range(5)]
    moment = timezone.now() - timedelta(minutes=1)
    Employment.objects.update(updated_at=moment)
    TeacherFactory._meta.model.objects.update(updated_at=moment)
    _api, token = make_api_client([Scope.EMPLOYMENTS])
    rows, _until, pages = walk(client, token, f"{URL}?page_size=2")
    assert pages == 3
    assert [row["code"] for row in rows] == [str(e.code) for e in employments]


def test_updated_since_is_exclusive_and_ordered(client, make_api_client, school_a):
    old = make_employment(school_a)
    Employment.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    TeacherFactory._meta.model.objects.update(updated_at=timezone.now() - timedelta(days=2))
    new = make_employment(school_a)
    _api, token = make_api_client([Scope.EMPLOYMENTS])
    since = (timezone.now() - timedelta(days=1)).isoformat()
    rows = client.get(URL, {"updated_since": since}, **bearer(token)).json()["results"]
    assert [row["code"] for row in rows] == [str(new.code)]
    everything = client.get(URL, **bearer(token)).json()["results"]
    assert [row["code"] for row in everything] == [str(old.code), str(new.code)]


def test_settle_window_holds_back_rows_still_committing(
    client, make_api_client, school_a, settings
):
    settings.EXCHANGE_SYNC_SETTLE_SECONDS = 5
    _api, token = make_api_client([Scope.EMPLOYMENTS])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        employment = make_employment(school_a)
        assert client.get(URL, **bearer(token)).json()["results"] == []
    with time_machine.travel(start + timedelta(seconds=6), tick=False):
        rows = client.get(URL, **bearer(token)).json()["results"]
    assert [row["code"] for row in rows] == [str(employment.code)]


def test_bad_sync_parameters_are_400(client, make_api_client, school_a):
    for _ in range(3):
        make_employment(school_a)
    _api, token = make_api_client([Scope.EMPLOYMENTS, Scope.SCHOOLS])
    next_url = client.get(f"{URL}?page_size=1", **bearer(token)).json()["next"]
    cursor = parse_qs(urlsplit(next_url).query)["cursor"][0]
    assert client.get(URL, {"cursor": cursor}, **bearer(token)).status_code == 200
    # A cursor is bound to its endpoint and cannot be forged.
    assert client.get("/api/v1/schools/", {"cursor": cursor}, **bearer(token)).status_code == 400
    assert client.get(URL, {"cursor": cursor[:-3] + "abc"}, **bearer(token)).status_code == 400
    assert client.get(URL, {"updated_since": "yesterday"}, **bearer(token)).status_code == 400
    # Valid ISO 8601 that PostgreSQL would refuse as it stands (offset beyond ±15:59).
    far_offset = {"updated_since": "0040-12-01T07:20:33-21:41"}
    assert client.get(URL, far_offset, **bearer(token)).status_code == 200
    assert (
        client.get(URL, {"updated_since": "0001-01-01T00:00:00+21:00"}, **bearer(token)).status_code
        == 400
    )
    assert client.get(URL, {"page_size": "0"}, **bearer(token)).status_code == 400
    assert client.get(URL, {"page_size": "1001"}, **bearer(token)).status_code == 400
