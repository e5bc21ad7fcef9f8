"""Which boxes are encrypted: the lock on the label of a form's field."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from pompolit.core.sealed_text import SealedTextField
from pompolit.vault.fields import EncryptedField


def is_encrypted(label: str) -> bool:
    """"cases.Event.place" → whether that model field is one of the vault's encrypted fields."""
    app_model, name = label.rsplit(".", 1)
    field = apps.get_model(app_model)._meta.get_field(name)
    return isinstance(field, EncryptedField | SealedTextField)


class EncryptedLabels:
    """A form mixin: each field stored in an encrypted model field gets `field.encrypted`, and
    the shared field template (core/form_field.html) shows a lock on its label. Which fields are
    encrypted is read from the model's field classes, never written here: a field that becomes
    encrypted gets its lock by itself.

        class EventForm(EncryptedLabels, forms.Form):
            vault_model = "cases.Event"                          # same-named fields
            vault_fields = {"memo": "ledger.EntryNote.note"}     # others, "app.Model.field"
    """

    vault_model: str = ""
    vault_fields: dict[str, str] = {}

    fields: dict[str, forms.Field]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        mark_encrypted(self.fields, self.vault_model, self.vault_fields)


def mark_encrypted(fields: dict[str, forms.Field], model: str = "",
                   mapping: dict[str, str] | None = None) -> None:
    for name, field in fields.items():
        label = (mapping or {}).get(name)
        if label is None and model:
            try:
                apps.get_model(model)._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            label = f"{model}.{name}"
        if label is not None and is_encrypted(label):
            field.encrypted = True  # type: ignore[attr-defined]
