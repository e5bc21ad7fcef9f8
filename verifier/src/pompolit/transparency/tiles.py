"""Tiles: the shape in which a database keeps a log's hashes.

Storing one row per hash would mean 2n rows for n leaves. Instead the hashes
of each level are cut into tiles of 2**tile_bits consecutive hashes (256 by
default, 8 KiB) and a backend stores only blobs keyed by (level, tile). Only
the rightmost tile of a level is ever rewritten; every other tile is written
once and never changes. A root or proof for any size touches O(log n) tiles,
read in one round trip.

A database-backed log therefore implements the three methods of TileBackend
(for example with a model (level, tile, data) and a one-row size table, and
`save` inside one transaction) and wraps it in TiledStore.
"""

from collections.abc import Mapping, Sequence
from typing import Protocol

from .store import HASH_SIZE, Node

TileKey = tuple[int, int]
"""(level, tile number)."""


class TileBackend(Protocol):
    def load_size(self) -> int: ...

    def load_tiles(self, keys: Sequence[TileKey]) -> dict[TileKey, bytes]:
        """The stored blobs for these keys; missing keys are left out."""
        ...

    def save(self, new_size: int, tiles: Mapping[TileKey, bytes]) -> None:
        """Insert or replace the tiles and record the new size, atomically."""
        ...


class MemoryTileBackend:
    def __init__(self) -> None:
        self.size = 0
        self.tiles: dict[TileKey, bytes] = {}

    def load_size(self) -> int:
        return self.size

    def load_tiles(self, keys: Sequence[TileKey]) -> dict[TileKey, bytes]:
        return {key: self.tiles[key] for key in keys if key in self.tiles}

    def save(self, new_size: int, tiles: Mapping[TileKey, bytes]) -> None:
        self.tiles.update(tiles)
        self.size = new_size


class TiledStore:
    """A HashStore on top of a TileBackend."""

    def __init__(self, backend: TileBackend, tile_bits: int = 8) -> None:
        self.backend = backend
        self.tile_bits = tile_bits

    def size(self) -> int:
        return self.backend.load_size()

    def read(self, nodes: Sequence[Node]) -> list[bytes]:
        bits = self.tile_bits
        keys = sorted({(level, index >> bits) for level, index in nodes})
        tiles = self.backend.load_tiles(keys)
        out = []
        mask = (1 << bits) - 1
        for level, index in nodes:
            tile = tiles.get((level, index >> bits), b"")
            start = (index & mask) * HASH_SIZE
            value = tile[start : start + HASH_SIZE]
            if len(value) != HASH_SIZE:
                raise KeyError((level, index))
            out.append(value)
        return out

    def append(self, new_size: int, levels: Sequence[bytes]) -> None:
        bits = self.tile_bits
        width = (1 << bits) * HASH_SIZE
        size = self.size()
        if new_size < size:
            raise ValueError("a Merkle log never shrinks")
        # The rightmost tile of each level may be partly filled: extend it.
        partial = [
            (level, (size >> level) >> bits)
            for level, hashes in enumerate(levels)
            if hashes and (size >> level) & ((1 << bits) - 1)
        ]
        existing = self.backend.load_tiles(partial)
        tiles: dict[TileKey, bytes] = {}
        for level, hashes in enumerate(levels):
            if not hashes:
                continue
            first = size >> level
            if (first + len(hashes) // HASH_SIZE) != new_size >> level:
                raise ValueError(f"level {level} would not end at size {new_size}")
            tile_number = first >> bits
            head = existing.get((level, tile_number), b"")
            if len(head) != (first & ((1 << bits) - 1)) * HASH_SIZE:
                raise ValueError(f"level {level} does not continue where it ended")
            data = head + hashes
            for offset in range(0, len(data), width):
                tiles[(level, tile_number + offset // width)] = data[offset : offset + width]
        self.backend.save(new_size, tiles)
