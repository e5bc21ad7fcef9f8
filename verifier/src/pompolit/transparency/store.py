"""Where a Merkle log keeps its hashes.

The log stores every *perfect* subtree hash: level 0 holds the leaf hashes,
level l holds the hash of leaves [i * 2**l, (i + 1) * 2**l) at index i. Because
the log only grows, nodes on each level are completed left to right, so a store
only ever appends to the end of each level. Any RFC 9162 subtree, and so any
root or proof for any past size, is a fold of O(log n) of these stored hashes.
"""

from collections.abc import Sequence
from typing import Protocol

HASH_SIZE = 32

Node = tuple[int, int]
"""(level, index) of a perfect subtree."""


class HashStore(Protocol):
    def size(self) -> int:
        """Number of leaves stored."""
        ...

    def read(self, nodes: Sequence[Node]) -> list[bytes]:
        """Hashes of the given complete nodes, in order (one round trip for a database)."""
        ...

    def append(self, new_size: int, levels: Sequence[bytes]) -> None:
        """Grow the log to `new_size` leaves.

        `levels[l]` is the concatenation of the 32-byte hashes newly completed on
        level l, which start at index `size() >> l`. Levels beyond the list
        gain no node. A persistent store must apply this atomically.
        """
        ...


class MemoryStore:
    """One flat bytearray per level: 32 bytes a hash, no per-node objects.

    1M leaves take about 64 MB (2n hashes), about the least a log that serves
    proofs for every past size can keep.
    """

    def __init__(self) -> None:
        self._size = 0
        self._levels: list[bytearray] = []

    def size(self) -> int:
        return self._size

    def read(self, nodes: Sequence[Node]) -> list[bytes]:
        out = []
        for level, index in nodes:
            if level >= len(self._levels) or index < 0:
                raise KeyError((level, index))
            start = index * HASH_SIZE
            data = bytes(self._levels[level][start : start + HASH_SIZE])
            if len(data) != HASH_SIZE:
                raise KeyError((level, index))
            out.append(data)
        return out

    def append(self, new_size: int, levels: Sequence[bytes]) -> None:
        # Check everything before changing anything, so a bad batch leaves the
        # store as it was.
        if new_size < self._size:
            raise ValueError("a Merkle log never shrinks")
        for level, hashes in enumerate(levels):
            have = len(self._levels[level]) if level < len(self._levels) else 0
            if have != (self._size >> level) * HASH_SIZE:
                raise ValueError(f"level {level} does not continue where it ended")
            if have + len(hashes) != (new_size >> level) * HASH_SIZE:
                raise ValueError(f"level {level} would not end at size {new_size}")
        if new_size >> len(levels) != self._size >> len(levels):
            raise ValueError(f"level {len(levels)} is missing from the batch")
        for level, hashes in enumerate(levels):
            if len(self._levels) <= level:
                self._levels.append(bytearray())
            self._levels[level] += hashes
        self._size = new_size
