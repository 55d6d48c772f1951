import re

from django.db import migrations, models

# The notes the system wrote as text before they were stored as codes, in both languages as
# they were written then (frozen here: later catalogue changes must not change this mapping).
NOTES = {
    "interview_proposed": (r"Please choose an interview time\.", r"请选择面试时间。"),
    "reply_by": (r"Please reply by (?P<date>\S+)\.", r"请于 (?P<date>\S+) 前答复。"),
    "offer_lapsed": (
        r"The offer lapsed: no reply by (?P<reply_by>\S+)\.",
        r"录用通知已失效：未在 (?P<reply_by>\S+) 前答复。",
    ),
    "withdrawn_by_teacher": (r"Withdrawn by the teacher\.", r"外教已撤回。"),
}
PATTERNS = [
    (code, re.compile(rf"^{pattern}$")) for code, texts in NOTES.items() for pattern in texts
]


def notes_to_codes(apps, schema_editor):
    event_model = apps.get_model("applications", "ApplicationEvent")
    changed = []
    for event in event_model.objects.exclude(note="").only("pk", "note").iterator():
        for code, pattern in PATTERNS:
            match = pattern.match(event.note.strip())
            if match:
                event.note_code, event.note_params, event.note = code, match.groupdict(), ""
                changed.append(event)
                break
    event_model.objects.bulk_update(changed, ["note", "note_code", "note_params"], batch_size=500)


def codes_to_notes(apps, schema_editor):
    event_model = apps.get_model("applications", "ApplicationEvent")
    english = {
        "interview_proposed": "Please choose an interview time.",
        "reply_by": "Please reply by %(date)s.",
        "offer_lapsed": "The offer lapsed: no reply by %(reply_by)s.",
        "withdrawn_by_teacher": "Withdrawn by the teacher.",
    }
    changed = []
    for event in event_model.objects.exclude(note_code="").iterator():
        text = english.get(event.note_code, event.note_code)
        event.note = " ".join(filter(None, [text % (event.note_params or {}), event.note]))
        changed.append(event)
    event_model.objects.bulk_update(changed, ["note"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_center_staff_permissions")]

    operations = [
        migrations.AddField(
            model_name="applicationevent",
            name="note_code",
            field=models.CharField(
                blank=True, db_default="", max_length=40, verbose_name="system note"
            ),
        ),
        migrations.AddField(
            model_name="applicationevent",
            name="note_params",
            field=models.JSONField(
                blank=True, db_default={}, default=dict, verbose_name="system note values"
            ),
        ),
        migrations.AlterField(
            model_name="applicationevent",
            name="note",
            field=models.TextField(
                blank=True, help_text="As a person typed it.", verbose_name="note"
            ),
        ),
        migrations.RunPython(notes_to_codes, codes_to_notes, elidable=True),
    ]
