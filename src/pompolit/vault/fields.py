"""Encrypted model fields, one line each, and blind indexes for exact-match lookups.

    class Relative(VaultModel):
        vault_compartment_field = "compartment"      # whose data key; None: organisation-wide
        compartment = models.ForeignKey("members.Compartment", ...)
        phone = EncryptedTextField(sensitivity="secret")
        phone_index = BlindIndexField(source="phone", normalise="phone")

The column holds version ‖ key id ‖ nonce ‖ ciphertext ‖ tag (base64), encrypted under the
row's compartment data key with the table, the column and the row's `vault_row_id` as
associated data — so a ciphertext copied to another row or column does not decrypt. The row
id is a random UUID made before the insert, so it is known when the row is first encrypted.

Values are decrypted when the attribute is first read, not when the row is loaded: a list
page pays only for the fields it shows, and a sealed vault fails where secrets are touched
(the SealedMiddleware then shows the "sealed" page).
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.text import capfirst

from pompolit.vault import conf, crypto
from pompolit.vault.errors import VaultSealed
from pompolit.vault.keyring import ring

VERSION = 1
_HEADER_BYTES = 17
SENSITIVITIES = ("public", "internal", "secret")


class Ciphertext(str):
    """A value as stored: never decrypted by accident, never queried by equality."""


def associated_data(table: str, column: str, row_id: uuid.UUID, header: bytes) -> bytes:
    return b"|".join([b"pompolit-field", header, table.encode(), column.encode(), row_id.bytes])


def encrypt_bytes(
    plaintext: bytes, *, table: str, column: str, row_id: uuid.UUID, compartment_id: int | None
) -> Ciphertext:
    key = ring.current("data", compartment_id)
    header = bytes([VERSION]) + key.key_id.bytes
    sealed = crypto.seal(key.key, plaintext, associated_data(table, column, row_id, header))
    return Ciphertext(base64.urlsafe_b64encode(header + sealed).decode().rstrip("="))


def _raw(ciphertext: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(ciphertext + "=" * (-len(ciphertext) % 4))
    except ValueError:
        raise crypto.VaultIntegrityError("not a vault ciphertext") from None
    if len(raw) < _HEADER_BYTES or raw[0] != VERSION:
        raise crypto.VaultIntegrityError("not a vault ciphertext")
    return raw


def key_id_of(ciphertext: str) -> uuid.UUID:
    return uuid.UUID(bytes=_raw(ciphertext)[1:_HEADER_BYTES])


def decrypt_bytes(ciphertext: str, *, table: str, column: str, row_id: uuid.UUID) -> bytes:
    raw = _raw(ciphertext)
    header = raw[:_HEADER_BYTES]
    key = ring.key(uuid.UUID(bytes=header[1:]))
    if key.purpose != "data":
        raise crypto.VaultIntegrityError("ciphertext names a key of another purpose")
    associated = associated_data(table, column, row_id, header)
    return crypto.open_sealed(key.key, raw[_HEADER_BYTES:], associated)


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
    so free text is secret unless `vault.classification.CLEAR_TEXT` says why not. Empty text is
    stored as NULL (no key needed, nothing to decrypt) and reads back as "", as a plain
    TextField would; `max_length` only shapes the form (one line, limited) as for a CharField.
    Searching it goes through a keyed word index (`vault.wordindex`), never the column.
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
        field = forms.DateField(required=not self.blank, label=capfirst(self.verbose_name),
                                **kwargs)
        field.encrypted = True  # type: ignore[attr-defined]
        return field


# -- files ---------------------------------------------------------------------------------


class EncryptedFile:
    """An attachment: its name and type are encrypted in the column, its body on disk."""

    def __init__(
        self, *, name: str, content_type: str, size: int, blob: str, key: bytes
    ) -> None:
        self.name = name
        self.content_type = content_type
        self.size = size
        self.blob = blob
        self._key = key

    def read(self) -> bytes:
        data = (conf.attachments_dir() / self.blob).read_bytes()
        return crypto.stream_decrypt(self._key, data, self.blob.encode())

    def __repr__(self) -> str:
        return f"<EncryptedFile {self.blob}>"


class Upload:
    """A file to attach: `record.scan = Upload("письмо.pdf", data, "application/pdf")`."""

    def __init__(self, name: str, data: bytes, content_type: str = "application/octet-stream"):
        self.name = name
        self.data = data
        self.content_type = content_type


def store_blob(data: bytes) -> tuple[str, bytes]:
    """Encrypt a file body under a fresh key into the attachments folder; its name is random."""
    key = crypto.new_key()
    blob = secrets.token_hex(16) + ".bin"
    folder = conf.attachments_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / blob
    with open(path, "xb") as out:
        out.write(crypto.stream_encrypt(key, data, blob.encode()))
    path.chmod(0o600)
    return blob, key


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


# -- blind indexes -------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """Digits with the country code: "+7 (912) 345-67-89", "8 912 345 67 89" → "79123456789"."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]  # the Russian trunk prefix
    return digits


def normalise_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


NORMALISERS: dict[str, Callable[[str], str]] = {
    "phone": normalise_phone,
    "text": normalise_text,
    "exact": lambda value: value,
}


def blind_digest(scope: str, normalised: str) -> str:
    key = ring.current("index", None)
    return crypto.keyed_digest(
        crypto.derive(key.key, b"pompolit-blind-index|" + scope.encode()), normalised.encode()
    )


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


# -- the codec for core.sealed_text (members' free text: it cannot import the vault) -----------

# Sealed text has no per-row identity (members' rows have no vault_row_id): it is bound to its
# table and column, under the organisation-wide data key.
SEALED_TEXT_ROW = uuid.UUID(int=0)


class SealedTextCodec:
    """Registered by VaultConfig.ready into core.sealed_text."""

    sealed: type[Exception] = VaultSealed

    def seal(self, text: str, *, table: str, column: str) -> str:
        return encrypt_bytes(text.encode(), table=table, column=column, row_id=SEALED_TEXT_ROW,
                             compartment_id=None)

    def open(self, stored: str, *, table: str, column: str) -> str:
        return decrypt_bytes(stored, table=table, column=column, row_id=SEALED_TEXT_ROW).decode()
