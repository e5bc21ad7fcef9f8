from django import forms
from django.utils.translation import gettext_lazy as _


class ShareForm(forms.Form):
    share = forms.CharField(
        label=_("Your key share"),
        help_text=_("Type or paste the groups of letters and digits; dashes and spaces do not "
                    "matter. It is not shown while you type."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        max_length=2000,
    )
    passphrase = forms.CharField(
        label=_("Passphrase of the share"),
        help_text=_("Only if your share was protected with a passphrase."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        required=False,
        max_length=500,
    )


# -- which boxes are encrypted: the lock on the label --------------------------------------


def is_encrypted(label: str) -> bool:
    """"cases.Event.place" → whether that model field is one of the vault's encrypted fields."""
    from django.apps import apps

    from pompolit.core.sealed_text import SealedTextField
    from pompolit.vault.fields import EncryptedField

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
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

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
