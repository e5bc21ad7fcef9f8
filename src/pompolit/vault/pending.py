"""For migrations that encrypt a field that was stored in clear (see models.PendingPlaintext).

    operations = [
        migrations.RunPython(pending.mover("cases.Case", ["notes", "lawyer"]), pending.back),
        migrations.AlterField("case", "notes", FreeTextField(...)),
        migrations.RunPython(pending.emptier("cases.Case", ["notes", "lawyer"]), pending.back),
    ]

A pure helper on the historical models (`apps.get_model`): the plaintext moves to the vault's
pending table before the field changes type, and the column is emptied after, so nothing is
lost and nothing unencrypted is left in the field. The first unseal encrypts it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
