"""Fuzz every form a non-staff user submits: never a server error, invalid input never saved.

The fields are read from the rendered page (so new fields are fuzzed without a change here);
hypothesis fills them with hostile text, numbers, dates and empties.
"""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apps.teachers.steps import STEP_SLUGS
from tests.security.objects import build_world
from tests.security.test_isolation_matrix import _client_for, _snapshot

FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
SKIP_FIELDS = {"csrfmiddlewaretoken", "next", "language"}

VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "1900-01-01",
            "3000-12-31",
            "<script>alert(1)</script>",
            '=HYPERLINK("http://evil")',
            "' OR 1=1 --",
            "\x00",
            "𠜎" * 300,
            "on",
            "true",
            "english",
            "primary",
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)


def _pages(objects) -> list[tuple[str, str, str]]:
    """(actor, url, table a saved form would write) for each non-staff form; `url|page` when
    the form is shown on another page than the one it posts to."""
    teacher_steps = [
        ("teacher_y", reverse("teachers:profile_step", kwargs={"slug": slug}), "teachers_teacher")
        for slug in STEP_SLUGS
    ]
    return [
        *teacher_steps,
        ("teacher_y", reverse("accounts:preferences"), "accounts_user"),
        (
            "teacher_y",
            reverse("applications:apply", kwargs={"code": objects["vacancy_a"].code})
            + "|"
            + reverse("vacancies:detail", kwargs={"code": objects["vacancy_a"].code}),
            "applications_application",
        ),
        ("school_a", reverse("vacancies:create"), "vacancies_vacancy"),
        ("school_a", reverse("schools:partner_create"), "schools_partnerschool"),
        ("school_a", reverse("schools:staff_invite"), "schools_schoolinvitation"),
        ("anonymous", reverse("schools:register"), "schools_school"),
    ]


def _fields(client: Client, url: str) -> list[str]:
    page = client.get(url.split("|")[-1])
    names = sorted(set(FIELD.findall(page.content.decode())) - SKIP_FIELDS)
    return names


@pytest.mark.django_db
def test_non_staff_forms_survive_hostile_input(record_property):
    actors, objects = build_world()
    clients = {name: _client_for(user) for name, user in actors.items()}
    pages = _pages(objects)
    tried = {"posts": 0, "rejected": 0}

    fields = {url: _fields(clients[actor][0], url) for actor, url, _table in pages}
    empty = [url for url, names in fields.items() if not names]
    assert not empty, f"no form fields found on {empty}"

    @settings(
        max_examples=80,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(page=st.sampled_from(pages), data=st.data())
    def post(page, data):
        actor, url, table = page
        client, token = clients[actor]
        values = {name: data.draw(VALUES, label=name) for name in fields[url]}
        with transaction.atomic():
            before = _snapshot(table)
            response = client.post(url.split("|")[0], values, HTTP_X_CSRFTOKEN=token)
            tried["posts"] += 1
            assert response.status_code < 500, (url, values)
            if response.status_code in (200, 400):
                # The form came back with errors: nothing may have been written.
                tried["rejected"] += 1
                assert _snapshot(table) == before, (url, values)
            transaction.set_rollback(True)

    post()
    record_property(
        "security_figure",
        f"fuzzing: {len(pages)} forms, {tried['posts']} hostile posts, "
        f"{tried['rejected']} turned back, 0 server errors",
    )
