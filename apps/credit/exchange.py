"""Exchange with the city credit platform (信用杭州): export records, preview and apply imports.

Field names are stable and close to the national credit publication formats; the schema file
(`EXCHANGE_SCHEMA`) documents them. Commendations and restrictions travel in separate files.
Imported rows become *proposed* records: a second center user approves them as usual.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core.fields import keyed_hash

from .models import CreditRecord, Grounds, RecordKind, RecordStatus

# Platform list names for the two files (the platform's own vocabulary).
LIST_TYPES = {RecordKind.COMMENDATION: "red_list", RecordKind.NEGATIVE: "black_list"}
ID_PASSPORT = "passport"
ID_USCC = "unified_social_credit_code"
FIELDS = [
    ("record_id", "string", "Portal record code (UUID)."),
    ("list_type", "string", "red_list (commendation) or black_list (restriction)."),
    ("subject_name", "string", "Name of the person or school."),
    ("subject_type", "string", "natural_person or legal_person."),
    ("id_type", "string", "passport or unified_social_credit_code."),
    ("id_number", "string", "Passport number or the school's unified social credit code."),
    ("grounds", "string", "Grounds code: " + ", ".join(Grounds.values) + "."),
    ("grounds_text", "string", "Grounds in words (required for other)."),
    ("severity", "string", "minor, general or serious (restrictions only)."),
    ("facts", "string", "The facts found."),
    ("basis", "string", "Legal basis of the decision."),
    ("decision_date", "date", "YYYY-MM-DD."),
    ("start_date", "date", "YYYY-MM-DD."),
    ("display_until", "date", "YYYY-MM-DD."),
    ("determining_unit", "string", "Unit that made the decision."),
    ("determining_unit_code", "string", "Its unified social credit code."),
    ("data_source", "string", "Where the record comes from."),
    ("status", "string", "Portal status (export only)."),
    ("remarks", "string", "Remarks."),
]
FIELD_NAMES = [name for name, _type, _doc in FIELDS]
REQUIRED = {
    "list_type",
    "subject_name",
    "id_type",
    "id_number",
    "grounds",
    "facts",
    "decision_date",
    "start_date",
    "display_until",
    "determining_unit",
}
EXCHANGE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Hangzhou foreign teacher credit records",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            name: {
                "type": "string",
                "description": doc,
                **({"format": "date"} if kind == "date" else {}),
            }
            for name, kind, doc in FIELDS
        },
        "required": sorted(REQUIRED),
        "additionalProperties": False,
    },
}


def export_rows(*, kind: str, since: date) -> list[dict[str, str]]:
    """Return active records of the kind, and those changed since the date, as platform rows."""
    records = (
        CreditRecord.objects.filter(kind=kind)
        .filter(Q(status=RecordStatus.ACTIVE) | Q(updated_at__date__gte=since))
        .exclude(status=RecordStatus.PROPOSED)
        .select_related("teacher", "school")
        .order_by("decision_date", "id")
    )
    rows = []
    for record in records:
        if record.teacher_id:
            subject, subject_type = record.teacher.legal_name, "natural_person"
            id_type, id_number = ID_PASSPORT, record.teacher.passport_number
        else:
            subject, subject_type = str(record.school.name), "legal_person"
            id_type, id_number = ID_USCC, record.school.licence_number
        rows.append(
            {
                "record_id": str(record.code),
                "list_type": LIST_TYPES[record.kind],
                "subject_name": subject,
                "subject_type": subject_type,
                "id_type": id_type,
                "id_number": id_number,
                "grounds": record.grounds,
                "grounds_text": record.grounds_other or str(Grounds(record.grounds).label),
                "severity": record.severity,
                "facts": record.facts,
                "basis": record.basis,
                "decision_date": record.decision_date.isoformat(),
                "start_date": record.starts_on.isoformat(),
                "display_until": record.display_until.isoformat(),
                "determining_unit": record.determining_unit,
                "determining_unit_code": record.determining_unit_code,
                "data_source": record.data_source,
                "status": record.status,
                "remarks": record.remarks,
            }
        )
    return rows


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    teacher: Any = None
    school: Any = None

    @property
    def subject(self):
        return self.teacher or self.school

    @property
    def applicable(self) -> bool:
        return not self.errors and not self.conflicts


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    file_errors: list[str]

    @property
    def applicable(self) -> list[ImportRow]:
        return [] if self.file_errors else [row for row in self.rows if row.applicable]


def _read(upload_name: str, content: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    text = content.decode("utf-8-sig")
    if upload_name.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return [], [_("The file is not valid JSON (line %(line)s).") % {"line": exc.lineno}]
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            return [], [_("The JSON file must hold a list of records.")]
        columns = set().union(*(item.keys() for item in data)) if data else set()
        rows = [
            (index + 1, {k: str(v or "") for k, v in item.items()})
            for index, item in enumerate(data)
        ]
    else:
        reader = csv.DictReader(io.StringIO(text))
        columns = set(reader.fieldnames or [])
        rows = [
            (index + 2, {k: (v or "") for k, v in row.items() if k})
            for index, row in enumerate(reader)
        ]
    unknown = sorted(columns - set(FIELD_NAMES))
    missing = sorted(REQUIRED - columns) if rows else []
    errors = []
    if unknown:
        errors.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if missing:
        errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return rows, errors


def _date(row: ImportRow, name: str) -> date | None:
    value = row.values.get(name, "").strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        row.errors.append(
            _("“%(field)s” is not a date (YYYY-MM-DD): %(value)s") % {"field": name, "value": value}
        )
        return None


def import_preview(*, name: str, content: bytes) -> ImportPreview:
    """Check an import file row by row without writing anything (matches, conflicts, errors)."""
    from apps.schools.models import School
    from apps.teachers.models import Teacher

    from .services.records import credit_record_check

    try:
        raw_rows, file_errors = _read(name, content)
    except UnicodeDecodeError:
        return ImportPreview([], [_("The file must be UTF-8 text (CSV or JSON).")])
    rows = [ImportRow(line, values) for line, values in raw_rows]
    if file_errors:
        return ImportPreview(rows, file_errors)
    for row in rows:
        v = {k: (val or "").strip() for k, val in row.values.items()}
        for required in sorted(REQUIRED):
            if not v.get(required):
                row.errors.append(_("“%(field)s” is empty.") % {"field": required})
        kind = {"red_list": RecordKind.COMMENDATION, "black_list": RecordKind.NEGATIVE}.get(
            v.get("list_type", "")
        )
        if v.get("list_type") and kind is None:
            row.errors.append(_("Unknown list type: %(value)s") % {"value": v["list_type"]})
        decision, start, until = (
            _date(row, n) for n in ("decision_date", "start_date", "display_until")
        )
        if v.get("id_type") == ID_PASSPORT and v.get("id_number"):
            row.teacher = Teacher.objects.filter(
                passport_number_hash=keyed_hash(v["id_number"])
            ).first()
            if row.teacher is None:
                row.conflicts.append(_("No teacher with this passport number."))
        elif v.get("id_type") == ID_USCC and v.get("id_number"):
            row.school = School.objects.filter(licence_number=v["id_number"]).first()
            if row.school is None:
                row.conflicts.append(_("No school with this unified social credit code."))
        elif v.get("id_type"):
            row.errors.append(_("Unknown ID type: %(value)s") % {"value": v["id_type"]})
        if row.errors or kind is None:
            continue
        try:
            credit_record_check(
                teacher=row.teacher,
                school=row.school,
                kind=kind,
                severity=v.get("severity", "") if kind == RecordKind.NEGATIVE else "",
                grounds=v["grounds"] if v["grounds"] in Grounds.values else "",
                grounds_other=v.get("grounds_text", "") if v["grounds"] == Grounds.OTHER else "",
                facts=v["facts"],
                basis=v.get("basis", ""),
                remarks=v.get("remarks", ""),
                determining_unit=v["determining_unit"],
                starts_on=start,
                display_until=until,
            )
        except ValidationError as exc:
            if row.subject is not None:
                row.errors.extend(exc.messages)
        if row.subject is not None and not row.errors:
            subject = {"teacher": row.teacher} if row.teacher else {"school": row.school}
            same = CreditRecord.objects.filter(
                kind=kind, grounds=v["grounds"], decision_date=decision, **subject
            ).exclude(status=RecordStatus.WITHDRAWN)
            if same.exists():
                row.conflicts.append(_("A record with these grounds and decision date exists."))
            name_on_file = row.teacher.legal_name if row.teacher else str(row.school.name)
            if name_on_file.casefold() != v["subject_name"].casefold():
                row.conflicts.append(
                    _("The name differs from ours: %(ours)s.") % {"ours": name_on_file}
                )
    return ImportPreview(rows, [])
