"""The log against the RFC's own recursive definitions, for every size and pair
up to 130 leaves, and against published test vectors."""

from hashlib import sha256

import pytest
from pompolit.transparency import (
    EMPTY_ROOT,
    MerkleLog,
    VerificationError,
    leaf_hash,
    node_hash,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)
from transparency_naive import Naive, leaves

N = 130
DATA = leaves(N)
NAIVE = Naive(DATA)


@pytest.fixture(scope="module")
def log() -> MerkleLog:
    log = MerkleLog()
    for data in DATA:
        log.append(data)
    return log


def test_hashes() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"a") == sha256(b"\x00a").digest()
    assert node_hash(b"L" * 32, b"R" * 32) == sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    assert root_from_leaves([]) == EMPTY_ROOT
    assert MerkleLog().root() == EMPTY_ROOT


def test_every_root(log: MerkleLog) -> None:
    for n in range(N + 1):
        expected = NAIVE.mth(0, n)
        assert log.root(n) == expected, n
        assert root_from_leaves(DATA[:n]) == expected, n


def test_every_inclusion_proof(log: MerkleLog) -> None:
    for n in range(1, N + 1):
        root = NAIVE.mth(0, n)
        for m in range(n):
            proof = log.inclusion_proof(m, n)
            assert proof == NAIVE.path(m, 0, n), (m, n)
            verify_inclusion(leaf_hash(DATA[m]), m, n, proof, root)


def test_every_consistency_proof(log: MerkleLog) -> None:
    for n in range(N + 1):
        new_root = NAIVE.mth(0, n)
        for m in range(n + 1):
            proof = log.consistency_proof(m, n)
            assert proof == NAIVE.proof(m, n), (m, n)
            verify_consistency(m, n, NAIVE.mth(0, m), new_root, proof)


def test_extend_in_any_batches_equals_append(log: MerkleLog) -> None:
    for cut in (0, 1, 2, 3, 7, 64, 65, 129, 130):
        other = MerkleLog()
        assert other.extend(DATA[:cut]) == range(0, cut)
        assert other.extend(iter(DATA[cut:])) == range(cut, N)
        assert other.root() == log.root()
        assert other.store.read([(0, 5), (3, 7)]) == log.store.read([(0, 5), (3, 7)])


def test_append_returns_index() -> None:
    log = MerkleLog()
    assert [log.append(b"x") for _ in range(5)] == [0, 1, 2, 3, 4]
    assert log.size == 5


def test_out_of_range_requests(log: MerkleLog) -> None:
    with pytest.raises(ValueError):
        log.root(N + 1)
    with pytest.raises(ValueError):
        log.inclusion_proof(N, N)
    with pytest.raises(ValueError):
        log.inclusion_proof(0, N + 1)
    with pytest.raises(ValueError):
        log.consistency_proof(5, 4)
    with pytest.raises(ValueError):
        log.consistency_proof(-1, 4)


# transparency-dev/merkle proof/verify_test.go (the RFC 6962 reference vectors).
GO_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]  # fmt: skip
GO_ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]  # fmt: skip
H = bytes.fromhex
GO_INCLUSION = [  # (leaf index counting from 1, size, proof)
    (1, 1, []),
    (1, 8, [H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (3, 3, [H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (2, 5, [H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]  # fmt: skip
GO_CONSISTENCY = [
    (1, 1, []),
    (1, 8, [H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 5, [H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 7, [H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]  # fmt: skip
SOME_HASH = H("abacaba000000000000000000000000000000000000000000060061e00123456")


@pytest.fixture(scope="module")
def go_log() -> MerkleLog:
    log = MerkleLog()
    log.extend(GO_LEAVES)
    return log


def test_go_roots(go_log: MerkleLog) -> None:
    assert [go_log.root(n) for n in range(1, 9)] == GO_ROOTS


@pytest.mark.parametrize(("leaf", "size", "proof"), GO_INCLUSION)
def test_go_inclusion_vectors(go_log: MerkleLog, leaf: int, size: int, proof: list[bytes]) -> None:
    index, root, hashed = leaf - 1, GO_ROOTS[size - 1], leaf_hash(GO_LEAVES[leaf - 1])
    assert go_log.inclusion_proof(index, size) == proof
    verify_inclusion(hashed, index, size, proof, root)
    probes = [
        (index - 1, size, root, hashed, proof),
        (index + 1, size, root, hashed, proof),
        (index ^ 2, size, root, hashed, proof),
        (index, size * 2, root, hashed, proof),
        (index, size // 2, root, hashed, proof),
        (index, size, root, b"WrongLeaf", proof),
        (index, size, EMPTY_ROOT, hashed, proof),
        (index, size, SOME_HASH, hashed, proof),
        (index, size, root, hashed, [*proof, b""]),
        (index, size, root, hashed, [*proof, root]),
        (index, size, root, hashed, [b"", *proof]),
        (index, size, root, hashed, [root, *proof]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((index, size, root, hashed, wrong))
    if proof:
        probes.append((index, size, root, hashed, proof[:-1]))
    if len(proof) > 1:
        probes.append((index, size, root, hashed, [proof[0], SOME_HASH, *proof[1:]]))
    for probe_index, probe_size, probe_root, probe_leaf, probe_proof in probes:
        with pytest.raises(VerificationError):
            verify_inclusion(probe_leaf, probe_index, probe_size, probe_proof, probe_root)


@pytest.mark.parametrize(("size1", "size2", "proof"), GO_CONSISTENCY)
def test_go_consistency_vectors(
    go_log: MerkleLog, size1: int, size2: int, proof: list[bytes]
) -> None:
    root1, root2 = GO_ROOTS[size1 - 1], GO_ROOTS[size2 - 1]
    assert go_log.consistency_proof(size1, size2) == proof
    verify_consistency(size1, size2, root1, root2, proof)
    if not proof:
        return
    probes = [
        (size1 - 1, size2, root1, root2, proof),
        (size1 + 1, size2, root1, root2, proof),
        (size1 ^ 2, size2, root1, root2, proof),
        (size1, size2 * 2, root1, root2, proof),
        (size1, size2 // 2, root1, root2, proof),
        (size1, size2, b"WrongRoot", root2, proof),
        (size1, size2, root1, b"WrongRoot", proof),
        (size1, size2, root2, root1, proof),
        (size1, size2, root1, root2, []),
        (size1, size2, root1, root2, [*proof, b""]),
        (size1, size2, root1, root2, [*proof, root1]),
        (size1, size2, root1, root2, [*proof, root2]),
        (size1, size2, root1, root2, [b"", *proof]),
        (size1, size2, root1, root2, [root1, *proof]),
        (size1, size2, root1, root2, [root2, *proof]),
        (size1, size2, root1, root2, [proof[0], *proof]),
        (size1, size2, root1, root2, proof[:-1]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((size1, size2, root1, root2, wrong))
    for s1, s2, r1, r2, p in probes:
        with pytest.raises(VerificationError):
            verify_consistency(s1, s2, r1, r2, p)


ROOT1, ROOT2 = b"don't care 1", b"don't care 2"


@pytest.mark.parametrize(
    ("size1", "size2", "root1", "root2", "proof", "ok"),
    [
        (0, 0, ROOT1, ROOT2, [], False),
        (1, 1, ROOT1, ROOT2, [], False),
        (0, 0, ROOT1, ROOT1, [], True),
        (0, 1, ROOT1, ROOT2, [], True),
        (1, 1, ROOT2, ROOT2, [], True),
        (1, 0, ROOT1, ROOT2, [], False),
        (2, 1, ROOT1, ROOT2, [], False),
        (1, 2, ROOT1, ROOT2, [], False),
        (0, 0, EMPTY_ROOT, ROOT2, [], False),
        (1, 1, EMPTY_ROOT, ROOT2, [], False),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
    ],
)
def test_go_trivial_consistency_cases(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes], ok: bool
) -> None:
    # Same table as transparency-dev/merkle's TestVerifyConsistency.
    if ok:
        verify_consistency(size1, size2, root1, root2, proof)
    else:
        with pytest.raises(VerificationError):
            verify_consistency(size1, size2, root1, root2, proof)


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (2, 1), (-1, 3)])
def test_inclusion_index_outside_tree(index: int, size: int) -> None:
    with pytest.raises(VerificationError, match=r"outside|negative"):
        verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)


def test_single_leaf_tree() -> None:
    hashed = leaf_hash(b"data")
    verify_inclusion(hashed, 0, 1, [], hashed)
    for leaf, root in ((hashed, b""), (b"", hashed), (b"", b"")):
        with pytest.raises(VerificationError):
            verify_inclusion(leaf, 0, 1, [], root)


def test_error_messages_say_what_failed(go_log: MerkleLog) -> None:
    proof = go_log.inclusion_proof(5, 8)
    with pytest.raises(VerificationError, match=r"has 2 hashes, but .* takes exactly 3"):
        verify_inclusion(leaf_hash(GO_LEAVES[5]), 5, 8, proof[:2], GO_ROOTS[7])
    with pytest.raises(VerificationError, match="proof element 2 must be 32 bytes"):
        verify_inclusion(leaf_hash(GO_LEAVES[5]), 5, 8, [proof[0], b"x", proof[2]], GO_ROOTS[7])
    with pytest.raises(VerificationError, match="leads to root"):
        verify_inclusion(leaf_hash(b"other"), 5, 8, proof, GO_ROOTS[7])
    with pytest.raises(VerificationError, match="only grow"):
        verify_consistency(8, 5, GO_ROOTS[7], GO_ROOTS[4], [])
    with pytest.raises(VerificationError, match="forked"):
        verify_consistency(5, 5, GO_ROOTS[4], GO_ROOTS[5], [])
