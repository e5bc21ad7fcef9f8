"""A lifecycle step's note is encrypted (issue 18), in AidStepNote beside the step: steps are
append-only, so each old note moves out — into a note row whose text waits in the vault's
pending table for the first unseal — and the column goes. SQLite rebuilds the table without
its triggers when a column is dropped: the append-only triggers are put back.
"""

import uuid
from typing import Any

import django.db.models.deletion
import pompolit.vault.fields
from django.db import migrations, models

from pompolit.core.appendonly import append_only


def move_notes(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    transitions = apps.get_model("aid", "AidTransition")._default_manager.using(alias)
    notes = apps.get_model("aid", "AidStepNote")._default_manager.using(alias)
    pending = apps.get_model("vault", "PendingPlaintext")._default_manager.using(alias)
    for pk, compartment_id, text in (transitions.exclude(note="")
                                     .values_list("pk", "item__compartment_id", "note")):
        row = notes.create(transition_id=pk, compartment_id=compartment_id, note=None,
                           vault_row_id=uuid.uuid4())
        pending.create(model="aid.AidStepNote", field="note", row=str(row.pk), text=text)


class Migration(migrations.Migration):

    dependencies = [
        ('aid', '0005_content_description_encrypted'),
        ('members', '0002_member_pseudonym_key'),
        ('vault', '0004_pending_plaintext'),
    ]

    operations = [
        migrations.CreateModel(
            name='AidStepNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('vault_row_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('note', pompolit.vault.fields.FreeTextField(max_length=300, verbose_name='note')),
                ('compartment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.compartment')),
                ('transition', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='step_note', to='aid.aidtransition')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.RunPython(move_notes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='aidtransition',
            name='note',
        ),
        migrations.RunPython(*append_only("aid_aidtransition")),
    ]
