from django.db import migrations, models

# The notes the system wrote as text before they were stored as codes, in both languages as
# they were written then (frozen here: later catalogue changes must not change this mapping).
NOTES = {
    "key_terms_changed": (
        "Subjects, dates, salary, hours or posts changed: approval needed again.",
        "学科、日期、薪酬、课时或岗位数已修改，需要重新审核。",
    ),
    "withdrawn_by_school": ("Withdrawn by the school.", "学校已撤回。"),
    "closed_by_school": ("Closed by the school.", "学校已关闭。"),
    "start_passed": ("The contract start date passed.", "合同开始日期已过。"),
    "all_posts_filled": ("Every post is filled.", "岗位已全部招满。"),
}
CODES = {text: code for code, texts in NOTES.items() for text in texts}


def notes_to_codes(apps, schema_editor):
    event_model = apps.get_model("vacancies", "VacancyEvent")
    changed = []
    for event in event_model.objects.filter(note__in=list(CODES)).only("pk", "note").iterator():
        event.note_code, event.note = CODES[event.note], ""
        changed.append(event)
    event_model.objects.bulk_update(changed, ["note", "note_code"], batch_size=500)


def codes_to_notes(apps, schema_editor):
    event_model = apps.get_model("vacancies", "VacancyEvent")
    changed = []
    for event in event_model.objects.exclude(note_code="").iterator():
        text = NOTES.get(event.note_code, (event.note_code,))[0]
        event.note = " ".join(filter(None, [text, event.note]))
        changed.append(event)
    event_model.objects.bulk_update(changed, ["note"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("vacancies", "0002_center_staff_permissions")]

    operations = [
        migrations.AddField(
            model_name="vacancyevent",
            name="note_code",
            field=models.CharField(
                blank=True, db_default="", max_length=40, verbose_name="system note"
            ),
        ),
        migrations.AddField(
            model_name="vacancyevent",
            name="note_params",
            field=models.JSONField(
                blank=True, db_default={}, default=dict, verbose_name="system note values"
            ),
        ),
        migrations.AlterField(
            model_name="vacancyevent",
            name="note",
            field=models.TextField(
                blank=True, help_text="As a person typed it.", verbose_name="note"
            ),
        ),
        migrations.RunPython(notes_to_codes, codes_to_notes, elidable=True),
    ]
