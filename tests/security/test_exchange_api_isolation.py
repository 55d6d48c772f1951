"""The partner API: each client sees only its scopes' datasets and its own export jobs."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.objects import build_world

DETAIL = {
    "exchange_api:employment-detail": ("employment_x", "employments"),
    "exchange_api:school-detail": ("school_a", "schools"),
    "exchange_api:visit-detail": ("visit_a", "visits"),
    "exchange_api:credit-record-detail": ("record_x", "credit"),
}


@pytest.mark.django_db
def test_api_clients_see_their_scopes_and_their_own_exports():
    _actors, objects = build_world()
    full = Client(HTTP_AUTHORIZATION=f"Bearer {objects['api_token']}")
    schools_only = Client(HTTP_AUTHORIZATION=f"Bearer {objects['other_token']}")
    nobody = Client()
    failures = []
    for name, (key, scope) in DETAIL.items():
        url = reverse(name, kwargs={"code": objects[key].code})
        expected_other = 200 if scope == "schools" else 403
        for label, client, expected in (
            ("full", full, 200),
            ("schools-only", schools_only, expected_other),
            ("no token", nobody, 401),
        ):
            status = client.get(url).status_code
            if status != expected:
                failures.append(f"{name} as {label}: {status}, expected {expected}")
    job = objects["export_job_client"]
    for name in ("exchange_api:export_detail",):
        url = reverse(name, kwargs={"code": job.code})
        if full.get(url).status_code != 200:
            failures.append(f"{name}: the requesting client is refused")
        if schools_only.get(url).status_code != 404:
            failures.append(f"{name}: another client sees the job")
    for name in ("exchange_api:export_file", "exchange_api:export_schema"):
        url = reverse(name, kwargs={"code": job.code})
        if schools_only.get(url).status_code != 404:
            failures.append(f"{name}: another client reaches the file")
    assert not failures, "\n".join(failures)
