"""Indexes for the case list's orderings and filters (see cases/fulltext.py LIST_INDEXES):
the first page walks the priorities, each sorted by name; other orderings scan an index."""

from django.db import migrations

INDEXES = {
    "cases_case_priority": "cases_case (priority, compartment_id)",
    "cases_case_status_priority": "cases_case (status_id, priority)",
    "cases_case_opened_on": "cases_case (opened_on)",
    "cases_case_last_contact_on": "cases_case (last_contact_on)",
    "cases_person_display_name": "cases_person (display_name)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0009_case_photo"),
    ]

    operations = [
        migrations.RunSQL(
            [f"CREATE INDEX IF NOT EXISTS {name} ON {columns}"
             for name, columns in INDEXES.items()],
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        ),
    ]
