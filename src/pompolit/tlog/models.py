"""A transparency log's storage: entries, tiles of subtree hashes, and signed checkpoints.

The Merkle arithmetic lives in the pure package pompolit.transparency; this app only keeps
what it computes. Checkpoints are append-only, and tiles and entry bundles may only be
extended (database triggers): the rightmost tile of each level grows as the log grows.
"""

from typing import ClassVar

from django.db import models
from django.utils import timezone

from pompolit.vault.fields import EncryptedTextField, VaultModel


class Log(models.Model):
    name = models.SlugField(max_length=64, unique=True)
    # The checkpoint origin line, e.g. "pompolit.example.org/ledger".
    origin = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.origin


class EntryBundle(models.Model):
    """Up to 256 consecutive entries of a log, exactly the bytes that were hashed.

    The format is C2SP tlog-tiles' entry bundle: each entry as a big-endian 16-bit length
    and its bytes. Like tiles, a bundle is only ever extended (a database trigger refuses
    any other change), and storing entries 256 to a row keeps appends cheap.
    """

    # No index of its own: the unique (log, index) index serves lookups by log, and a second
    # index would tempt the query planner away from it.
    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="bundles", db_index=False)
    index = models.PositiveBigIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "index"], name="tlog_bundle_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.log.name} entries {self.index * 256}…"


class LogTile(models.Model):
    """Up to 256 consecutive perfect-subtree hashes of one level (see transparency.tiles)."""


    # See EntryBundle.log: the unique (log, level, index) index is the one to use.
    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="tiles", db_index=False)
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "level", "index"], name="tlog_tile_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.log.name} tile {self.level}/{self.index}"


class SignedCheckpoint(models.Model):
    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="checkpoints")
    size = models.PositiveBigIntegerField()
    root = models.BinaryField()
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "-created_at"]

    def __str__(self) -> str:
        return f"{self.log.name} checkpoint at {self.size}"


class LogSigningKey(VaultModel):
    """The log's Ed25519 signing key, kept in the vault: signing needs the vault unsealed.

    One row; the seed is encrypted under the organisation-wide data key. Development and
    tests may use a key file instead (see tlog.services.signing_key).
    """

    name = models.CharField(max_length=200)
    # The public verifier key, in clear: pages show it without touching the secret seed.
    vkey = models.CharField(max_length=300)
    seed = EncryptedTextField(sensitivity="secret")
    created_at = models.DateTimeField(default=timezone.now)

    classification: ClassVar[dict[str, str]] = {
        "name": "public", "vkey": "public", "created_at": "internal"
    }

    def __str__(self) -> str:
        return f"log signing key {self.name}"
