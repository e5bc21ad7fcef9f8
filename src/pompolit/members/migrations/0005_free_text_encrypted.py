"""Members' free text is encrypted (issue 18): an approval's reason, an invitation's note, a
compartment's description (core.sealed_text.SealedTextField, encrypted by the vault).

The keys are not on disk, so the old text cannot be encrypted here: it moves to the vault's
pending table (vault.PendingPlaintext) and the first unseal encrypts it
(vault.fields.services.encrypt_pending). The steps are those of vault/fields/pending.py, written
out here because members does not import the vault.
"""

from typing import Any

import pompolit.core.sealed_text
from django.db import migrations

FIELDS = {
    "members.ApprovalRequest": ["reason"],
    "members.Compartment": ["description"],
    "members.Invitation": ["note"],
}


def move(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    pending = apps.get_model("vault", "PendingPlaintext")
    for label, fields in FIELDS.items():
        manager = apps.get_model(label)._default_manager.using(alias)
        for field in fields:
            rows = manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
            batch = [pending(model=label, field=field, row=str(pk), text=text)
                     for pk, text in rows.values_list("pk", field).iterator()]
            pending._default_manager.using(alias).bulk_create(batch, batch_size=1000)


def empty(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    for label, fields in FIELDS.items():
        apps.get_model(label)._default_manager.using(alias).update(**dict.fromkeys(fields))


# SQLite rebuilds members_approvalrequest to change its column; a trigger naming that table
# (0003_founding_grants_only_at_init) would stop the rename: it is set aside and made again.
FOUNDING_TRIGGER = """CREATE TRIGGER role_grant_founding_only_at_init BEFORE INSERT ON members_rolegrant
       WHEN NEW.founding AND (
           NOT EXISTS (SELECT 1 FROM members_member WHERE id = NEW.member_id AND is_founder)
           OR EXISTS (SELECT 1 FROM members_member WHERE NOT is_founder)
           OR EXISTS (SELECT 1 FROM members_approvalrequest)
           OR EXISTS (SELECT 1 FROM members_rolegrant WHERE NOT founding))
       BEGIN SELECT RAISE(ABORT, 'founding grants are made only by pompolit init, before anything else'); END"""


def drop_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS role_grant_founding_only_at_init")


def make_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FOUNDING_TRIGGER, None)


def back(apps: Any, schema_editor: Any) -> None:
    """Going back leaves the pending rows where they are (they are still the only copy)."""


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_stamp_approvals_made_before_stamps'),
        ('vault', '0004_pending_plaintext'),
    ]

    operations = [
        migrations.RunPython(move, back),
        migrations.RunPython(drop_trigger, make_trigger),
        migrations.AlterField(
            model_name='approvalrequest',
            name='reason',
            field=pompolit.core.sealed_text.SealedTextField(verbose_name='reason'),
        ),
        migrations.AlterField(
            model_name='compartment',
            name='description',
            field=pompolit.core.sealed_text.SealedTextField(verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='invitation',
            name='note',
            field=pompolit.core.sealed_text.SealedTextField(help_text='Optional, e.g. who introduced them. Do not write a real name.', max_length=200, verbose_name='note for coordinators'),
        ),
        migrations.RunPython(make_trigger, drop_trigger),
        migrations.RunPython(empty, back),
    ]
