"""A transparency log's storage: entries, tiles of subtree hashes, and signed checkpoints.

The Merkle arithmetic lives in the pure package pompolit.transparency; this app only keeps
what it computes. Entries and checkpoints are append-only (database triggers); tiles are
the one thing rewritten, and only the rightmost tile of each level as the log grows.
"""

from django.db import models
from django.utils import timezone


class Log(models.Model):
    name = models.SlugField(max_length=64, unique=True)
    # The checkpoint origin line, e.g. "pompolit.example.org/ledger".
    origin = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.origin


class LogEntry(models.Model):
    """The data of one leaf, exactly the bytes that were hashed."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveBigIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "index"], name="tlog_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.log.name}[{self.index}]"


class LogTile(models.Model):
    """Up to 256 consecutive perfect-subtree hashes of one level (see transparency.tiles)."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="tiles")
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
