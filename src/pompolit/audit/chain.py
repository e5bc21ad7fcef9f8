"""The audit chain's hashing and verification: pure functions over rows, no database.

A verifier needs nothing but the rows, in order: `verify(rows)` reads them one at a time
(constant memory) and names the first position where the chain breaks.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785

GENESIS = "0" * 64

# The fields of an entry that its hash covers (besides the digest of its details).
HASHED_FIELDS = (
    "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "client",
    "details_digest", "sensitive_read", "prev_hash",
)


def timestamp(at: datetime) -> str:
    """The one spelling of an entry's time that is hashed: UTC, ISO-8601, always microseconds.

    `isoformat()` alone drops the microseconds when they are zero and keeps whatever zone
    the database driver returned, so record() and verify() could disagree about one instant.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def digest(details: Mapping[str, Any]) -> str:
    # rfc8785 is typed for JSON values; Mapping[str, Any] is one.
    return hashlib.sha256(rfc8785.dumps(dict(details))).hexdigest()


def entry_hash(
    *,
    seq: int,
    at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    client: str,
    details_digest: str,
    sensitive_read: bool,
    prev_hash: str,
) -> str:
    body: dict[str, Any] = {
        "v": 1,
        "seq": seq,
        "at": at,
        "actor_id": actor_id,
        "actor": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "client": client,
        "details": details_digest,
        "sensitive_read": sensitive_read,
        "prev": prev_hash,
    }
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def row_hash(row: Mapping[str, Any]) -> str:
    """The hash of a row with the model's field names, as record() stores and verify() checks."""
    at = row["at"]
    return entry_hash(
        seq=row["seq"],
        at=timestamp(at) if isinstance(at, datetime) else at,
        actor_id=row["actor_id"],
        actor_label=row["actor_label"],
        action=row["action"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        client=row["client"],
        details_digest=row["details_digest"],
        sensitive_read=bool(row["sensitive_read"]),
        prev_hash=row["prev_hash"],
    )


class Kind:
    EDITED = "edited"
    DELETED = "deleted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    REWRITTEN = "rewritten"
    FORGED = "forged"


@dataclass(frozen=True)
class Break:
    """The first place where the chain is not what it should be."""

    position: int  # the seq where an intact chain would have had this entry
    kind: str
    message: str


@dataclass(frozen=True)
class Result:
    count: int  # entries read before the first break (all of them when intact)
    head_seq: int
    head_hash: str
    problem: Break | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is not None:
            return f"chain broken at #{self.problem.position} ({self.problem.kind}): " + (
                self.problem.message
            )
        if self.count == 0:
            return "0 entries, the trail is empty"
        return f"{self.count:,} entries, chain intact, head #{self.head_seq} {self.head_hash}"


@dataclass(frozen=True)
class Head:
    """A chain head exported earlier (and kept off the server): entry #seq had this hash."""

    seq: int
    entry_hash: str


def _or_none(function: Callable[[Any], str], value: Any) -> str | None:
    # Tampered rows may hold what cannot be hashed (a huge number, a naive time): that is a
    # mismatch to report at its position, not a crash of the verifier.
    try:
        return function(value)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def check_row(row: Mapping[str, Any], position: int, prev: str) -> Break | None:
    """Check one row where an intact chain has entry #position following hash `prev`."""
    seq = row["seq"]
    if seq > position:
        missing = f"#{position}" if seq == position + 1 else f"#{position} to #{seq - 1}"
        return Break(
            position, Kind.DELETED,
            f"entry {missing} is missing: the chain jumps from #{position - 1} to #{seq}",
        )
    if seq < position:
        return Break(
            position, Kind.REORDERED,
            f"entry #{seq} appears again after #{position - 1}: entries are out of order",
        )
    if _or_none(digest, row["details"]) != row["details_digest"]:
        return Break(
            position, Kind.EDITED,
            f"the details of entry #{position} do not match their digest: they were edited",
        )
    hash_ok = _or_none(row_hash, row) == row["entry_hash"]
    if row["prev_hash"] != prev:
        how = (
            "entries were reordered, or some removed and the rest renumbered" if hash_ok
            else "entries were reordered, or its link to the previous entry was edited"
        )
        before = f"entry #{position - 1}" if position > 1 else "the start of the chain"
        return Break(
            position, Kind.REORDERED,
            f"entry #{position} does not link to {before} (prev hash mismatch): {how}",
        )
    if not hash_ok:
        return Break(
            position, Kind.EDITED,
            f"entry #{position} does not match its hash (hash mismatch at #{position}): "
            "it was edited",
        )
    return None


# A further check of each row that needs what the rows alone do not hold (the server's seal
# key): returns why the row is not genuine, or None.
RowCheck = Callable[[Mapping[str, Any]], str | None]


def _checked(
    row: Mapping[str, Any], position: int, prev: str, extra: RowCheck | None
) -> Break | None:
    problem = check_row(row, position, prev)
    if problem is None and extra is not None:
        reason = extra(row)
        if reason is not None:
            problem = Break(position, Kind.FORGED, reason)
    return problem


def verify_segment(
    rows: Iterable[Mapping[str, Any]], extra: RowCheck | None = None
) -> Break | None:
    """Check consecutive rows that start anywhere in the chain: each links to the one before
    and matches its hash. The first row is trusted for its position and link only."""
    position, prev = -1, ""
    for row in rows:
        if position < 0:
            position, prev = row["seq"], row["prev_hash"]
        problem = _checked(row, position, prev, extra)
        if problem is not None:
            return problem
        position, prev = position + 1, row["entry_hash"]
    return None


def verify(
    rows: Iterable[Mapping[str, Any]], head: Head | None = None, extra: RowCheck | None = None
) -> Result:
    """Walk the rows in seq order; stop at the first break.

    With `head` (exported earlier), also prove the chain still holds entry #head.seq with
    exactly that hash, which a rewrite on the server cannot fake without the old head's owner
    noticing.
    """
    count, prev = 0, GENESIS
    head_found = head is None
    for row in rows:
        position = count + 1
        problem = _checked(row, position, prev, extra)
        if problem is None and head is not None and position == head.seq:
            if row["entry_hash"] != head.entry_hash:
                problem = Break(
                    position, Kind.REWRITTEN,
                    f"entry #{position} is not the one in the exported head: the chain was "
                    f"rewritten (head has {head.entry_hash}, the trail has {row['entry_hash']})",
                )
            head_found = True
        if problem is not None:
            return Result(count, count, prev, problem)
        count, prev = position, row["entry_hash"]
    if not head_found:
        assert head is not None  # for the type checker: head_found starts True without one
        return Result(
            count, count, prev,
            Break(
                count + 1, Kind.TRUNCATED,
                f"the chain ends at #{count}, but the exported head is #{head.seq}: "
                f"entries #{count + 1} to #{head.seq} were removed (truncated)",
            ),
        )
    return Result(count, count, prev)
