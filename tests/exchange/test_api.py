"""Every endpoint × every scope: 200 with exactly the documented fields, 403 otherwise."""

import pytest

from apps.exchange.models import ApiRequestLog
from apps.exchange.scopes import Scope

from .conftest import bearer

EMPLOYMENT_FIELDS = {
    "code", "status", "teacher", "teacher_name", "nationality", "category", "date_of_birth",
    "passport_number", "school", "school_name", "district", "cluster", "schools",
    "contract_start", "contract_end", "weekly_hours", "hiring_channel", "payment_method",
    "is_intern", "arrival", "work_permit_number", "work_permit_expires",
    "residence_permit_number", "residence_permit_expires", "ended_on", "end_kind", "changes",
    "created_at", "updated_at",
}  # fmt: skip
CHANGE_FIELDS = {
    "code", "kind", "effective_on", "recorded_at", "permit_number", "expires_on",
    "new_contract_end", "transfer_to", "termination_reason", "reference",
}  # fmt: skip
SCHOOL_FIELDS = {
    "code", "name", "name_en", "district", "school_type", "ownership", "licence_number",
    "address", "verification_status", "created_at", "updated_at",
}  # fmt: skip
VISIT_FIELDS = {
    "code", "school", "school_name", "district", "partner_school", "partner_country",
    "visitor_name", "nationality", "passport_number", "arrival", "departure", "purpose",
    "subjects", "created_at", "updated_at",
}  # fmt: skip
CREDIT_FIELDS = {
    "record_id", "list_type", "subject_type", "subject_code", "subject_name", "id_type",
    "id_number", "grounds", "grounds_text", "severity", "facts", "basis", "decision_date",
    "start_date", "display_until", "determining_unit", "determining_unit_code", "data_source",
    "status", "ended_on", "updated_at",
}  # fmt: skip
STATISTICS_FIELDS = {
    "jurisdiction", "year", "on", "headline", "teachers_by_district",
    "teachers_by_school_type", "teachers_by_nationality", "coverage_by_district",
}  # fmt: skip

# (endpoint, scope it needs, fields of one row, row key in the register fixture)
ENDPOINTS = [
    ("/api/v1/employments/", Scope.EMPLOYMENTS, EMPLOYMENT_FIELDS, "employment"),
    ("/api/v1/schools/", Scope.SCHOOLS, SCHOOL_FIELDS, None),
    ("/api/v1/visits/", Scope.VISITS, VISIT_FIELDS, "visit"),
    ("/api/v1/credit-records/", Scope.CREDIT, CREDIT_FIELDS, "record"),
    ("/api/v1/statistics/", Scope.STATISTICS, STATISTICS_FIELDS, None),
]
SCOPE_SETS = [[scope] for scope in Scope.values if scope != Scope.IDENTITY] + [
    [Scope.EMPLOYMENTS, Scope.IDENTITY],
    [Scope.VISITS, Scope.CREDIT, Scope.IDENTITY],
    [Scope.SCHOOLS, Scope.STATISTICS],
]


def _param_id(value) -> str:
    # Sets print in hash order, which differs between xdist workers: ids must be stable.
    if isinstance(value, set | frozenset):
        return ",".join(sorted(value))
    return str(value)


@pytest.mark.parametrize("scopes", SCOPE_SETS, ids=lambda s: "+".join(s))
@pytest.mark.parametrize("endpoint, needed, fields, key", ENDPOINTS, ids=_param_id)
def test_endpoint_by_scope(
    client, make_api_client, register, scopes, endpoint, needed, fields, key
):
    _api, token = make_api_client(scopes)
    response = client.get(endpoint, **bearer(token))
    if needed not in scopes:
        assert response.status_code == 403
        assert "results" not in response.json()
        return
    assert response.status_code == 200, response.content
    body = response.json()
    if endpoint.endswith("statistics/"):
        assert set(body) == fields
        return
    assert set(body) == {"next", "sync_until", "results"}
    assert body["results"], "the register fixture has a row for every dataset"
    for row in body["results"]:
        assert set(row) == fields
    if key is not None:
        code = str(register[key].code)
        detail = client.get(f"{endpoint}{code}/", **bearer(token))
        assert detail.status_code == 200
        assert set(detail.json()) == fields


@pytest.mark.parametrize("endpoint, needed, _fields, key", ENDPOINTS[:4], ids=_param_id)
def test_detail_needs_the_scope_too(
    client, make_api_client, register, endpoint, needed, _fields, key
):
    _api, token = make_api_client([Scope.STATISTICS])
    code = str(register[key].code) if key else "00000000-0000-0000-0000-000000000000"
    assert client.get(f"{endpoint}{code}/", **bearer(token)).status_code == 403


def test_identity_numbers_masked_without_the_identity_scope(client, make_api_client, register):
    _api, token = make_api_client([Scope.EMPLOYMENTS, Scope.VISITS, Scope.CREDIT])
    row = client.get("/api/v1/employments/", **bearer(token)).json()["results"][0]
    assert row["passport_number"] == "••••••678"
    assert row["work_permit_number"] == "•••••877"
    assert row["changes"][0]["permit_number"] == "•••••877"
    assert set(row["changes"][0]) == CHANGE_FIELDS
    assert row["date_of_birth"] is None
    visit = client.get("/api/v1/visits/", **bearer(token)).json()["results"][0]
    assert visit["passport_number"].endswith("T47") and "C01X" not in visit["passport_number"]
    record = client.get("/api/v1/credit-records/", **bearer(token)).json()["results"][0]
    assert record["id_type"] == "passport" and record["id_number"] == "••••••433"
    assert b"E12345678" not in client.get("/api/v1/employments/", **bearer(token)).content


def test_identity_scope_shows_numbers_in_clear(client, make_api_client, register):
    _api, token = make_api_client([Scope.EMPLOYMENTS, Scope.VISITS, Scope.IDENTITY])
    row = client.get("/api/v1/employments/", **bearer(token)).json()["results"][0]
    assert row["passport_number"] == "E12345678"
    assert row["work_permit_number"] == "WP998877"
    assert row["date_of_birth"] == "1990-05-17"
    assert row["work_permit_expires"] == "2027-03-01"
    visit = client.get("/api/v1/visits/", **bearer(token)).json()["results"][0]
    assert visit["passport_number"] == "C01X00T47"


def test_credit_endpoint_hides_records_that_never_took_effect(client, make_api_client, register):
    from apps.credit.models import RecordStatus
    from tests.credit.factories import restriction_create

    proposed = restriction_create(teacher=register["teacher"], status=RecordStatus.PROPOSED)
    _api, token = make_api_client([Scope.CREDIT])
    codes = {
        row["record_id"]
        for row in client.get("/api/v1/credit-records/", **bearer(token)).json()["results"]
    }
    assert codes == {str(register["record"].code)}
    assert (
        client.get(f"/api/v1/credit-records/{proposed.code}/", **bearer(token)).status_code == 404
    )


def test_statistics_for_a_district_and_bad_parameters(client, make_api_client, register):
    _api, token = make_api_client([Scope.STATISTICS])
    body = client.get("/api/v1/statistics/?district=330106&year=2026", **bearer(token)).json()
    assert body["jurisdiction"] == "330106" and body["year"] == 2026
    headline = {figure["key"]: figure for figure in body["headline"]}
    assert "teachers" in headline
    assert client.get("/api/v1/statistics/?district=nope", **bearer(token)).status_code == 400
    assert client.get("/api/v1/statistics/?year=19", **bearer(token)).status_code == 400


def test_every_request_is_audited_with_rows_returned(client, make_api_client, register):
    api, token = make_api_client([Scope.EMPLOYMENTS])
    client.get("/api/v1/employments/?page_size=5", **bearer(token))
    client.get("/api/v1/visits/", **bearer(token))
    logs = list(ApiRequestLog.objects.filter(client=api).order_by("id"))
    assert [(log.endpoint, log.method, log.status_code, log.rows) for log in logs] == [
        ("/api/v1/employments/", "GET", 200, 1),
        ("/api/v1/visits/", "GET", 403, 0),
    ]
    assert logs[0].query == "page_size=5"
    assert logs[0].ip_address == "127.0.0.1"


def test_docs_page_and_schema_are_served_locally(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/employments/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()
    assert "/api/v1/docs/?script=" in html  # the set-up script is a file, not inline (CSP)
    assert client.get("/api/v1/redoc/").url == "/api/v1/docs/"
