"""The distinct coarse keys (issue 14): one row per coarse key string (`CoarseKey`), filled from
the stored name keys, for the fuzzy fallback to look for near keys in a few dozen rows rather
than in every person's copy of them (docs/benchmarks.md, "Name search").

On PostgreSQL the trigram index moves from `cases_namekey` (0015) to the new table; where the
pg_trgm extension is not there (0015 could not create it) the migration goes on without it and
the search blocks on prefixes, as on SQLite (`cases.search.fuzzy`).
"""

from typing import Any

from django.db import DatabaseError, migrations, models, transaction

BATCH = 2000
TRIGRAM_INDEX = "cases_coarsekey_trgm"
OLD_TRIGRAM_INDEX = "cases_namekey_coarse_trgm"


def fill(apps: Any, schema_editor: Any) -> None:
    name_key = apps.get_model("cases", "NameKey")
    coarse_key = apps.get_model("cases", "CoarseKey")
    keys = (
        name_key.objects.filter(key__startswith="~")
        .order_by("key")
        .values_list("key", flat=True)
        .distinct()
    )
    batch: list[str] = []
    for key in keys.iterator(chunk_size=BATCH):
        batch.append(key)
        if len(batch) == BATCH:
            coarse_key.objects.bulk_create([coarse_key(key=k) for k in batch])
            batch = []
    coarse_key.objects.bulk_create([coarse_key(key=k) for k in batch])


def trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON cases_coarsekey "
                "USING gin (key gin_trgm_ops)"
            )
    except DatabaseError:
        return  # no pg_trgm here: the search blocks on prefixes instead
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_TRIGRAM_INDEX}")


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {OLD_TRIGRAM_INDEX} ON cases_namekey "
                "USING gin (key gin_trgm_ops) WHERE key LIKE '~%%'"
            )
    except DatabaseError:
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_public_list_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="CoarseKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, unique=True)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
