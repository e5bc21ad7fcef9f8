"""Free text is encrypted (issue 18): case notes, lawyer, grounds; events' place, summary and
source. The plaintext full-text indexes (SQLite FTS5 tables and their triggers, PostgreSQL
tsvector and trigram indexes: they held every word) are dropped; the keyed word index
(cases.CaseWord) replaces them.

The keys are not on disk, so the old text cannot be encrypted here: it moves to the vault's
pending table (`vault.fields.pending`) and the first unseal encrypts it (and indexes it again).
"""

from typing import Any

import django.db.models.deletion
import pompolit.vault.fields
from django.db import migrations, models

from pompolit.vault.fields import pending

CASE_FIELDS = ["notes", "lawyer", "recognition_criteria"]
EVENT_FIELDS = ["place", "summary", "source"]

DROP = {
    "sqlite": [
        *(f"DROP TRIGGER IF EXISTS cases_{t}_fts_{op}" for t in ("case", "event")
          for op in ("ai", "ad", "au")),
        "DROP TABLE IF EXISTS cases_case_fts",
        "DROP TABLE IF EXISTS cases_event_fts",
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS cases_case_notes_fts",
        "DROP INDEX IF EXISTS cases_case_notes_trgm",
        "DROP INDEX IF EXISTS cases_event_text_fts",
        "DROP INDEX IF EXISTS cases_event_text_trgm",
    ],
}


def drop_plaintext_indexes(apps: Any, schema_editor: Any) -> None:
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_list_status_dates'),
        ('vault', '0004_pending_plaintext'),
    ]

    operations = [
        migrations.RunPython(drop_plaintext_indexes, pending.back),
        migrations.RunPython(pending.mover("cases.Case", CASE_FIELDS), pending.back),
        migrations.RunPython(pending.mover("cases.Event", EVENT_FIELDS), pending.back),
        migrations.AlterField(
            model_name='case',
            name='lawyer',
            field=pompolit.vault.fields.FreeTextField(max_length=200, verbose_name='lawyer'),
        ),
        migrations.AlterField(
            model_name='case',
            name='notes',
            field=pompolit.vault.fields.FreeTextField(verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='case',
            name='recognition_criteria',
            field=pompolit.vault.fields.FreeTextField(verbose_name='on what grounds'),
        ),
        migrations.AlterField(
            model_name='event',
            name='place',
            field=pompolit.vault.fields.FreeTextField(max_length=200, verbose_name='place'),
        ),
        migrations.AlterField(
            model_name='event',
            name='source',
            field=pompolit.vault.fields.FreeTextField(help_text='Who told us, or where it was published.', max_length=300, verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='event',
            name='summary',
            field=pompolit.vault.fields.FreeTextField(verbose_name='what happened'),
        ),
        migrations.RunPython(pending.emptier("cases.Case", CASE_FIELDS), pending.back),
        migrations.RunPython(pending.emptier("cases.Event", EVENT_FIELDS), pending.back),
        migrations.CreateModel(
            name='CaseWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.BigIntegerField()),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.case')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('token', 'case'), name='cases_caseword_once')],
            },
        ),
    ]
