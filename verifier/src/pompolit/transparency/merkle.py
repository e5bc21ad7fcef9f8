"""RFC 9162 §2.1 Merkle tree: hashing, an append-only log, proofs and their checks.

Hashes are SHA-256. A leaf hash is H(0x00 || data), an interior node is
H(0x01 || left || right), a tree of n > 1 leaves splits at the largest power of
two smaller than n, and the empty tree's root is H("").
"""

from collections.abc import Iterable, Iterator, Sequence
from hashlib import sha256
from itertools import islice

from .errors import VerificationError
from .store import HASH_SIZE, HashStore, MemoryStore, Node

EMPTY_ROOT = sha256(b"").digest()

# Copying a primed hash object is cheaper than concatenating the prefix onto
# every input; this is the hot loop of bulk appends and bundle checks.
_LEAF_PREFIX = sha256(b"\x00")
_NODE_PREFIX = sha256(b"\x01")
_CHUNK = 1 << 16


def leaf_hash(data: bytes) -> bytes:
    h = _LEAF_PREFIX.copy()
    h.update(data)
    return h.digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    h = _NODE_PREFIX.copy()
    h.update(left)
    h.update(right)
    return h.digest()


def hash_leaves(leaves: Iterable[bytes]) -> bytes:
    """Concatenated leaf hashes of the given entries."""
    copy = _LEAF_PREFIX.copy
    out: list[bytes] = []
    append = out.append
    for data in leaves:
        h = copy()
        h.update(data)
        append(h.digest())
    return b"".join(out)


def _hash_pairs(hashes: bytes) -> bytes:
    """Parents of consecutive pairs; an unpaired last hash is left for later."""
    copy = _NODE_PREFIX.copy
    view = memoryview(hashes)
    out: list[bytes] = []
    append = out.append
    for i in range(0, len(hashes) - 2 * HASH_SIZE + 1, 2 * HASH_SIZE):
        h = copy()
        h.update(view[i : i + 2 * HASH_SIZE])
        append(h.digest())
    return b"".join(out)


class RootBuilder:
    """The right edge ("frontier") of a growing tree: O(log n) hashes, any size.

    Enough to compute the root after each append and to know which perfect
    subtrees a batch of new leaves completes, without keeping the leaves.
    """

    def __init__(self, size: int = 0, frontier: dict[int, bytes] | None = None) -> None:
        # frontier[l] is the hash of the perfect subtree of 2**l leaves ending at
        # the last complete multiple of 2**l; it exists exactly for the set bits of size.
        self.size = size
        self.frontier = dict(frontier or {})

    def grow(self, leaf_hashes: bytes) -> list[bytes]:
        """Add leaf hashes; return the nodes newly completed on each level."""
        size, frontier = self.size, self.frontier
        levels = [leaf_hashes]
        current = leaf_hashes
        level = 0
        while True:
            block = frontier[level] + current if (size >> level) & 1 else current
            if len(block) < 2 * HASH_SIZE:
                break
            current = _hash_pairs(block)
            levels.append(current)
            level += 1
        new_size = size + len(leaf_hashes) // HASH_SIZE
        for level in range(new_size.bit_length()):
            if (new_size >> level) & 1:
                if level < len(levels) and levels[level]:
                    frontier[level] = levels[level][-HASH_SIZE:]
            else:
                frontier.pop(level, None)
        self.size = new_size
        return levels

    def add_leaves(self, leaves: Iterable[bytes]) -> None:
        iterator = iter(leaves)
        while chunk := list(islice(iterator, _CHUNK)):
            self.grow(hash_leaves(chunk))

    def root(self) -> bytes:
        result = b""
        for level in sorted(self.frontier):
            node = self.frontier[level]
            result = node_hash(node, result) if result else node
        return result or EMPTY_ROOT


def root_from_leaves(leaves: Iterable[bytes]) -> bytes:
    builder = RootBuilder()
    builder.add_leaves(leaves)
    return builder.root()


def perfect_nodes(start: int, end: int) -> list[Node]:
    """The stored perfect subtrees that make up leaves [start, end), left to right."""
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def _split(width: int) -> int:
    """Largest power of two smaller than width (width >= 2)."""
    return 1 << ((width - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose subtree hashes form PATH(index, D[0:size]), bottom-up."""
    ranges = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose subtree hashes form PROOF(old_size, D[0:new_size])."""
    if old_size in (0, new_size):
        return []
    ranges = []
    lo, hi = 0, new_size
    whole = True  # SUBPROOF's b: is the subtree still the old tree's own root?
    while old_size != hi:
        k = _split(hi - lo)
        if old_size <= lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
            whole = False
    if not whole:
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


class MerkleLog:
    """An append-only RFC 9162 log over a HashStore (in memory unless given one).

    Appending costs amortised O(1) hashes; roots and proofs for any past size
    read O(log n) stored perfect-subtree hashes and hash O(log n) times.
    """

    def __init__(self, store: HashStore | None = None) -> None:
        self.store: HashStore = store if store is not None else MemoryStore()
        # The right edge is loaded when first appending (see _sync), not here: a log opened
        # only to answer a proof never needs it.
        self._edge = RootBuilder()

    def _sync(self) -> None:
        # Another writer may have grown a shared store; reload the right edge.
        size = self.store.size()
        if size == self._edge.size:
            return
        levels = [level for level in range(size.bit_length()) if (size >> level) & 1]
        hashes = self.store.read([(level, (size >> level) - 1) for level in levels])
        self._edge = RootBuilder(size, dict(zip(levels, hashes, strict=True)))

    @property
    def size(self) -> int:
        return self.store.size()

    def append(self, data: bytes) -> int:
        # The one-leaf case of extend(), without its batching: a new leaf
        # completes one node per trailing 1-bit of the old size.
        self._sync()
        edge = self._edge
        size, frontier = edge.size, edge.frontier
        node = leaf_hash(data)
        levels = [node]
        level = 0
        while (size >> level) & 1:
            node = node_hash(frontier[level], node)
            levels.append(node)
            level += 1
        self.store.append(size + 1, levels)
        for done in range(level):
            del frontier[done]
        frontier[level] = node
        edge.size = size + 1
        return size

    def extend(self, leaves: Iterable[bytes]) -> range:
        """Append entries in batches; each batch reaches the store as one write."""
        self._sync()
        start = self._edge.size
        iterator: Iterator[bytes] = iter(leaves)
        while chunk := list(islice(iterator, _CHUNK)):
            edge = RootBuilder(self._edge.size, self._edge.frontier)
            levels = edge.grow(hash_leaves(chunk))
            self.store.append(edge.size, levels)
            self._edge = edge
        return range(start, self._edge.size)

    def _check_size(self, size: int | None) -> int:
        current = self.size
        if size is None:
            return current
        if not 0 <= size <= current:
            raise ValueError(f"the log has {current} leaves, it has no tree of size {size}")
        return size

    def _subtree_hashes(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        plans = [perfect_nodes(lo, hi) for lo, hi in ranges]
        stored = iter(self.store.read([node for plan in plans for node in plan]))
        hashes = []
        for plan in plans:
            parts = [next(stored) for _ in plan]
            result = parts.pop()
            while parts:
                result = node_hash(parts.pop(), result)
            hashes.append(result)
        return hashes

    def root(self, size: int | None = None) -> bytes:
        size = self._check_size(size)
        if size == 0:
            return EMPTY_ROOT
        self._sync()
        if size == self._edge.size:
            return self._edge.root()  # the right edge is in memory already
        return self._subtree_hashes([(0, size)])[0]

    def leaf_hash(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise ValueError(f"the log has {self.size} leaves, it has no leaf {index}")
        return self.store.read([(0, index)])[0]

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        size = self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in the tree of size {size}")
        return self._subtree_hashes(inclusion_ranges(index, size))

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        new_size = self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
        return self._subtree_hashes(consistency_ranges(old_size, new_size))

    def audit(self, batch: int = 1 << 14) -> None:
        """Recompute every stored interior hash from its children.

        Catches a tampered or corrupted store, naming the first bad node. It
        cannot tell a consistently rewritten tree from the real one: for that,
        compare root() with the last signed checkpoint.
        """
        size = self.size
        for level in range(1, size.bit_length()):
            count = size >> level
            for first in range(0, count, batch):
                last = min(count, first + batch)
                parents = self.store.read([(level, i) for i in range(first, last)])
                children = b"".join(
                    self.store.read([(level - 1, i) for i in range(2 * first, 2 * last)])
                )
                expected = _hash_pairs(children)
                for offset, stored in enumerate(parents):
                    start = offset * HASH_SIZE
                    if stored != expected[start : start + HASH_SIZE]:
                        lo = (first + offset) << level
                        raise VerificationError(
                            f"stored hash of leaves {lo}..{lo + (1 << level) - 1} "
                            f"(level {level}, index {first + offset}) does not match "
                            "the hash of its two halves: the store was altered"
                        )


def _check_hash(what: str, value: bytes) -> None:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        raise VerificationError(f"{what} must be {HASH_SIZE} bytes, got {_describe(value)}")


def _describe(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return f"{len(value)} bytes"
    return type(value).__name__


def _check_proof(proof: Sequence[bytes], expected: int, what: str) -> None:
    for position, element in enumerate(proof, start=1):
        _check_hash(f"proof element {position}", element)
    if len(proof) != expected:
        raise VerificationError(
            f"the proof has {len(proof)} hashes, but {what} takes exactly {expected}"
        )


def _inclusion_shape(index: int, size: int) -> tuple[int, int]:
    # Where the paths to `index` and to the last leaf part: below that point
    # the proof holds siblings on either side ("inner"), above it only left
    # siblings along the right border ("border"). Same split as
    # transparency-dev/merkle's decompInclProof.
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    return inner, border


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 §2.1.3.2. Raises VerificationError unless the leaf is in the tree."""
    if index < 0 or size < 0:
        raise VerificationError(f"leaf index {index} and tree size {size} must not be negative")
    if index >= size:
        raise VerificationError(f"leaf index {index} is outside a tree of {size} leaves")
    _check_hash("the leaf hash", leaf_hash)
    _check_hash("the root hash", root)
    inner, border = _inclusion_shape(index, size)
    _check_proof(proof, inner + border, f"an inclusion proof for leaf {index} of {size}")
    result = bytes(leaf_hash)
    for position, sibling in enumerate(proof[:inner]):
        left_sibling = (index >> position) & 1
        result = node_hash(sibling, result) if left_sibling else node_hash(result, sibling)
    for sibling in proof[inner:]:
        result = node_hash(sibling, result)
    if result != root:
        raise VerificationError(
            f"the inclusion proof for leaf {index} leads to root {result.hex()}, "
            f"but the tree of {size} leaves has root {bytes(root).hex()}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2. Raises VerificationError unless new extends old.

    Trivial cases follow Trillian and transparency-dev/merkle: equal sizes need
    equal roots and an empty proof; every tree extends the empty tree, with an
    empty proof.
    """
    if _trivially_consistent(old_size, new_size, old_root, new_root, proof):
        return
    if not proof:
        raise VerificationError(f"the consistency proof from {old_size} to {new_size} is empty")
    _check_hash("the old root hash", old_root)
    _check_hash("the new root hash", new_root)
    old_hash, new_hash = _roots_from_consistency_proof(old_size, new_size, old_root, proof)
    if old_hash != old_root:
        raise VerificationError(
            f"the consistency proof rebuilds the old root as {old_hash.hex()}, "
            f"but the tree of {old_size} leaves has root {bytes(old_root).hex()}"
        )
    if new_hash != new_root:
        raise VerificationError(
            f"the consistency proof rebuilds the new root as {new_hash.hex()}, "
            f"but the tree of {new_size} leaves has root {bytes(new_root).hex()}"
        )


def _trivially_consistent(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Sizes that cannot be (VerificationError), or need no proof: equal sizes, or an empty
    old tree (True when so). False: a proof must show it."""
    if old_size < 0 or new_size < 0:
        raise VerificationError("tree sizes must not be negative")
    if old_size > new_size:
        raise VerificationError(
            f"the old tree ({old_size} leaves) is larger than the new one ({new_size} leaves): "
            "a log can only grow"
        )
    if old_size != new_size and old_size != 0:
        return False
    if proof:
        raise VerificationError(
            f"a consistency proof from size {old_size} to {new_size} must be empty, "
            f"got {len(proof)} hashes"
        )
    if old_size == new_size and bytes(old_root) != bytes(new_root):
        raise VerificationError(
            f"two trees of the same size {old_size} have different roots "
            f"{bytes(old_root).hex()} and {bytes(new_root).hex()}: the log forked"
        )
    return True


def _roots_from_consistency_proof(
    old_size: int, new_size: int, old_root: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """The old and the new root, rebuilt from the proof (its length checked first)."""
    inner, border = _inclusion_shape(old_size - 1, new_size)
    # The old tree's rightmost perfect subtree (2**shift leaves) is the seed;
    # the proof carries it first unless the old tree is exactly that subtree.
    shift = (old_size & -old_size).bit_length() - 1
    inner -= shift
    seed_given = old_size != 1 << shift
    expected = int(seed_given) + inner + border
    _check_proof(proof, expected, f"a consistency proof from {old_size} to {new_size}")
    seed = proof[0] if seed_given else old_root
    path = proof[int(seed_given) :]

    mask = (old_size - 1) >> shift
    old_hash = bytes(seed)
    new_hash = bytes(seed)
    for position, sibling in enumerate(path[:inner]):
        if (mask >> position) & 1:
            old_hash = node_hash(sibling, old_hash)
            new_hash = node_hash(sibling, new_hash)
        else:
            new_hash = node_hash(new_hash, sibling)
    for sibling in path[inner:]:
        old_hash = node_hash(sibling, old_hash)
        new_hash = node_hash(sibling, new_hash)
    return old_hash, new_hash
