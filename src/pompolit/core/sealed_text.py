"""Free text kept encrypted by apps that sit below the vault (issue 18).

`members` may not import `vault` (DESIGN.md: the vault is built on members), so it cannot use
`vault.fields.FreeTextField`. Its free text — an approval's reason, an invitation's note, a
compartment's description — is a `SealedTextField`, which encrypts through a codec the vault
registers when Django starts (`VaultConfig.ready`). Without a codec nothing is stored: writing
a non-empty text raises, never falls back to plaintext.

- Empty text is stored as NULL and reads back as "": no key needed, so a request without a
  reason can be made while the vault is sealed.
- A value is decrypted when the attribute is first read. A row saved again without touching the
  field keeps its ciphertext as it is (no key needed).
- While the vault is sealed, reading gives `SEALED` (an `Unreadable` str the templates can show)
  instead of failing the page; writing a new non-empty text raises the vault's sealed error
  (the SealedMiddleware shows the "sealed" page).
"""

from __future__ import annotations

from typing import Any, Protocol

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext


class Codec(Protocol):
    """What the vault gives: text in, ciphertext out, bound to the table and column."""

    sealed: type[Exception]

    def seal(self, text: str, *, table: str, column: str) -> str: ...

    def open(self, stored: str, *, table: str, column: str) -> str: ...


_codec: Codec | None = None


def register(codec: Codec | None) -> None:
    """Called once by the vault at start-up (tests may swap it)."""
    global _codec
    _codec = codec


def codec() -> Codec:
    if _codec is None:
        raise ImproperlyConfigured(
            "No codec for sealed text is registered: is pompolit.vault in INSTALLED_APPS? "
            "Sealed text is never stored in clear."
        )
    return _codec


class Stored(str):
    """A value as it is in the column: ciphertext, never shown, never compared."""


class Unreadable(str):
    """What a sealed vault gives instead of the text; it can never be saved back."""


def sealed_placeholder() -> Unreadable:
    return Unreadable(gettext("(sealed: unseal the vault to read)"))


class _SealedAttribute(DeferredAttribute):
    field: SealedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if value is None:
            return ""
        if isinstance(value, Stored):
            text = self.field.open(instance, value)
            if not isinstance(text, Unreadable):
                instance.__dict__[self.field.attname] = text
            return text
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class SealedTextField(models.TextField):  # type: ignore[type-arg]
    """Free text encrypted by the vault's organisation-wide data key (see the module's doc)."""

    descriptor_class = _SealedAttribute
    sensitivity = "secret"  # for the vault's classification checks

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for flag in ("null", "blank"):
            if kwargs.get(flag) is True:
                del kwargs[flag]
            else:
                kwargs[flag] = False
        return name, path, args, kwargs

    def _place(self, instance: models.Model) -> dict[str, str]:
        return {"table": instance._meta.db_table, "column": str(self.column)}

    def open(self, instance: models.Model, stored: Stored) -> str:
        sealer = codec()
        try:
            return sealer.open(str(stored), **self._place(instance))
        except sealer.sealed:
            return sealed_placeholder()

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or value == "":
            return None
        if isinstance(value, Stored):
            return value
        if isinstance(value, Unreadable):
            raise ValueError(f"{self.model.__name__}.{self.name} was read while the vault was "
                             "sealed: its placeholder cannot be saved")
        return Stored(codec().seal(str(value), **self._place(model_instance)))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else Stored(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Stored):
            return value
        if value == "":
            return None
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be compared or updated "
            "in the database directly. Save the instance."
        )

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisers (dumpdata) get the ciphertext, never the plaintext.
        stored = obj.__dict__.get(self.attname)
        if stored is None or isinstance(stored, Stored):
            return stored or ""
        raise TypeError("save the instance before serialising its sealed fields")

    def get_internal_type(self) -> str:
        return "TextField"

    def formfield(self, **kwargs: Any) -> Any:
        field = super().formfield(**kwargs)
        if field is not None:
            field.encrypted = True  # type: ignore[attr-defined]  # the lock on its label (core/form_field.html)
        return field


def is_sealed(label: str) -> bool:
    """"members.Invitation.note" → whether that model field is a SealedTextField."""
    from django.apps import apps

    app_model, name = label.rsplit(".", 1)
    return isinstance(apps.get_model(app_model)._meta.get_field(name), SealedTextField)


def mark_sealed(fields: dict[str, forms.Field], mapping: dict[str, str]) -> None:
    """Give the lock to each form field stored in a sealed model field: {"note": "app.M.f"}."""
    for name, label in mapping.items():
        if name in fields and is_sealed(label):
            fields[name].encrypted = True  # type: ignore[attr-defined]


class SealedLabels:
    """A form mixin, as vault.forms.EncryptedLabels: `sealed_fields = {"note":
    "members.Invitation.note"}` puts the lock on those labels while the model field is sealed."""

    sealed_fields: dict[str, str] = {}

    fields: dict[str, forms.Field]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        mark_sealed(self.fields, self.sealed_fields)
