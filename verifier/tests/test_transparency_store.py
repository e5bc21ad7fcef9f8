"""Stores: a tiled store answers exactly like the in-memory one; tampering is caught."""

import random

import pytest
from pompolit.transparency import MemoryStore, MerkleLog, TiledStore, VerificationError
from pompolit.transparency.tiles import MemoryTileBackend
from transparency_naive import leaves

DATA = leaves(300)


def filled(log: MerkleLog, seed: int = 1) -> MerkleLog:
    rng = random.Random(seed)
    position = 0
    while position < len(DATA):
        step = rng.choice([1, 1, 2, 5, 17, 64])
        if step == 1:
            log.append(DATA[position])
        else:
            log.extend(DATA[position : position + step])
        position = min(len(DATA), position + step)
    return log


@pytest.mark.parametrize("tile_bits", [1, 2, 3, 8])
def test_tiled_store_matches_memory_store(tile_bits: int) -> None:
    memory = filled(MerkleLog(MemoryStore()))
    tiled = filled(MerkleLog(TiledStore(MemoryTileBackend(), tile_bits)), seed=2)
    for size in range(len(DATA) + 1):
        assert tiled.root(size) == memory.root(size)
        assert tiled.consistency_proof(size // 3, size) == memory.consistency_proof(size // 3, size)
        if size:
            for index in {0, size // 2, size - 1}:
                assert tiled.inclusion_proof(index, size) == memory.inclusion_proof(index, size)
    tiled.audit()


def test_tiles_hold_at_most_their_width() -> None:
    backend = MemoryTileBackend()
    log = MerkleLog(TiledStore(backend, tile_bits=2))
    log.extend(DATA[:10])
    assert all(len(blob) <= 4 * 32 for blob in backend.tiles.values())
    assert backend.tiles[(0, 2)] == b"".join(log.store.read([(0, 8), (0, 9)]))


def test_reopened_log_continues() -> None:
    store = MemoryStore()
    MerkleLog(store).extend(DATA[:77])
    reopened = MerkleLog(store)
    assert reopened.size == 77
    reopened.extend(DATA[77:])
    assert reopened.root() == MerkleLog(_with(DATA)).root()


def test_two_writers_on_one_store_stay_in_step() -> None:
    store = MemoryStore()
    first, second = MerkleLog(store), MerkleLog(store)
    first.extend(DATA[:10])
    assert second.append(DATA[10]) == 10
    assert first.append(DATA[11]) == 11
    assert first.root() == MerkleLog(_with(DATA[:12])).root()


def _with(entries: list[bytes]) -> MemoryStore:
    store = MemoryStore()
    MerkleLog(store).extend(entries)
    return store


def test_audit_passes_on_honest_store() -> None:
    filled(MerkleLog()).audit()


@pytest.mark.parametrize(("level", "index"), [(0, 0), (0, 131), (1, 7), (5, 2), (8, 0)])
def test_tampered_stored_hash_is_detected(level: int, index: int) -> None:
    log = MerkleLog()
    log.extend(DATA)
    store = log.store
    assert isinstance(store, MemoryStore)
    levels = store._levels
    levels[level][index * 32] ^= 1
    with pytest.raises(VerificationError, match="was altered"):
        log.audit()


def test_tampered_tile_is_detected() -> None:
    backend = MemoryTileBackend()
    log = MerkleLog(TiledStore(backend, tile_bits=3))
    log.extend(DATA)
    blob = bytearray(backend.tiles[(2, 1)])
    blob[40] ^= 0x80
    backend.tiles[(2, 1)] = bytes(blob)
    with pytest.raises(VerificationError, match=r"level [23], index"):
        log.audit()


def test_store_refuses_gaps_and_shrinking() -> None:
    store = MemoryStore()
    MerkleLog(store).extend(DATA[:4])
    with pytest.raises(ValueError):
        store.append(3, [b""])
    with pytest.raises(ValueError):
        store.append(6, [b"x" * 32])  # says 6 leaves, brings 1
    with pytest.raises(KeyError):
        store.read([(0, 4)])
    tiled = TiledStore(MemoryTileBackend(), 2)
    with pytest.raises(ValueError):
        tiled.append(2, [b"x" * 32])
