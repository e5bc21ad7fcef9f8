"""The list filtered by status and ordered by a date: read in the index's order, no sort."""

from django.db import migrations

INDEXES = {
    "cases_case_status_opened_on": "cases_case (status_id, opened_on, id)",
    "cases_case_status_last_contact_on": "cases_case (status_id, last_contact_on, id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0011_list_index_ties"),
    ]

    operations = [
        migrations.RunSQL(
            [f"CREATE INDEX IF NOT EXISTS {name} ON {columns}"
             for name, columns in INDEXES.items()],
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        ),
    ]
