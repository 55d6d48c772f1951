"""COPY stores exactly what the ORM would: the same rows written both ways, compared as text.

Each test writes one set of rows with bulk_insert (COPY with per-column converters) and the
same values with Django's own bulk_create, then compares every column as PostgreSQL prints
it, so a difference in rounding, JSON, quoting, time zone or NULL handling shows up.
"""

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.db import connection

from apps.core.bulk import JSONText, bulk_insert
from apps.core.fields import keyed_hash
from apps.matching.models import MatchRun, MatchSuggestion
from apps.teachers.models import Category, DegreeLevel, Teacher, TeacherStatus
from apps.teachers.seed_data import complete_row
from tests.accounts.factories import TeacherUserFactory
from tests.testapp.models import BulkRow, SecretDocument

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SHANGHAI = ZoneInfo("Asia/Shanghai")

TRICKY_TEXT = [
    "comma, \"double quotes\" and 'single'",
    "line one\nline two\r\nline three",
    "tab\there, backslash \\ and \\N inside",
    "汉字 and emoji 🎓",
    "",
    " leading and trailing spaces ",
    '"',
]


def _stored(model, ids, *, skip=()) -> list[tuple]:
    """Every column except `skip`, as PostgreSQL prints it, in id order."""
    columns = [f.column for f in model._meta.concrete_fields if f.column not in {"id", *skip}]
    quote = connection.ops.quote_name
    selected = ", ".join(f"{quote(column)}::text" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM {quote(model._meta.db_table)} "  # noqa: S608
            "WHERE id = ANY(%s) ORDER BY id",
            [list(ids)],
        )
        rows = cursor.fetchall()
    assert rows, "nothing to compare"
    return rows


def _bulk_row(i: int, prefix: str) -> dict:
    return {
        "key": f"{prefix}{i}",
        "amount": [0, -7, 2_147_483_647, True, np.int64(42), 3.9, "15"][i % 7],
        "active": [True, False, np.True_, 1, "f"][i % 5],
        "note": None if i % 4 == 0 else TRICKY_TEXT[i % len(TRICKY_TEXT)],
        "payload": [
            {"name": 'Zoë «quoted» "x"', "lines": "a\nb", "path": "C:\\tmp", "n": None},
            ["list", 1, 2.5, True, None, {"nested": ["汉字"]}],
            {},
            [],
            'a bare string, with "quotes"',
            12.5,
            False,
        ][i % 7],
        "recorded_at": [
            None,
            datetime(2026, 1, 1, 8, 7, 6, 543210, tzinfo=UTC),
            datetime(2026, 6, 30, 23, 59, tzinfo=SHANGHAI),
            datetime(1999, 12, 31, 16, 0, tzinfo=UTC) + timedelta(microseconds=1),
        ][i % 4],
    }


def test_text_json_booleans_and_datetimes_are_stored_as_the_orm_stores_them():
    count = 35
    copied = [_bulk_row(i, "copy-") for i in range(count)]
    bulk_insert(BulkRow, copied, batch_size=10)
    BulkRow.objects.bulk_create([BulkRow(**_bulk_row(i, "orm-")) for i in range(count)])

    copy_ids = BulkRow.objects.filter(key__startswith="copy-").values_list("id", flat=True)
    orm_ids = BulkRow.objects.filter(key__startswith="orm-").values_list("id", flat=True)
    assert len(copy_ids) == count
    assert _stored(BulkRow, copy_ids, skip={"key"}) == _stored(BulkRow, orm_ids, skip={"key"})

    by_key = {row.key: row for row in BulkRow.objects.filter(key__startswith="copy-")}
    assert by_key["copy-1"].note == TRICKY_TEXT[1]
    assert by_key["copy-4"].note is None
    assert by_key["copy-2"].note == TRICKY_TEXT[2]
    assert by_key["copy-4"].payload == 'a bare string, with "quotes"'
    assert by_key["copy-0"].payload["path"] == "C:\\tmp"
    assert (by_key["copy-3"].amount, by_key["copy-3"].active) == (1, True)
    assert (by_key["copy-5"].amount, by_key["copy-5"].active) == (3, True)
    assert by_key["copy-4"].active is False


def _suggestion(run: MatchRun, i: int, score) -> dict:
    return {
        "run_id": run.pk,
        "teacher_id": 1_000 + i,
        "vacancy_id": 50 + i % 3,
        "rank": None if i % 5 == 0 else i % 40 + 1,
        "teacher_rank": i % 3 + 1 if i % 2 else None,
        "score": score,
        "components": {
            code: round(value, 4)
            for code, value in zip(
                ["subject", "level", "district", "salary", "start", "experience", "degree"]
                + ["certificate", "language", "preference", "history"],
                [1.0, 0.0, 0.5, 1 / 3, 2 / 3, 0.1 + 0.2, 1e-05, 123.456789, -0.25, 7.0, 0.3333],
                strict=True,
            )
        },
        "assigned": i % 3 == 0,
    }


SCORES = [
    Decimal("0.125"),  # half: numeric rounds away from zero, Python's default would not
    Decimal("0.135"),
    Decimal("2.675"),
    Decimal("99.994"),
    Decimal("99.995"),
    Decimal("12.3456789"),
    Decimal("1E+1"),
    Decimal("0"),
    Decimal(4_567) / Decimal(100),  # what matching writes
    Decimal("5.10"),
    2.675,  # floats go through DecimalField's own context
    0.1,
    7,
    "33.335",
]


def test_match_suggestions_round_scores_and_keep_components_as_the_orm_does():
    copy_run, orm_run = MatchRun.objects.create(), MatchRun.objects.create()
    bulk_insert(
        MatchSuggestion,
        [_suggestion(copy_run, i, score) for i, score in enumerate(SCORES)],
        batch_size=4,
    )
    MatchSuggestion.objects.bulk_create(
        [MatchSuggestion(**_suggestion(orm_run, i, score)) for i, score in enumerate(SCORES)]
    )

    # No default ordering: it joins vacancies, and these ids point at none.
    copied = MatchSuggestion.objects.filter(run=copy_run).order_by("id")
    stored = MatchSuggestion.objects.filter(run=orm_run).order_by("id")
    assert copied.count() == len(SCORES)
    assert _stored(
        MatchSuggestion, copied.values_list("id", flat=True), skip={"run_id"}
    ) == _stored(MatchSuggestion, stored.values_list("id", flat=True), skip={"run_id"})
    scores = dict(copied.values_list("teacher_id", "score"))
    assert scores[1_000] == Decimal("0.13")
    assert scores[1_002] == Decimal("2.68")
    assert scores[1_004] == Decimal("100.00")
    assert scores[1_010] == Decimal("2.68")
    first = copied.get(teacher_id=1_000)
    assert (first.rank, first.assigned) == (None, True)
    assert first.components["experience"] == 0.3


def test_encoded_json_text_is_stored_like_the_dict_it_encodes():
    payloads = [
        {"name": 'Zoë «quoted» "x"', "lines": "a\nb\tc", "path": "C:\\tmp", "n": None},
        {"subject_fit": 1.0, "salary": 0.333, "start_date": 0.0},
        ["list", 1, 2.5, True, None],
    ]
    copied = [
        {"key": f"text-{i}", "amount": i, "active": True, "payload": JSONText(json.dumps(p))}
        for i, p in enumerate(payloads)
    ]
    bulk_insert(BulkRow, copied)
    BulkRow.objects.bulk_create(
        [BulkRow(key=f"orm-{i}", amount=i, active=True, payload=p) for i, p in enumerate(payloads)]
    )

    text_ids = BulkRow.objects.filter(key__startswith="text-").values_list("id", flat=True)
    orm_ids = BulkRow.objects.filter(key__startswith="orm-").values_list("id", flat=True)
    assert _stored(BulkRow, text_ids, skip={"key"}) == _stored(BulkRow, orm_ids, skip={"key"})
    assert BulkRow.objects.get(key="text-0").payload == payloads[0]


def _teacher(i: int, user_id: int, code: uuid.UUID) -> dict:
    return complete_row(
        Teacher,
        {
            "code": code,
            "user_id": user_id,
            "legal_name": TRICKY_TEXT[i % len(TRICKY_TEXT)],
            "date_of_birth": [date(1990, 5, 17), None, date(1969, 12, 31)][i % 3],
            "gender": "female",
            "nationality": ["GB", "NZ", ""][i % 3],
            "passport_number": f"E{i:07d}",
            "passport_number_hash": keyed_hash(f"E{i:07d}"),
            "category": [Category.IN_SERVICE, Category.INTERN, None][i % 3],
            "degree_level": DegreeLevel.MASTER,
            "degree_is_education": i % 2 == 0,
            "degree_year": [2012, None][i % 2],
            "earliest_start": date(2026, 9, 1) + timedelta(days=i),
            "salary_min": 15_000 + i,
            "status": TeacherStatus.PENDING,
            "completed_steps": ["identity", "education", "documents"][: i % 4],
            "submitted_at": datetime(2026, 3, 1, 9, 30, tzinfo=SHANGHAI) + timedelta(hours=i),
            "created_at": datetime(2026, 2, 1, 0, 0, tzinfo=UTC),
            "updated_at": datetime(2026, 2, 2, 12, 0, tzinfo=SHANGHAI),
        },
    )


def test_teacher_rows_keep_uuids_dates_choices_and_encrypted_numbers():
    count = 6
    users = TeacherUserFactory.create_batch(2 * count)
    codes = [uuid.uuid4() for _ in range(2 * count)]
    bulk_insert(Teacher, [_teacher(i, users[i].pk, codes[i]) for i in range(count)])
    Teacher.objects.bulk_create(
        [Teacher(**_teacher(i, users[count + i].pk, codes[count + i])) for i in range(count)]
    )

    copied = Teacher.objects.filter(code__in=codes[:count]).order_by("id")
    created = Teacher.objects.filter(code__in=codes[count:]).order_by("id")
    # bulk_create stamps created/updated itself; ciphertext is random per write.
    skip = {"code", "user_id", "passport_number", "created_at", "updated_at"}
    assert _stored(Teacher, copied.values_list("id", flat=True), skip=skip) == _stored(
        Teacher, created.values_list("id", flat=True), skip=skip
    )
    assert [str(code) for code in copied.values_list("code", flat=True)] == [
        str(code) for code in codes[:count]
    ]
    teacher = copied.get(code=codes[1])
    assert teacher.passport_number == "E0000001"
    assert teacher.submitted_at == datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    assert teacher.created_at == datetime(2026, 2, 1, 0, 0, tzinfo=UTC)
    assert teacher.updated_at == datetime(2026, 2, 2, 4, 0, tzinfo=UTC)
    assert teacher.date_of_birth is None
    assert str(teacher.nationality) == "NZ"
    assert teacher.completed_steps == ["identity"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM teachers_teacher WHERE id = %s", [teacher.id])
        assert "E0000001" not in cursor.fetchone()[0]


def test_encrypted_text_is_encrypted_and_the_hash_kept_as_given():
    bulk_insert(
        SecretDocument,
        [
            {"holder": 'Ann, "A"', "number": "X 123-45", "number_hash": keyed_hash("X12345")},
            {"holder": "Bo", "number": "", "number_hash": ""},
        ],
    )

    ann = SecretDocument.objects.get(holder='Ann, "A"')
    assert ann.number == "X 123-45"
    assert ann.number_hash == keyed_hash("x12345")
    assert SecretDocument.objects.get(number_hash=keyed_hash("X12345")) == ann
    assert SecretDocument.objects.get(holder="Bo").number == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM testapp_secretdocument WHERE id = %s", [ann.id])
        assert "123" not in cursor.fetchone()[0]


def test_copy_works_through_djangos_debug_cursor():
    from django.test.utils import CaptureQueriesContext

    # DEBUG (and query capture) wraps cursors in CursorDebugWrapper, whose copy_expert differs.
    with CaptureQueriesContext(connection):
        bulk_insert(BulkRow, [_bulk_row(i, "debug-") for i in range(3)])

    assert BulkRow.objects.filter(key__startswith="debug-").count() == 3
