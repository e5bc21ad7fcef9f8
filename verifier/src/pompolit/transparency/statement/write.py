"""Writing a statement: the head fields, then every leaf one per line, then their hashes.
The server publishes statements with it; the verifier's tests make them with it too."""

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from ..merkle import hash_leaves
from ..note import b64
from ..store import HASH_SIZE
from .read import STATEMENT


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def statement_parts(head: Mapping[str, object], leaves: Iterable[bytes],
                    again: Iterable[bytes] | None = None) -> Iterator[str]:
    """The text of a statement, piece by piece: the head fields, then the leaves one per
    line, then their hashes. With `again` (the same leaves, read a second time) the hashes
    are computed on a second pass and memory stays flat however many leaves there are;
    without it they are collected on the way (32 bytes a leaf)."""
    body = json.dumps({"format": STATEMENT, **head}, ensure_ascii=False, indent=1)
    yield body[:-2]
    yield ',\n "leaves": ['
    separator = "\n"
    hashes: list[bytes] = []
    chunk: list[bytes] = []
    for data in leaves:
        yield f'{separator}  "{b64(data)}"'
        separator = ",\n"
        if again is None:
            chunk.append(data)
            if len(chunk) >= 4096:
                hashes.append(hash_leaves(chunk))
                chunk.clear()
    yield '\n ],\n "leaf_hashes": ['
    separator = "\n"
    for joined in _hash_chunks(again) if again is not None else [*hashes, hash_leaves(chunk)]:
        for i in range(0, len(joined), HASH_SIZE):
            yield f'{separator}  "{b64(joined[i : i + HASH_SIZE])}"'
            separator = ",\n"
    yield "\n ]\n}\n"


def _hash_chunks(leaves: Iterable[bytes]) -> Iterator[bytes]:
    chunk: list[bytes] = []
    for data in leaves:
        chunk.append(data)
        if len(chunk) >= 4096:
            yield hash_leaves(chunk)
            chunk.clear()
    yield hash_leaves(chunk)


def write_statement(out: Writer, head: Mapping[str, object], leaves: Iterable[bytes],
                    again: Iterable[bytes] | None = None) -> None:
    """Write a statement (see statement_parts)."""
    for part in statement_parts(head, leaves, again):
        out.write(part)
