"""Bulk export files: the API's rows as CSV or JSON Lines, with a JSON Schema beside them."""

import io
import json
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from apps.core.exports import SafeCsvWriter

from .api.pagination import sync_window
from .api.serializers import SERIALIZERS
from .models import ExportFormat, ExportJob
from .scopes import Scope
from .selectors import dataset_queryset

CHUNK = 1000
FIELD_TYPES = [
    (serializers.UUIDField, {"type": "string", "format": "uuid"}),
    (serializers.DateTimeField, {"type": "string", "format": "date-time"}),
    (serializers.DateField, {"type": "string", "format": "date"}),
    (serializers.IntegerField, {"type": "integer"}),
    (serializers.BooleanField, {"type": "boolean"}),
    (serializers.DecimalField, {"type": "string", "format": "decimal"}),
]
OPENAPI_TYPES = {
    OpenApiTypes.UUID: {"type": "string", "format": "uuid"},
    OpenApiTypes.DATE: {"type": "string", "format": "date"},
    OpenApiTypes.STR: {"type": "string"},
}


def _field_schema(field) -> dict:
    if isinstance(field, serializers.ListSerializer):
        return {"type": "array", "items": serializer_schema(field.child)}
    if isinstance(field, serializers.SerializerMethodField):
        method = getattr(field.parent, field.method_name)
        annotation = getattr(method, "_spectacular_annotation", {}).get("field")
        if annotation in OPENAPI_TYPES:
            schema = dict(OPENAPI_TYPES[annotation])
        elif method.__annotations__.get("return") == list[str]:
            schema = {"type": "array", "items": {"type": "string"}}
        else:
            schema = {"type": "string"}
    else:
        schema = next(
            (dict(kind) for cls, kind in FIELD_TYPES if isinstance(field, cls)),
            {"type": "string"},
        )
    if field.help_text:
        schema["description"] = str(field.help_text)
    return schema


def serializer_schema(serializer) -> dict:
    """Return the JSON Schema of one row of a serializer (every field present, maybe null)."""
    fields = serializer.fields
    return {
        "type": "object",
        "properties": {name: _field_schema(field) for name, field in fields.items()},
        "required": list(fields),
        "additionalProperties": False,
    }


def dataset_schema(*, dataset: str, format: str, scopes: list[str]) -> dict:
    """Return the schema document shipped beside an export file."""
    row = serializer_schema(SERIALIZERS[dataset]())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Hangzhou foreign teacher network: {dataset}",
        "description": (
            "One object per line (JSON Lines)."
            if format == ExportFormat.JSONL
            else "CSV, UTF-8 with BOM; columns in the order of `properties`; arrays and "
            "objects are JSON text in their cell; a cell a spreadsheet would read as a formula "
            "starts with an apostrophe."
        ),
        "x-identity-numbers": "clear" if Scope.IDENTITY in scopes else "masked",
        **row,
    }


def _rows(job: ExportJob):
    """Yield the serialized rows of the job's dataset in sync order, a chunk at a time."""
    serializer_class = SERIALIZERS[job.dataset]
    context = {"scopes": job.scopes}
    until = timezone.now() - timedelta(seconds=settings.EXCHANGE_SYNC_SETTLE_SECONDS)
    queryset = dataset_queryset(job.dataset)
    after = None
    while True:
        chunk = list(
            sync_window(queryset, since=job.updated_since, until=until, after=after)[:CHUNK]
        )
        if not chunk:
            return
        yield from serializer_class(chunk, many=True, context=context).data
        after = (chunk[-1].sync_at, chunk[-1].pk)


def _cell(value):
    # Nested values (an employment's changes) travel as JSON text in one cell.
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, cls=JSONEncoder)
    return value


def export_write(job: ExportJob) -> int:
    """Write the job's data file and schema file to private storage; return the row count."""
    fields = list(SERIALIZERS[job.dataset]().fields)
    count = 0
    with tempfile.TemporaryFile(mode="w+b") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        if job.format == ExportFormat.CSV:
            text.write("\ufeff")  # BOM: Excel opens UTF-8 Chinese correctly only with it
            writer = SafeCsvWriter(text)
            writer.writerow(fields)
            for row in _rows(job):
                writer.writerow([_cell(row[name]) for name in fields])
                count += 1
        else:
            for row in _rows(job):
                text.write(json.dumps(row, ensure_ascii=False, cls=JSONEncoder) + "\n")
                count += 1
        text.flush()
        raw.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        job.file.save(f"{job.dataset}-{stamp}.{job.format}", File(raw), save=False)
        text.detach()
    schema = dataset_schema(dataset=job.dataset, format=job.format, scopes=job.scopes)
    job.schema_file.save(
        f"{job.dataset}-{stamp}.schema.json",
        ContentFile(json.dumps(schema, ensure_ascii=False, indent=2).encode()),
        save=False,
    )
    return count
