"""Pompolit's transparency log: an RFC 9162 Merkle log, C2SP checkpoints,
proofs, published bundles and their stand-alone verifier. No Django here."""

from .checkpoint import Checkpoint, add_signature, cosign, sign, verify, vkey
from .errors import DocumentError, VerificationError
from .merkle import (
    EMPTY_ROOT,
    MerkleLog,
    leaf_hash,
    node_hash,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)
from .store import HashStore, MemoryStore
from .tiles import TileBackend, TiledStore

__all__ = [
    "EMPTY_ROOT",
    "Checkpoint",
    "DocumentError",
    "HashStore",
    "MemoryStore",
    "MerkleLog",
    "TileBackend",
    "TiledStore",
    "VerificationError",
    "add_signature",
    "cosign",
    "leaf_hash",
    "node_hash",
    "root_from_leaves",
    "sign",
    "verify",
    "verify_consistency",
    "verify_inclusion",
    "vkey",
]
