"""Everything that changes encrypted data as a whole: free text set aside by an upgrade
encrypted at last, every field re-encrypted under new data keys (`rotate --data`), every
stored secret tried (`vault-status --verify`).

Each writes its audit entry in the same transaction as its change.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from pompolit.audit.services import record
from pompolit.core.sealed_text import SealedTextField
from pompolit.vault.crypto import VaultIntegrityError
from pompolit.vault.errors import VaultError, VaultSealed
from pompolit.vault.fields import BlindIndexField, EncryptedField
from pompolit.vault.fields.cipher import SEALED_TEXT_ROW, Ciphertext, decrypt_bytes, key_id_of
from pompolit.vault.fields.pending import PendingPlaintext
from pompolit.vault.keys import keyring
from pompolit.vault.keys.keyring import ring
from pompolit.vault.keys.models import DataKey, Rotation
from pompolit.vault.mfa import seal_plaintext_secrets

# -- free text from before its field was encrypted (fields.pending.PendingPlaintext) ---------

# Sent after rows got their pending text encrypted: `sender` the model, `pks` the rows. The
# apps that keep a word index over that text (cases) index it again.
pending_encrypted = Signal()


def pending_count() -> int:
    return PendingPlaintext.objects.count()


def encrypt_pending(*, batch_size: int = 500) -> int:
    """Encrypt the plaintext that migrations set aside into its fields; needs the vault
    unsealed. A field written since (a newer value) wins: its old text is only dropped.
    Returns how many values were encrypted. Run by the first unseal after an upgrade."""
    done = 0
    while True:
        ring.begin()
        batch = list(PendingPlaintext.objects.order_by("pk")[:batch_size])
        if not batch:
            break
        touched: dict[type[models.Model], set[Any]] = {}
        with transaction.atomic():
            for pending in batch:
                model = apps.get_model(pending.model)
                row = model._default_manager.filter(pk=pending.row).first()
                field = model._meta.get_field(pending.field)
                if row is not None and row.__dict__.get(field.attname) is None:
                    setattr(row, field.attname, pending.text)
                    row.save(update_fields=[field.attname])
                    touched.setdefault(model, set()).add(row.pk)
                    done += 1
            PendingPlaintext.objects.filter(pk__in=[p.pk for p in batch]).delete()
            for model, pks in touched.items():
                pending_encrypted.send(sender=model, pks=sorted(pks))
            if touched:
                record("vault.pending_encrypted", details={
                    "fields": sorted({f"{p.model}.{p.field}" for p in batch})})
    if done and connection.vendor == "sqlite" and not connection.in_atomic_block:
        # The old text is still in the file's free pages until they are overwritten.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    return done


def encrypt_after_unseal(*, was_sealed: bool, **kwargs: Any) -> None:
    """On `keys.services.unsealed`: the text an upgrade set aside is encrypted at once."""
    if was_sealed:
        encrypt_pending()


# -- re-encrypting all data (rotate --data) ----------------------------------------------


# Sent after `rotate --data`: word indexes keyed by the retired index keys are rebuilt.
data_rotated = Signal()

# Members' sealed text (core.sealed_text) is encrypted under the same data keys: it is rotated,
# verified and counted with the vault's own fields.
Encrypted = EncryptedField | SealedTextField
EncryptedModel = tuple[type[models.Model], list[Encrypted], list[BlindIndexField]]


def encrypted_models() -> list[EncryptedModel]:
    found = []
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        encrypted: list[Encrypted] = [
            f for f in model._meta.concrete_fields
            if isinstance(f, EncryptedField | SealedTextField)
        ]
        indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
        if encrypted or indexes:
            found.append((model, encrypted, indexes))
    return sorted(found, key=lambda item: item[0]._meta.label)


def _running_data_rotation() -> Rotation:
    rotation = Rotation.objects.filter(
        kind=Rotation.Kind.DATA, status=Rotation.Status.RUNNING
    ).first()
    if rotation is not None:
        return rotation
    with transaction.atomic():
        live = DataKey.objects.filter(
            retired_at__isnull=True, purpose__in=["data", "index", "mfa"]
        )
        retired = [str(k) for k in live.values_list("key_id", flat=True)]
        live.update(retired_at=timezone.now())
        rotation = Rotation.objects.create(
            kind=Rotation.Kind.DATA, status=Rotation.Status.RUNNING, started_at=timezone.now(),
            plan={"retired": retired},
        )
        record("vault.data_rotation_started", obj=rotation, details={"keys": len(retired)})
    # This process looks its current keys up again at once; the others within
    # keyring.CURRENT_KEY_SECONDS (rotate_data waits for them before its last pass).
    ring.forget_current()
    return rotation


def rotate_data(
    *, batch_size: int = 1000, progress: Callable[[str, int, int], None] | None = None
) -> Rotation:
    """Re-encrypt every encrypted field under new data keys; resumable after a crash.

    The old keys are retired first (new writes already use new keys); each batch commits its
    rows together with the progress marker, so a rerun continues where the last one stopped.
    A last pass picks up rows written with an old key while the rotation ran; then the old
    keys' wrapped material is erased.
    """
    ring.begin()
    rotation = _running_data_rotation()
    retired_by = time.time()
    retired = {uuid.UUID(k) for k in rotation.plan.get("retired", [])}
    for model, encrypted, indexes in encrypted_models():
        label = model._meta.label
        total = model._default_manager.count()
        last = int(rotation.progress.get(label, 0))
        done = model._default_manager.filter(pk__lte=last).count()
        while True:
            ring.begin()
            batch = list(model._default_manager.filter(pk__gt=last).order_by("pk")[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                for row in batch:
                    _reencrypt(row, encrypted, indexes)
                last = int(batch[-1].pk)
                rotation.progress[label] = last
                Rotation.objects.filter(pk=rotation.pk).update(progress=rotation.progress)
            done += len(batch)
            if progress is not None:
                progress(label, done, total)
    # Other processes keep a current key's id for up to a second: none still writes with a
    # retired key by the time the last pass looks for rows written with one.
    keyring.wait_for_current_keys(retired_by)
    for model, encrypted, indexes in encrypted_models():
        _sweep(model, encrypted, indexes, retired)
    seal_plaintext_secrets(frozenset(retired))
    with transaction.atomic():
        DataKey.objects.filter(key_id__in=retired).update(wrapped="")
        rotation.status = Rotation.Status.DONE
        rotation.finished_at = timezone.now()
        rotation.save(update_fields=["status", "finished_at"])
        record("vault.data_rotated", obj=rotation,
               details={"rows": dict(rotation.progress), "keys_retired": len(retired)})
    # The index keys were rotated too: keyed word indexes are rebuilt under the new ones.
    data_rotated.send(sender=Rotation, rotation=rotation)
    return rotation


def _reencrypt(
    row: models.Model, encrypted: list[Encrypted], indexes: list[BlindIndexField]
) -> None:
    changed = []
    for field in encrypted:
        if row.__dict__.get(field.attname) is not None:
            row.__dict__[field.attname] = getattr(row, field.attname)  # plaintext: re-encrypts
            changed.append(field.attname)
    changed += [f.attname for f in indexes]
    if changed:
        row.save(update_fields=changed)


def _sweep(
    model: type[models.Model], encrypted: list[Encrypted], indexes: list[BlindIndexField],
    retired: set[uuid.UUID],
) -> None:
    if not encrypted:
        return
    names = [f.attname for f in encrypted]
    stale = [
        pk
        for pk, *values in model._default_manager.values_list("pk", *names).iterator()
        if any(v is not None and key_id_of(v) in retired for v in values)
    ]
    for start in range(0, len(stale), 500):
        ring.begin()
        with transaction.atomic():
            for row in model._default_manager.filter(pk__in=stale[start : start + 500]):
                _reencrypt(row, encrypted, indexes)


def verify_all() -> dict[str, int]:
    """Try to decrypt every stored secret: after a restore, or to prove a sealed vault is shut."""
    counts = {"decrypted": 0, "sealed": 0, "failed": 0}
    ring.begin()
    for model, encrypted, _indexes in encrypted_models():
        columns = [f.attname for f in encrypted]
        # Sealed text has no row identity (it is bound to its table and column only).
        own = any(isinstance(f, EncryptedField) for f in encrypted)
        for row_id, *values in model._default_manager.values_list(
            "vault_row_id" if own else "pk", *columns
        ):
            for field, value in zip(encrypted, values, strict=True):
                if value is None:
                    continue
                try:
                    decrypt_bytes(value, table=model._meta.db_table, column=str(field.column),
                                  row_id=row_id if isinstance(field, EncryptedField)
                                  else SEALED_TEXT_ROW)
                except VaultSealed:
                    counts["sealed"] += 1
                except (VaultIntegrityError, VaultError):
                    counts["failed"] += 1
                else:
                    counts["decrypted"] += 1
    return counts


def stored_ciphertexts() -> Iterator[tuple[str, str, Ciphertext]]:
    """(model, field, value) for every encrypted value on disk — for the seizure test."""
    for model, encrypted, _indexes in encrypted_models():
        for field in encrypted:
            for value in model._default_manager.values_list(field.attname, flat=True):
                if value is not None:
                    yield model._meta.label, field.name, value
