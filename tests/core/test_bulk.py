from datetime import UTC, datetime
from unittest import mock

import pytest
from django.db import connection

from apps.core import bulk
from apps.core.bulk import bulk_insert, bulk_upsert
from tests.testapp.models import BulkRow

ROWS = [
    {
        "key": f"k{i}",
        "amount": i,
        "active": i % 2 == 0,
        "note": None if i % 3 == 0 else f'note, with "quotes"\nand a newline {i}',
        "payload": {"i": i, "tags": ["a", "b"]},
        "recorded_at": datetime(2026, 1, 1, 8, i % 60, tzinfo=UTC),
    }
    for i in range(250)
]


@pytest.mark.django_db
def test_bulk_insert_writes_every_value_faithfully():
    written = bulk_insert(BulkRow, ROWS, batch_size=100)

    assert written == 250
    row = BulkRow.objects.get(key="k7")
    assert (row.amount, row.active) == (7, False)
    assert row.note == 'note, with "quotes"\nand a newline 7'
    assert row.payload == {"i": 7, "tags": ["a", "b"]}
    assert row.recorded_at == datetime(2026, 1, 1, 8, 7, tzinfo=UTC)
    assert BulkRow.objects.get(key="k9").note is None


@pytest.mark.django_db
def test_bulk_upsert_inserts_new_and_updates_existing_rows():
    bulk_insert(BulkRow, ROWS[:10])
    changed = [row | {"amount": row["amount"] * 100} for row in ROWS[5:15]]

    written = bulk_upsert(BulkRow, changed, unique_fields=["key"], update_fields=["amount"])

    assert written == 10
    assert BulkRow.objects.count() == 15
    assert BulkRow.objects.get(key="k4").amount == 4
    assert BulkRow.objects.get(key="k5").amount == 500
    assert BulkRow.objects.get(key="k14").amount == 1400


@pytest.mark.django_db
def test_bulk_upsert_is_idempotent():
    for _ in range(2):
        bulk_upsert(BulkRow, ROWS, unique_fields=["key"], update_fields=["amount", "note"])

    assert BulkRow.objects.count() == 250


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_takes_the_copy_fast_path():
    with mock.patch.object(bulk, "_pg_copy", wraps=bulk._pg_copy) as copy:
        bulk_insert(BulkRow, ROWS, batch_size=100)

    assert connection.vendor == "postgresql"
    assert copy.call_count == 3
    assert BulkRow.objects.count() == 250
    assert BulkRow.objects.get(key="k9").note is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_upsert_uses_execute_values():
    with mock.patch.object(bulk, "_pg_upsert", wraps=bulk._pg_upsert) as upsert:
        bulk_upsert(BulkRow, ROWS, unique_fields=["key"], update_fields=["amount"])

    assert upsert.call_count == 1
    assert BulkRow.objects.count() == 250


@pytest.mark.django_db
def test_bulk_upsert_without_update_fields_leaves_existing_rows_alone():
    bulk_insert(BulkRow, ROWS[:3])
    changed = [row | {"amount": -1} for row in ROWS[:5]]

    bulk_upsert(BulkRow, changed, unique_fields=["key"], update_fields=[])

    assert BulkRow.objects.count() == 5
    assert BulkRow.objects.get(key="k1").amount == 1
    assert BulkRow.objects.get(key="k4").amount == -1


@pytest.mark.django_db
def test_an_encoded_json_value_is_stored_as_the_value_it_encodes():
    rows = [
        ROWS[0] | {"key": "text", "payload": bulk.JSONText('{"a": 0.5, "b": [1, "x\\ny"]}')},
        ROWS[0] | {"key": "dict", "payload": {"a": 0.5, "b": [1, "x\ny"]}},
    ]

    bulk_insert(BulkRow, rows)

    stored = dict(BulkRow.objects.values_list("key", "payload"))
    assert stored["text"] == stored["dict"] == {"a": 0.5, "b": [1, "x\ny"]}


def test_the_copy_stream_hands_out_every_piece_in_order_in_pieces_of_at_most_size():
    stream = bulk._TextStream(iter(["abcdef", "gh", "ijklmnop"]))

    read = []
    while piece := stream.read(4):
        assert len(piece) <= 4
        read.append(piece)

    assert "".join(read) == "abcdefghijklmnop"
    assert stream.read(4) == ""


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_copies_every_batch_in_one_statement_and_refuses_mixed_keys():
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert bulk_insert(BulkRow, ROWS, batch_size=100) == 250
    assert sum("COPY" in query["sql"] for query in queries.captured_queries) == 1

    first = {"key": "m1", "amount": 1, "active": True, "payload": {}}
    mixed = [first, first | {"key": "m2", "note": "an extra column"}]
    with pytest.raises(ValueError, match="same keys"):
        bulk_insert(BulkRow, mixed, batch_size=1)
