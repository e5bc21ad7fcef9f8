"""Name keys again (issue 14): Belarusian, Ukrainian and West Slavic spellings, and the coarse
keys (marked ~) that the name search falls back on when the ordinary keys find too little.

Every name's keys are written again from `pompolit.names.search_keys`. On PostgreSQL the
coarse keys also get a trigram index (pg_trgm), for keys *near* a query's; where the extension
cannot be created (no rights, not installed) the migration goes on without it and the search
uses the prefix blocking it uses on SQLite (`cases.search.fuzzy`).
"""

from typing import Any

from django.db import DatabaseError, migrations, transaction

BATCH = 2000
TRIGRAM_INDEX = "cases_namekey_coarse_trgm"


def index_names_again(apps: Any, schema_editor: Any) -> None:
    from pompolit.names import Name, search_keys

    person_name = apps.get_model("cases", "PersonName")
    name_key = apps.get_model("cases", "NameKey")
    last = 0
    while True:
        rows = list(
            person_name.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "person_id", "surname", "given", "patronymic")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        name_key.objects.filter(name_id__in=[row[0] for row in rows]).delete()
        name_key.objects.bulk_create(
            name_key(name_id=pk, person_id=person_id, key=key)
            for pk, person_id, *parts in rows
            for key in sorted(search_keys(Name(*parts)))
        )


def trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON cases_namekey "
                "USING gin (key gin_trgm_ops) WHERE key LIKE '~%%'"
            )
    except DatabaseError:
        pass  # no pg_trgm here: the search blocks on prefixes instead


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_aid_delivery_event_types"),
    ]

    operations = [
        migrations.RunPython(index_names_again, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
