"""Turn every black-list entry into a credit record (a restriction) and keep its evidence."""

import mimetypes
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import migrations
from django.utils import timezone

CENTER = "Hangzhou Foreign Teacher Resource Service Center"
SERIOUS_MAX_MONTHS = 36  # PolicySettings default; entries without an end get the longest period
DELETE_AFTER_YEARS = 5


def _severity(starts_on: date, ends_on: date | None) -> str:
    if ends_on is None or ends_on > starts_on + relativedelta(months=12):
        return "serious"
    if ends_on > starts_on + relativedelta(months=3):
        return "general"
    return "minor"


def forwards(apps, schema_editor):
    BlackListEntry = apps.get_model("credit", "BlackListEntry")
    CreditRecord = apps.get_model("credit", "CreditRecord")
    CreditFile = apps.get_model("credit", "CreditFile")
    today = timezone.localdate()
    for entry in BlackListEntry.objects.order_by("id").iterator():
        display_until = entry.ends_on or entry.starts_on + relativedelta(months=SERIOUS_MAX_MONTHS)
        ended = display_until < today
        record = CreditRecord.objects.create(
            code=entry.code,
            teacher_id=entry.teacher_id,
            school_id=entry.school_id,
            kind="negative",
            severity=_severity(entry.starts_on, entry.ends_on),
            grounds="other",
            grounds_other="Entry of the former black list",
            facts=entry.reason,
            determining_unit=CENTER,
            decision_date=entry.starts_on,
            starts_on=entry.starts_on,
            display_until=display_until,
            data_source="black list",
            status="expired" if ended else "active",
            # The black list was kept by center staff before four eyes existed.
            approved_by_id=entry.created_by_id,
            approved_at=entry.created_at,
            activated_at=entry.created_at,
            ended_on=display_until if ended else None,
            delete_after=(
                display_until + relativedelta(years=DELETE_AFTER_YEARS) if ended else None
            ),
        )
        if entry.evidence:
            name = entry.evidence.name
            try:
                size = entry.evidence.size
            except OSError:
                size = 0
            CreditFile.objects.create(
                record=record,
                purpose="evidence",
                file=name,
                original_name=name.rsplit("/", 1)[-1],
                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                size=size,
                sha256=entry.evidence_sha256,
                uploaded_by_id=entry.created_by_id,
            )


def backwards(apps, schema_editor):
    BlackListEntry = apps.get_model("credit", "BlackListEntry")
    CreditRecord = apps.get_model("credit", "CreditRecord")
    for record in CreditRecord.objects.filter(kind="negative", data_source="black list"):
        BlackListEntry.objects.get_or_create(
            code=record.code,
            defaults={
                "teacher_id": record.teacher_id,
                "school_id": record.school_id,
                "reason": record.facts,
                "starts_on": record.starts_on,
                "ends_on": record.display_until,
                "created_by_id": record.approved_by_id,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0005_credit_records")]

    operations = [migrations.RunPython(forwards, backwards)]
