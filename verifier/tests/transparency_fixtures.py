"""A small published log: leaves, checkpoints and documents for bundle and CLI tests."""

import io
import json
from pathlib import Path

from pompolit.transparency import MerkleLog, sign, vkey
from pompolit.transparency.bundle import consistency_document, inclusion_document, write_bundle
from pompolit.transparency.note import public_key

ORIGIN = "pompolit.example/log"
SEED = bytes(range(32))
VKEY = vkey(ORIGIN, public_key(SEED))
ENTRIES = [f'{{"donation": {i}, "amount": "{i * 3}.00 EUR"}}'.encode() for i in range(1000)]
OLD = 600


def log(n: int = len(ENTRIES)) -> MerkleLog:
    result = MerkleLog()
    result.extend(ENTRIES[:n])
    return result


def checkpoint(size: int) -> str:
    return sign(ORIGIN, size, log(size).root(), ORIGIN, SEED)


def bundle_text(n: int = len(ENTRIES), previous: int | None = OLD) -> str:
    out = io.StringIO()
    full = log(n)
    write_bundle(
        out,
        origin=ORIGIN,
        leaves=ENTRIES[:n],
        checkpoint=checkpoint(n),
        previous_checkpoint=None if previous is None else checkpoint(previous),
        consistency_proof=None if previous is None else full.consistency_proof(previous),
    )
    return out.getvalue()


def inclusion_json(index: int = 123, by_hash: bool = False) -> dict[str, object]:
    full = log()
    if by_hash:
        return inclusion_document(
            checkpoint(full.size),
            index,
            full.inclusion_proof(index),
            leaf_hash=full.leaf_hash(index),
        )
    return inclusion_document(
        checkpoint(full.size), index, full.inclusion_proof(index), leaf_data=ENTRIES[index]
    )


def consistency_json() -> dict[str, object]:
    return consistency_document(
        checkpoint(OLD), checkpoint(len(ENTRIES)), log().consistency_proof(OLD)
    )


def write(path: Path, content: str | dict[str, object]) -> str:
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)
