"""The list's date orderings break ties by id (a day of imported cases is thousands of ties):
the indexes carry the id, so PostgreSQL reads a page without sorting a whole day."""

from django.db import migrations

INDEXES = {
    "cases_case_opened_on": ("cases_case (opened_on, id)", "cases_case (opened_on)"),
    "cases_case_last_contact_on": ("cases_case (last_contact_on, id)",
                                   "cases_case (last_contact_on)"),
}


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0010_list_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            [sql for name, (columns, _old) in INDEXES.items()
             for sql in (f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX {name} ON {columns}")],
            [sql for name, (_new, columns) in INDEXES.items()
             for sql in (f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX {name} ON {columns}")],
        ),
    ]
