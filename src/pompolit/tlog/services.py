"""Appending to a transparency log, proving what it holds, and signing checkpoints.

The ledger (a later issue) appends the public projection of each posted transaction here;
statements publish a signed checkpoint; donors' receipts carry inclusion proofs against it.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from pompolit.transparency import checkpoint as checkpoints
from pompolit.transparency.errors import VerificationError
from pompolit.transparency.merkle import MerkleLog, RootBuilder
from pompolit.transparency.tiles import TiledStore

from pompolit.audit.services import record
from pompolit.core import keyfiles
from pompolit.core.keyfiles import KeyProblem, SigningKey
from pompolit.tlog.backend import DatabaseTileBackend, insert_entries, read_entries
from pompolit.tlog.models import Log, LogSigningKey, SignedCheckpoint

# Entries a round trip: large enough that per-batch costs vanish, small enough for memory.
_BATCH = 1 << 16


def origin_for(name: str) -> str:
    return f"{settings.POMPOLIT_LOG_ORIGIN}/{name}"


def get_log(name: str) -> Log:
    log, _created = Log.objects.get_or_create(name=name, defaults={"origin": origin_for(name)})
    return log


def find_log(name: str) -> Log:
    """The log row by name, in plain SQL: public proof lookups answer in a few milliseconds
    even from a freshly started worker, where compiling an ORM query would cost more."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('id')}, {quote('origin')}, {quote('size')} "  # noqa: S608
            f"FROM {quote(Log._meta.db_table)} WHERE {quote('name')} = %s",
            [name],
        )
        row = cursor.fetchone()
    if row is None:
        raise Log.DoesNotExist(f"no log named {name!r}")
    return Log(id=row[0], name=name, origin=row[1], size=row[2])


def merkle(log: Log) -> MerkleLog:
    return MerkleLog(TiledStore(DatabaseTileBackend(log)))


def append(name: str, entries: Iterable[bytes]) -> range:
    """Append entries in order, all or nothing; returns their leaf indexes."""
    with transaction.atomic():
        get_log(name)
        log = Log.objects.select_for_update().get(name=name)
        tree = merkle(log)
        start = log.size
        iterator: Iterator[bytes] = iter(entries)
        while batch := list(islice(iterator, _BATCH)):
            first = tree.size
            tree.extend(batch)
            insert_entries(log, first, batch)
        return range(start, log.size)


def entries(log: Log, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """Entry data in index order, streamed from the database in chunks."""
    stop = log.size if stop is None else stop
    if start < stop:
        yield from read_entries(log, start, stop)


# -- signing --------------------------------------------------------------------------------


KEYGEN_HINT = (
    "Create it once with `pompolit tlog keygen` (with the vault unsealed: the key is kept in "
    "the vault) and publish the verifier key it prints: critics check the published accounts "
    "against it."
)


def _key_file() -> Path:
    return Path(settings.POMPOLIT_LOG_KEY_FILE)


def _vault_ready() -> bool:
    """Is there an initialised vault to keep the key in, unsealed right now?"""
    from pompolit.vault.keys import services as vault

    return bool(vault.status().initialised and vault.is_unsealed())


def _vault_has_key() -> bool:
    return LogSigningKey.objects.exists()


def generate_signing_key() -> SigningKey:
    """A new key in the key file: development and tests without a vault."""
    return keyfiles.generate(_key_file(), settings.POMPOLIT_LOG_KEY_NAME, what="log signing key")


def create_signing_key() -> SigningKey:
    """`pompolit tlog keygen`: the key goes into the vault when there is one (it must be
    unsealed); only without a vault (development) into the key file."""
    from pompolit.vault.keys import services as vault

    if not vault.status().initialised:
        return generate_signing_key()
    if _vault_has_key():
        raise KeyProblem("The log signing key already exists in the vault; it was not replaced.")
    if not vault.is_unsealed():
        raise KeyProblem("The vault is sealed: unseal it first, then create the key.")
    key = SigningKey(settings.POMPOLIT_LOG_KEY_NAME, os.urandom(32))
    LogSigningKey.objects.create(
        name=key.name, vkey=key.vkey, seed=base64.b64encode(key.seed).decode()
    )
    record("tlog.key_created", details={"vkey": key.vkey})
    return key


def signing_key() -> SigningKey:
    """The key that signs checkpoints: the vault's (signing then needs the vault unsealed),
    or in development a key file; made on first use only in development or demo mode."""
    stored = LogSigningKey.objects.first()
    if stored is not None:
        return SigningKey(stored.name, base64.b64decode(stored.seed))
    if not _key_file().exists() and keyfiles.creates_key_on_first_use() and _vault_ready():
        return create_signing_key()
    return keyfiles.load(
        _key_file(),
        create_as=settings.POMPOLIT_LOG_KEY_NAME,
        hint=KEYGEN_HINT,
        what="log signing key",
    )


def verifier_key() -> str:
    stored = LogSigningKey.objects.values_list("vkey", flat=True).first()
    return stored or signing_key().vkey


def sign_checkpoint(name: str) -> SignedCheckpoint:
    """Sign the log's current size and root; the note is what statements publish."""
    key = signing_key()
    with transaction.atomic():
        log = Log.objects.select_for_update().get(name=name)
        root = merkle(log).root()
        note = checkpoints.sign(log.origin, log.size, root, key.name, key.seed)
        signed = SignedCheckpoint.objects.create(log=log, size=log.size, root=root, note=note)
        record("tlog.checkpoint", obj=signed, details={"log": name, "size": log.size,
                                                       "root": root.hex()})
    return signed


def latest_checkpoint(name: str) -> SignedCheckpoint | None:
    return SignedCheckpoint.objects.filter(log__name=name).order_by("-size", "-pk").first()


# -- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LogReport:
    name: str
    size: int
    root: bytes
    checkpoints_checked: int


def verify_log(name: str) -> LogReport:
    """Recompute the tree from the stored entries and hold it against tiles and checkpoints.

    Raises VerificationError naming the first thing that does not match: a stored hash
    that differs from its children, a root that differs from the entries, or a signed
    checkpoint whose root this log can no longer produce (history was rewritten).
    """
    log = Log.objects.get(name=name)
    tree = merkle(log)
    tree.audit()
    builder = RootBuilder()
    sizes = sorted(set(SignedCheckpoint.objects.filter(log=log).values_list("size", flat=True)))
    roots_at: dict[int, bytes] = {}
    if 0 in sizes:
        roots_at[0] = builder.root()
    count = 0
    pending: list[bytes] = []
    wanted = set(sizes)
    for data in entries(log):
        pending.append(data)
        count += 1
        if count in wanted or len(pending) >= _BATCH:
            builder.add_leaves(pending)
            pending.clear()
            if count in wanted:
                roots_at[count] = builder.root()
    builder.add_leaves(pending)
    if count != log.size:
        raise VerificationError(f"the log says it has {log.size} entries, but {count} are stored")
    root = builder.root()
    if root != tree.root():
        raise VerificationError("the stored tree's root differs from the root of the entries")
    verifier = signing_key().vkey
    checked = 0
    for signed in SignedCheckpoint.objects.filter(log=log).order_by("size", "pk"):
        checkpoints.verify(signed.note, verifier)
        if roots_at.get(signed.size) != bytes(signed.root):
            raise VerificationError(
                f"checkpoint #{signed.pk} (size {signed.size}) was signed over a root that the "
                "stored entries no longer produce: history was changed after it was published"
            )
        checked += 1
    return LogReport(name=name, size=count, root=root, checkpoints_checked=checked)
