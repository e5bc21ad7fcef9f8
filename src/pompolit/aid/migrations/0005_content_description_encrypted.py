"""What a parcel line says it is (issue 18: a medicine's name, sizes — typed freely) is
encrypted. Each line gets its identity for encryption (vault_row_id: filled row by row, then
made unique); the old text moves to the vault's pending table and the first unseal encrypts it.
"""

import uuid
from typing import Any

import pompolit.vault.fields
from django.db import migrations, models

from pompolit.vault.fields import pending


def fill_row_ids(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("aid", "AidContent")
    manager = model._default_manager.using(schema_editor.connection.alias)
    for pk in manager.filter(vault_row_id__isnull=True).values_list("pk", flat=True):
        manager.filter(pk=pk).update(vault_row_id=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("aid", "0004_cost_bounded"),
        ("vault", "0004_pending_plaintext"),
    ]

    operations = [
        migrations.AddField(
            model_name="aidcontent",
            name="vault_row_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_row_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="aidcontent",
            name="vault_row_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.RunPython(pending.mover("aid.AidContent", ["description"]), pending.back),
        migrations.AlterField(
            model_name="aidcontent",
            name="description",
            field=pompolit.vault.fields.FreeTextField(max_length=200, verbose_name="what"),
        ),
        migrations.RunPython(pending.emptier("aid.AidContent", ["description"]), pending.back),
    ]
