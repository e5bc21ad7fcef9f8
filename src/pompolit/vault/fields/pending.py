"""Free text written before its field was encrypted: the table where it waits for the first
unseal (`PendingPlaintext`), and the steps of the migrations that move it there.

    operations = [
        migrations.RunPython(pending.mover("cases.Case", ["notes", "lawyer"]), pending.back),
        migrations.AlterField("case", "notes", FreeTextField(...)),
        migrations.RunPython(pending.emptier("cases.Case", ["notes", "lawyer"]), pending.back),
    ]

The steps work on the historical models (`apps.get_model`): the plaintext moves to the vault's
pending table before the field changes type, and the column is emptied after, so nothing is
lost and nothing unencrypted is left in the field. The first unseal encrypts it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone


class PendingPlaintext(models.Model):
    """Free text written before its field was encrypted, waiting for the vault to be unsealed.

    A migration cannot encrypt (the keys are not on disk): it moves each old value here and
    empties the column (`mover`, `emptier` below); the first unseal (or
    `pompolit vault encrypt-pending`) encrypts it into its field and deletes the row
    (`fields.services.encrypt_pending`). Until then it is in clear, as it was before the
    upgrade — so unseal soon after migrating.
    """

    model = models.CharField(max_length=100)  # "cases.Case"
    field = models.CharField(max_length=100)
    row = models.CharField(max_length=64)  # the row's primary key
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    classification: ClassVar[dict[str, str]] = {
        "model": "internal", "field": "internal", "row": "internal", "text": "internal",
        "created_at": "internal",
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "field", "row"],
                                               name="vault_pending_once")]

    def __str__(self) -> str:
        return f"pending {self.model}.{self.field} #{self.row}"


# -- the steps of a migration (on the historical models) ---------------------------------------

Step = Callable[[Any, Any], None]


def mover(label: str, fields: list[str]) -> Step:
    def move(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(label)
        pending = apps.get_model("vault", "PendingPlaintext")
        manager = model._default_manager.using(schema_editor.connection.alias)
        for field in fields:
            rows = manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
            batch = [pending(model=label, field=field, row=str(pk), text=text)
                     for pk, text in rows.values_list("pk", field).iterator()]
            pending._default_manager.using(schema_editor.connection.alias).bulk_create(
                batch, batch_size=1000)

    return move


def emptier(label: str, fields: list[str]) -> Step:
    def empty(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(label)
        manager = model._default_manager.using(schema_editor.connection.alias)
        manager.update(**dict.fromkeys(fields))

    return empty


def back(apps: Any, schema_editor: Any) -> None:
    """Going back leaves the pending rows where they are (they are still the only copy)."""
