"""The receipt index the copy's "check my donation" page reads, offline, in the browser.

For every donation among the leaves of the latest statement, its inclusion proof against that
statement's signed checkpoint (`pompolit-inclusion/1`, what `pompolit-verify inclusion`
checks), filed under the receipt identifier — SHA-256 of the code under a domain
(ledger/receipts.py), one-way on 130-bit codes — in 256 files by its first two hex digits.
The identifiers and the leaves are in the published statement already (every leaf carries its
receipt identifier): the index tells nothing the statement does not, it only saves a donor
downloading the whole statement to find one leaf.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from pompolit.transparency.bundle import inclusion_document

SHARDS = [f"{n:02x}" for n in range(256)]
FORMAT = "pompolit-receipt-index/1"


class Tree:
    """The RFC 9162 Merkle tree of a list of leaves, held in memory, for many proofs at once."""

    def __init__(self, leaves: Iterable[bytes]) -> None:
        level = [hashlib.sha256(b"\x00" + data).digest() for data in leaves]
        self.size = len(level)
        self.levels = [level]  # levels[k][i]: the perfect subtree of 2^k leaves from i·2^k
        while len(level) > 1:
            level = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
                     for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)
        self._memo: dict[tuple[int, int], bytes] = {}

    def hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range of the tree's leaves."""
        width = end - start
        if width & (width - 1) == 0 and start % width == 0:
            return self.levels[width.bit_length() - 1][start // width]
        found = self._memo.get((start, end))
        if found is None:
            split = 1 << ((width - 1).bit_length() - 1)  # the largest power of 2 below width
            found = hashlib.sha256(b"\x01" + self.hash(start, start + split)
                                   + self.hash(start + split, end)).digest()
            self._memo[(start, end)] = found
        return found

    def inclusion_proof(self, index: int) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162, section 2.1.3.1."""
        path: list[bytes] = []
        start, end = 0, self.size
        while end - start > 1:
            split = 1 << ((end - start - 1).bit_length() - 1)
            if index < start + split:
                path.append(self.hash(start + split, end))
                end = start + split
            else:
                path.append(self.hash(start, start + split))
                start += split
        path.reverse()
        return path


def index_files(leaves: list[bytes], checkpoint: str, period: str) -> dict[str, bytes]:
    """`ledger/receipts/<xx>.json` for every two hex digits (empty ones too: "not found" must
    not look like a missing file)."""
    tree = Tree(leaves)
    shards: dict[str, dict[str, object]] = {prefix: {} for prefix in SHARDS}
    reversed_by: dict[int, int] = {}
    donations: list[tuple[str, int]] = []
    for index, data in enumerate(leaves):
        leaf = json.loads(data)
        if isinstance(leaf.get("reverses"), int):
            reversed_by.setdefault(leaf["reverses"], index)
        if isinstance(leaf.get("receipt"), str):
            donations.append((leaf["receipt"], index))
    for receipt, index in donations:
        document = inclusion_document(checkpoint, index, tree.inclusion_proof(index),
                                      leaf_data=leaves[index])
        shards[receipt[:2]][receipt] = {"inclusion": document,
                                        "reversed_by": reversed_by.get(index)}
    return {
        f"ledger/receipts/{prefix}.json": json.dumps(
            {"format": FORMAT, "statement": period, "receipts": entries},
            ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        for prefix, entries in shards.items()
    }
