"""Bulk writes for seeding and matching results.

The one place where PostgreSQL and SQLite take different code paths: on PostgreSQL rows go
through COPY (plain inserts) or execute_values (upserts); elsewhere through Django's
bulk_create. Callers pass plain dicts of column values and never see the difference.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from django.db import connections, models, router

BATCH_SIZE = 5_000
COPY_CHUNK = 1 << 20  # characters handed to the server per read while copying


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


# COPY's text format: a backslash, tab, newline or carriage return inside a value is written
# as an escape; anything else goes through as it is (unlike CSV, which quotes every value
# holding a comma or a quote and doubles its quotes: every JSON value).
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_NULL = r"\N"


class JSONText(str):
    """A JSON value already encoded (built from arrays, say); bulk_insert stores it as it is.

    On PostgreSQL the text goes straight into COPY; elsewhere it is decoded for bulk_create.
    """


def _copy_text_value(value: Any) -> str:
    # psycopg2 adapts JSON via its Json wrapper; COPY needs the plain text.
    adapted = getattr(value, "adapted", value)
    if isinstance(adapted, dict | list):
        adapted = json.dumps(adapted)
    elif isinstance(adapted, bool):
        return "t" if adapted else "f"
    return str(adapted).translate(_COPY_ESCAPES)


# Exact classes only: subclasses (encrypted text, keyed hashes, countries, translated fields)
# may change the value in get_prep_value and must take the generic path.
_INTEGER_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
    }
)
_TEXT_FIELDS = frozenset({models.CharField, models.TextField})
_FOREIGN_KEYS = frozenset({models.ForeignKey, models.OneToOneField})

ColumnConverter = Callable[[list[Any]], list[str]]


def _generic_cell(field: models.Field, connection) -> Callable[[Any], str]:
    prep = field.get_db_prep_save

    def convert(value: Any) -> str:
        value = prep(value, connection)
        return COPY_NULL if value is None else _copy_text_value(value)

    return convert


def _column_converter(field: models.Field, connection) -> ColumnConverter:
    """Return a function turning one column's values into COPY text, as the ORM stores them.

    Common types take a shortcut for the plain values callers pass (int, bool, Decimal, str,
    JSON); any other value, and every other field type, goes through get_db_prep_save.
    """
    slow = _generic_cell(field, connection)
    kind = type(field)
    if kind in _FOREIGN_KEYS:
        kind = type(field.target_field)
    null = COPY_NULL
    escapes = _COPY_ESCAPES
    if kind in _INTEGER_FIELDS:
        return lambda values: [
            str(v) if v.__class__ is int else null if v is None else slow(v) for v in values
        ]
    if kind is models.BooleanField:
        return lambda values: [
            "t" if v is True else "f" if v is False else null if v is None else slow(v)
            for v in values
        ]
    if kind is models.DecimalField:
        # Django 5.2 hands PostgreSQL the Decimal unrounded and numeric(p, s) rounds it
        # (half away from zero), so the text must not be quantized here.
        return lambda values: [
            str(v) if v.__class__ is Decimal and v.is_finite() else null if v is None else slow(v)
            for v in values
        ]
    if kind is models.JSONField:
        dumps = json.JSONEncoder().encode if field.encoder is None else field.encoder().encode
        return lambda values: [
            null if v is None else (v if v.__class__ is JSONText else dumps(v)).translate(escapes)
            for v in values
        ]
    if kind in _TEXT_FIELDS:
        # str subclasses (TextChoices members) are stored as their text, as the ORM does.
        return lambda values: [
            str(v).translate(escapes) if isinstance(v, str) else null if v is None else slow(v)
            for v in values
        ]
    return lambda values: [slow(v) for v in values]


def _column_values(batch: list[dict[str, Any]], field: models.Field) -> list[Any]:
    # Rows may name a foreign key by its column ("school_id"), as bulk_create needs on SQLite.
    key = field.attname if field.attname in batch[0] else field.name
    try:
        return list(map(itemgetter(key), batch))
    except KeyError:
        return [row[field.attname if field.attname in row else field.name] for row in batch]


def bulk_insert(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, batch_size: int = BATCH_SIZE
) -> int:
    """Insert many rows (dicts with the same keys); return how many were written.

    `rows` may be a generator, but not one reading the same database lazily (a queryset's
    `.iterator()`): on PostgreSQL the rows stream into a COPY that holds the connection.
    """
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _pg_copy_all(model, _batches(rows, batch_size), connection)
    written = 0
    for batch in _batches(rows, batch_size):
        model.objects.using(using).bulk_create([model(**_decoded(row)) for row in batch])
        written += len(batch)
    return written


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    # bulk_create encodes JSON itself: give it back the value an encoded JSONText stands for.
    if not any(value.__class__ is JSONText for value in row.values()):
        return row
    return {
        name: json.loads(value) if value.__class__ is JSONText else value
        for name, value in row.items()
    }


def _copy_text(fields: list[models.Field], batch: list[dict[str, Any]], connection) -> str:
    """Render the batch in COPY's text format, converting one column at a time."""
    columns = [
        _column_converter(field, connection)(_column_values(batch, field)) for field in fields
    ]
    # Every cell is already text: joining in C is several times faster than a CSV writer.
    return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


class _TextStream:
    """The file object COPY reads: read(size) over an iterator of text pieces, taken lazily."""

    def __init__(self, pieces: Iterator[str]) -> None:
        self._pieces = pieces
        self._rest = ""
        # psycopg2 reports an exception raised in read() as a cancelled COPY; keep the real one.
        self.error: Exception | None = None

    def read(self, size: int = -1) -> str:
        if not self._rest:
            try:
                self._rest = next(self._pieces, "")  # "" tells COPY the data ended
            except Exception as error:
                self.error = error
                raise
        if size < 0 or len(self._rest) <= size:
            piece, self._rest = self._rest, ""
        else:
            piece, self._rest = self._rest[:size], self._rest[size:]
        return piece


def _pg_copy_all(model, batches: Iterator[list[dict[str, Any]]], connection) -> int:
    # One COPY for every batch, rendered only when the server asks for more: PostgreSQL stores
    # the rows already sent while this process renders the next batch, where a COPY per batch
    # would wait for each to be stored before rendering the next.
    first = next(batches, None)
    if first is None:
        return 0
    names = list(first[0])
    fields = _columns(model, names)
    written = 0

    def pieces() -> Iterator[str]:
        nonlocal written
        for batch in chain([first], batches):
            if list(batch[0]) != names:
                raise ValueError("bulk_insert rows must all have the same keys")
            written += len(batch)
            yield _pg_copy(model, fields, batch, connection)

    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    stream = _TextStream(pieces())
    with connection.cursor() as cursor:
        try:
            # COPY_CHUNK is positional: Django's debug cursor wrapper passes only *args through.
            cursor.copy_expert(
                f"COPY {table} ({columns}) FROM STDIN",  # noqa: S608
                stream,
                COPY_CHUNK,
            )
        except Exception:  # psycopg2's own error class: Django does not wrap copy_expert
            if stream.error is not None:
                raise stream.error from None
            raise
    return written


def _pg_copy(model, fields, batch, connection) -> str:
    """Return one batch of `model` rows as the COPY text the stream sends next."""
    return _copy_text(fields, batch, connection)


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
