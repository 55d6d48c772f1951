"""Indexes for the public vacancy search (issue 18).

Partial indexes on published vacancies for the three orders (every database), and on
PostgreSQL trigram GIN indexes on school names, which the keyword search reads as one
semi-join (`icontains` is UPPER(col) LIKE UPPER('%word%'), so the indexes are on the same
expressions). A vacancy's own texts are tested while the order's partial index is walked, so
they need none. SQLite has no pg_trgm: there the semi-join scans; the queries are the same.
"""

from django.db import migrations, models

# (index name, table, indexed expression) for the keyword search of filters.filter_keyword.
TRIGRAM_INDEXES = [
    ("school_name_en_trgm", "schools_school", 'UPPER("name_en"::text)'),
    ("school_name_zh_trgm", "schools_school", 'UPPER("name_zh_hans"::text)'),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0001_initial"),
        ("vacancies", "0005_text_max_lengths"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="vacancy",
            index=models.Index(
                models.OrderBy(models.F("published_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="vacancy_published_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="vacancy",
            index=models.Index(
                models.OrderBy(models.F("salary_max"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="vacancy_published_salary",
            ),
        ),
        migrations.AddIndex(
            model_name="vacancy",
            index=models.Index(
                models.F("contract_start"),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="vacancy_published_start",
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
