"""Encrypted model fields, one line each, and blind indexes for exact-match lookups.

    class Relative(VaultModel):
        vault_compartment_field = "compartment"      # whose data key; None: organisation-wide
        compartment = models.ForeignKey("members.Compartment", ...)
        phone = EncryptedTextField(sensitivity="secret")
        phone_index = BlindIndexField(source="phone", normalise="phone")

Each value is encrypted under the row's compartment data key, bound to its table, column
and row (`fields.cipher`). The row id is a random UUID made before the insert, so it is known
when the row is first encrypted.

Values are decrypted when the attribute is first read, not when the row is loaded: a list
page pays only for the fields it shows, and a sealed vault fails where secrets are touched
(the SealedMiddleware then shows the "sealed" page).

The field classes live here, at the path every app's migrations name them
(`pompolit.vault.fields.EncryptedTextField`). Beside them: attachments on disk
(`fields.files`), the blind index's digest (`fields.blind`), the keyed word index over free
text (`fields.wordindex`), how sensitive every field is (`fields.classification`, checked by
`fields.checks`), the lock on a form's label (`fields.labels`), free text waiting for its first
encryption (`fields.pending`) and re-encrypting everything (`fields.services`).
"""

from __future__ import annotations

import base64
import datetime
import json
import uuid
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.text import capfirst

from pompolit.core.dates import DateField
from pompolit.vault.fields.blind import NORMALISERS, blind_digest
from pompolit.vault.fields.cipher import Ciphertext, decrypt_bytes, encrypt_bytes, key_id_of
from pompolit.vault.fields.files import EncryptedFile, Upload, store_blob
from pompolit.vault.keys.keyring import ring

SENSITIVITIES = ("public", "internal", "secret")


class VaultModel(models.Model):
    """Base for models with encrypted fields: gives each row its identity for encryption."""

    vault_row_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The name of a ForeignKey to members.Compartment, or None for the organisation-wide key.
    vault_compartment_field: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def vault_compartment_id(self) -> int | None:
        if self.vault_compartment_field is None:
            return None
        value = getattr(self, f"{self.vault_compartment_field}_id", None)
        return int(value) if value is not None else None


class _EncryptedAttribute(DeferredAttribute):
    """Decrypts on first read and keeps the plaintext on the instance, in memory only."""

    field: EncryptedField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = self.field.decrypt_for(instance, value)
            instance.__dict__[self.field.attname] = value
        if value is None and self.field.empty_value_read is not None:
            return self.field.empty_value_read
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.TextField):  # type: ignore[type-arg]
    """Common ground: subclasses say how a value becomes bytes and back."""

    descriptor_class = _EncryptedAttribute
    # What an empty (NULL) column reads as on the instance: None, or "" for free text.
    empty_value_read: Any = None

    def __init__(self, *args: Any, sensitivity: str = "secret", **kwargs: Any) -> None:
        if sensitivity not in SENSITIVITIES:
            raise ValueError(f"sensitivity must be one of {SENSITIVITIES}, not {sensitivity!r}")
        self.sensitivity = sensitivity
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["sensitivity"] = self.sensitivity
        if kwargs.get("null") is True:
            del kwargs["null"]
        else:
            kwargs["null"] = False
        return name, path, args, kwargs

    # -- how each type becomes bytes --------------------------------------------------------

    def to_bytes(self, value: Any) -> bytes:
        raise NotImplementedError

    def from_bytes(self, data: bytes) -> Any:
        raise NotImplementedError

    # -- encryption at the row ---------------------------------------------------------------

    def _place(self, instance: VaultModel) -> dict[str, Any]:
        return {
            "table": instance._meta.db_table,
            "column": self.column,
            "row_id": instance.vault_row_id,
        }

    def decrypt_for(self, instance: VaultModel, ciphertext: Ciphertext) -> Any:
        return self.from_bytes(decrypt_bytes(ciphertext, **self._place(instance)))

    def encrypt_for(self, instance: VaultModel, value: Any) -> Ciphertext:
        return encrypt_bytes(
            self.to_bytes(value), compartment_id=instance.vault_compartment_id(),
            **self._place(instance),
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        assert isinstance(model_instance, VaultModel)
        if isinstance(value, Ciphertext):
            stored_in = ring.key(key_id_of(value)).compartment_id
            if stored_in == model_instance.vault_compartment_id():
                return value
            # The record moved to another compartment: its data follows it to that key.
            value = self.decrypt_for(model_instance, value)
        return self.encrypt_for(model_instance, value)

    # -- the database side: only ciphertext goes in or out ----------------------------------

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else Ciphertext(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return value
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be compared or "
            "updated in the database directly. Save the instance, or look it up by its "
            "blind index."
        )

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisers (dumpdata) get the ciphertext, never the plaintext.
        stored = obj.__dict__.get(self.attname)
        if stored is None or isinstance(stored, Ciphertext):
            return stored or ""
        raise TypeError("save the instance before serialising its encrypted fields")

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedTextField(EncryptedField):
    def to_bytes(self, value: Any) -> bytes:
        return str(value).encode()

    def from_bytes(self, data: bytes) -> str:
        return data.decode()

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("widget", forms.Textarea)
        kwargs.setdefault("help_text", self.help_text)
        field = forms.CharField(required=not self.blank, label=capfirst(self.verbose_name),
                                **kwargs)
        field.encrypted = True  # type: ignore[attr-defined]  # the lock on its label
        return field


class FreeTextField(EncryptedTextField):
    """Whatever a person types into a box: a note, a place, a memo — encrypted by default.

    Volunteers put anything in a box called "notes" (a relative's address, a lawyer's phone),
    so free text is secret unless `fields.classification.CLEAR_TEXT` says why not. Empty text is
    stored as NULL (no key needed, nothing to decrypt) and reads back as "", as a plain
    TextField would; `max_length` only shapes the form (one line, limited) as for a CharField.
    Searching it goes through a keyed word index (`fields.wordindex`), never the column.
    """

    empty_value_read = ""

    def __init__(self, *args: Any, sensitivity: str = "secret", **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        super().__init__(*args, sensitivity=sensitivity, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("sensitivity") == "secret":
            del kwargs["sensitivity"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if model_instance.__dict__.get(self.attname) == "":
            model_instance.__dict__[self.attname] = None
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs: Any) -> Any:
        if self.max_length:
            kwargs.setdefault("widget", forms.TextInput)
            kwargs.setdefault("max_length", self.max_length)
        return super().formfield(**kwargs)


class EncryptedBytesField(EncryptedField):
    """Raw bytes (an uploaded file waiting to be imported): no name, no type, just the body."""

    def to_bytes(self, value: Any) -> bytes:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise ValidationError(f"{self.name} needs bytes, not {type(value).__name__}")
        return bytes(value)

    def from_bytes(self, data: bytes) -> bytes:
        return data


class EncryptedJSONField(EncryptedField):
    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    def from_bytes(self, data: bytes) -> Any:
        return json.loads(data)


class EncryptedDateField(EncryptedField):
    def to_bytes(self, value: Any) -> bytes:
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise ValidationError(f"{self.name} needs a date, not {type(value).__name__}")
        return value.isoformat().encode()

    def from_bytes(self, data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode())

    def formfield(self, **kwargs: Any) -> Any:
        field = DateField(required=not self.blank, label=capfirst(self.verbose_name), **kwargs)
        field.encrypted = True  # type: ignore[attr-defined]
        return field


# -- files (their bodies on disk: fields.files) ----------------------------------------------


class EncryptedFileField(EncryptedField):
    """The column keeps (encrypted) the file's name, type, size, blob name and blob key."""

    def to_bytes(self, value: Any) -> bytes:
        if isinstance(value, Upload):
            blob, key = store_blob(value.data)
            value = EncryptedFile(
                name=value.name, content_type=value.content_type, size=len(value.data),
                blob=blob, key=key,
            )
        if not isinstance(value, EncryptedFile):
            raise ValidationError(f"{self.name} needs an Upload, not {type(value).__name__}")
        return json.dumps(
            {"name": value.name, "type": value.content_type, "size": value.size,
             "blob": value.blob, "key": base64.b64encode(value._key).decode()},
            ensure_ascii=False,
        ).encode()

    def from_bytes(self, data: bytes) -> EncryptedFile:
        meta = json.loads(data)
        return EncryptedFile(
            name=meta["name"], content_type=meta["type"], size=meta["size"], blob=meta["blob"],
            key=base64.b64decode(meta["key"]),
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, Upload):
            # Write the body once, then keep the stored file (not a second copy) on the row.
            assert isinstance(model_instance, VaultModel)
            encrypted = self.encrypt_for(model_instance, value)
            model_instance.__dict__[self.attname] = encrypted
            return encrypted
        return super().pre_save(model_instance, add)


# -- blind indexes (the digest: fields.blind) ------------------------------------------------


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """HMAC-SHA256 of the normalised plaintext of `source`, keyed from the vault.

    Equal values give equal digests (that is the point: exact-match lookups); nothing else
    about the value can be learned without the key. `scope` names which indexes are
    comparable: give two fields the same scope to find the same phone in both tables.
    """

    def __init__(
        self, *args: Any, source: str = "", normalise: str = "text", scope: str = "", **kwargs: Any
    ) -> None:
        if normalise not in NORMALISERS:
            raise ValueError(f"normalise must be one of {sorted(NORMALISERS)}")
        self.source, self.normalise, self.scope = source, normalise, scope
        self.sensitivity = "internal"
        kwargs.update(max_length=64, null=True, blank=True, editable=False, db_index=True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "null", "blank", "editable", "db_index"):
            kwargs.pop(key, None)
        kwargs.update(source=self.source, normalise=self.normalise)
        if self.scope:
            kwargs["scope"] = self.scope
        return name, path, args, kwargs

    def index_scope(self) -> str:
        return self.scope or f"{self.model._meta.db_table}.{self.source}"

    def digest_of(self, value: Any) -> str | None:
        if value is None:
            return None
        normalised = NORMALISERS[self.normalise](str(value))
        return blind_digest(self.index_scope(), normalised) if normalised else None

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        stored = model_instance.__dict__.get(self.source)
        if isinstance(stored, Ciphertext):
            # Unchanged since it was loaded: so is its index (rotation recomputes it).
            return getattr(model_instance, self.attname)
        digest = self.digest_of(stored)
        setattr(model_instance, self.attname, digest)
        return digest


def blind_lookup(model: type[models.Model], index_field: str, value: str) -> models.Q:
    """`Relative.objects.filter(blind_lookup(Relative, "phone_index", "+7 912 …"))`."""
    field = model._meta.get_field(index_field)
    if not isinstance(field, BlindIndexField):
        raise TypeError(f"{model.__name__}.{index_field} is not a blind index")
    digest = field.digest_of(value)
    if digest is None:
        return models.Q(pk__in=[])
    return models.Q(**{index_field: digest})
