"""Bulk writes for seeding and matching results.

The one place where PostgreSQL and SQLite take different code paths: on PostgreSQL rows go
through COPY (plain inserts) or execute_values (upserts); elsewhere through Django's
bulk_create. Callers pass plain dicts of column values and never see the difference.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connections, models, router

BATCH_SIZE = 5_000


def _batches(rows: Iterable[dict[str, Any]], size: int):
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in names]


def _db_values(fields: list[models.Field], row: dict[str, Any], connection) -> list[Any]:
    # Rows may name a foreign key by its column ("school_id"), as bulk_create needs on SQLite.
    return [
        field.get_db_prep_save(
            row[field.attname if field.attname in row else field.name], connection
        )
        for field in fields
    ]


def _copy_value(value: Any) -> Any:
    # psycopg2 adapts JSON via its Json wrapper; COPY needs the plain text.
    adapted = getattr(value, "adapted", value)
    if isinstance(adapted, dict | list):
        import json

        return json.dumps(adapted)
    if isinstance(adapted, bool):
        return "t" if adapted else "f"
    return adapted


def bulk_insert(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, batch_size: int = BATCH_SIZE
) -> int:
    """Insert many rows (dicts with the same keys); return how many were written."""
    using = router.db_for_write(model)
    connection = connections[using]
    written = 0
    for batch in _batches(rows, batch_size):
        fields = _columns(model, list(batch[0]))
        if connection.vendor == "postgresql":
            written += _pg_copy(model, fields, batch, connection)
        else:
            model.objects.using(using).bulk_create([model(**row) for row in batch])
            written += len(batch)
    return written


def _pg_copy(model, fields, batch, connection) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in batch:
        writer.writerow(
            r"\N" if value is None else _copy_value(value)
            for value in _db_values(fields, row, connection)
        )
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",  # noqa: S608
            buffer,
        )
    return len(batch)


def bulk_upsert(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    *,
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
    batch_size: int = BATCH_SIZE,
) -> int:
    """Insert rows or update the named fields where `unique_fields` already exist.

    With no `update_fields`, rows whose unique fields already exist are left untouched.
    """
    using = router.db_for_write(model)
    connection = connections[using]
    written = 0
    for batch in _batches(rows, batch_size):
        if connection.vendor == "postgresql":
            written += _pg_upsert(model, batch, unique_fields, update_fields, connection)
        elif update_fields:
            model.objects.using(using).bulk_create(
                [model(**row) for row in batch],
                update_conflicts=True,
                unique_fields=list(unique_fields),
                update_fields=list(update_fields),
            )
            written += len(batch)
        else:
            # Nothing to update: existing rows stay as they are (link tables, natural keys).
            model.objects.using(using).bulk_create(
                [model(**row) for row in batch], ignore_conflicts=True
            )
            written += len(batch)
    return written


def _pg_upsert(model, batch, unique_fields, update_fields, connection) -> int:
    from psycopg2.extras import execute_values

    fields = _columns(model, list(batch[0]))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ", ".join(quote(f.column) for f in _columns(model, unique_fields))
    updates = ", ".join(
        f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in _columns(model, update_fields)
    )
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    sql = f"INSERT INTO {table} ({columns}) VALUES %s ON CONFLICT ({conflict}) {action}"  # noqa: S608
    values = [_db_values(fields, row, connection) for row in batch]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, values, page_size=len(values))
    return len(batch)
