"""Every honest proof verifies; every small change to one is rejected."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pompolit.transparency import MerkleLog, VerificationError, leaf_hash
from pompolit.transparency import verify_consistency as check_consistency
from pompolit.transparency import verify_inclusion as check_inclusion
from transparency_naive import leaves

N = 1100
DATA = leaves(N)
LOG = MerkleLog()
LOG.extend(DATA)
ROOTS = [LOG.root(n) for n in range(N + 1)]


def rejected(check: object, *args: object) -> bool:
    assert callable(check)
    try:
        check(*args)
    except VerificationError:
        return True
    return False


@st.composite
def inclusion_case(draw: st.DrawFn) -> tuple[int, int, list[bytes]]:
    size = draw(st.integers(1, N))
    index = draw(st.integers(0, size - 1))
    return index, size, LOG.inclusion_proof(index, size)


@st.composite
def consistency_case(draw: st.DrawFn) -> tuple[int, int, list[bytes]]:
    size = draw(st.integers(2, N))
    old = draw(st.integers(1, size - 1))
    return old, size, LOG.consistency_proof(old, size)


def flip(proof: list[bytes], element: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[element])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:element], bytes(changed), *proof[element + 1 :]]


@given(inclusion_case())
def test_honest_inclusion_proofs_verify(case: tuple[int, int, list[bytes]]) -> None:
    index, size, proof = case
    check_inclusion(leaf_hash(DATA[index]), index, size, proof, ROOTS[size])


@given(consistency_case())
def test_honest_consistency_proofs_verify(case: tuple[int, int, list[bytes]]) -> None:
    old, new, proof = case
    check_consistency(old, new, ROOTS[old], ROOTS[new], proof)


@given(inclusion_case(), st.data())
def test_inclusion_bit_flips_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    index, size, proof = case
    hashed = leaf_hash(DATA[index])
    bit = data.draw(st.integers(0, 255))
    if proof:
        element = data.draw(st.integers(0, len(proof) - 1))
        assert rejected(
            check_inclusion, hashed, index, size, flip(proof, element, bit), ROOTS[size]
        )
    assert rejected(check_inclusion, flip([hashed], 0, bit)[0], index, size, proof, ROOTS[size])
    assert rejected(check_inclusion, hashed, index, size, proof, flip([ROOTS[size]], 0, bit)[0])


@given(inclusion_case(), st.data())
def test_inclusion_truncation_extension_reordering_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    index, size, proof = case
    hashed, root = leaf_hash(DATA[index]), ROOTS[size]
    extra = data.draw(st.binary(min_size=32, max_size=32))
    position = data.draw(st.integers(0, len(proof)))
    assert rejected(
        check_inclusion, hashed, index, size, [*proof[:position], extra, *proof[position:]], root
    )
    if proof:
        cut = data.draw(st.integers(0, len(proof) - 1))
        assert rejected(check_inclusion, hashed, index, size, proof[:cut] + proof[cut + 1 :], root)
    if len(set(proof)) > 1:
        shuffled = data.draw(st.permutations(proof).filter(lambda p: list(p) != proof))
        assert rejected(check_inclusion, hashed, index, size, list(shuffled), root)


@given(inclusion_case(), st.data())
def test_inclusion_wrong_index_or_size_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    index, size, proof = case
    hashed, root = leaf_hash(DATA[index]), ROOTS[size]
    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
        assert rejected(check_inclusion, hashed, other, size, proof, root)
    # A proof cannot show the leaf in a tree of another size (that tree's root)...
    other_size = data.draw(st.integers(index + 1, N).filter(lambda s: s != size))
    assert rejected(check_inclusion, hashed, index, other_size, proof, ROOTS[other_size])
    # ...nor claim another size for the same root once the proof's shape changes.
    assert rejected(check_inclusion, hashed, index, size * 2, proof, root)
    assert rejected(check_inclusion, hashed, index, size // 2, proof, root)


@given(consistency_case(), st.data())
def test_consistency_tampering_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    old, new, proof = case
    r_old, r_new = ROOTS[old], ROOTS[new]
    element = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    assert rejected(check_consistency, old, new, r_old, r_new, flip(proof, element, bit))
    assert rejected(check_consistency, old, new, flip([r_old], 0, bit)[0], r_new, proof)
    assert rejected(check_consistency, old, new, r_old, flip([r_new], 0, bit)[0], proof)
    assert rejected(
        check_consistency, old, new, r_old, r_new, proof[:element] + proof[element + 1 :]
    )
    extra = data.draw(st.binary(min_size=32, max_size=32))
    position = data.draw(st.integers(0, len(proof)))
    assert rejected(
        check_consistency, old, new, r_old, r_new, [*proof[:position], extra, *proof[position:]]
    )
    if len(set(proof)) > 1:
        shuffled = data.draw(st.permutations(proof).filter(lambda p: list(p) != proof))
        assert rejected(check_consistency, old, new, r_old, r_new, list(shuffled))


@given(consistency_case(), st.data())
def test_consistency_wrong_sizes_rejected(
    case: tuple[int, int, list[bytes]], data: st.DataObject
) -> None:
    old, new, proof = case
    other_old = data.draw(st.integers(1, N).filter(lambda s: s != old))
    assert rejected(check_consistency, other_old, new, ROOTS[other_old], ROOTS[new], proof)
    other_new = data.draw(st.integers(1, N).filter(lambda s: s != new))
    assert rejected(check_consistency, old, other_new, ROOTS[old], ROOTS[other_new], proof)
    assert rejected(check_consistency, old, new * 2, ROOTS[old], ROOTS[new], proof)
    assert rejected(check_consistency, new, old, ROOTS[new], ROOTS[old], proof)


@settings(max_examples=30)
@given(st.lists(st.binary(max_size=40), max_size=300), st.lists(st.integers(0, 300), max_size=5))
def test_batches_do_not_change_the_tree(entries: list[bytes], cuts: list[int]) -> None:
    whole = MerkleLog()
    whole.extend(entries)
    pieces = MerkleLog()
    start = 0
    for cut in sorted(min(c, len(entries)) for c in cuts):
        pieces.extend(entries[start:cut])
        start = cut
    for data in entries[start:]:
        pieces.append(data)
    assert pieces.root() == whole.root()
    if entries:
        assert pieces.inclusion_proof(len(entries) - 1) == whole.inclusion_proof(len(entries) - 1)


@pytest.mark.parametrize("size", [1, 2, 3, 1023, 1024, 1025, N])
def test_proof_lengths_are_logarithmic(size: int) -> None:
    bound = (size - 1).bit_length()
    for index in (0, size // 2, size - 1):
        assert len(LOG.inclusion_proof(index, size)) <= bound
    for old in (1, size // 3 or 1, size - 1 or 1):
        assert len(LOG.consistency_proof(old, size)) <= bound + 1
