"""The word table: what `score_many` compares new word pairs on."""

import numpy
from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.names import wordtable
from pompolit.names.similarity import prepare_word

KEYS = st.frozensets(st.sampled_from(["ivanov", "ivanova", "petrov", "sokol", "kibalchich"]))


def register(*sets: frozenset[str]) -> int:
    text = "|".join(",".join(sorted(keys)) for keys in sets) + "#test"
    padded = list(sets) + [frozenset()] * (wordtable.SETS - len(sets))
    return wordtable.register(text, 0, padded)


def test_a_word_prepared_again_keeps_its_id() -> None:
    first = prepare_word("Кибальчич").id
    prepare_word.cache_clear()
    assert prepare_word("Кибальчич").id == first


@settings(max_examples=100)
@given(st.lists(st.tuples(KEYS, KEYS), min_size=1, max_size=8))
def test_meet_and_key_pairs_agree_with_sets(pairs: list[tuple[frozenset[str], ...]]) -> None:
    ids = numpy.array([[register(a), register(b)] for a, b in pairs], dtype=numpy.int64)
    table = wordtable.Table()
    rows_a, rows_b = ids[:, 0] * wordtable.SETS, ids[:, 1] * wordtable.SETS
    assert table.meet(rows_a, rows_b).tolist() == [bool(a & b) for a, b in pairs]
    keyed = [i for i, (a, b) in enumerate(pairs) if a and b]
    firsts, seconds, starts = table.key_pairs(rows_a[keyed], rows_b[keyed])
    ends = [*starts.tolist()[1:], len(firsts)][: len(keyed)]
    for i, start, end in zip(keyed, starts.tolist(), ends, strict=True):
        a, b = pairs[i]
        assert sorted(zip(firsts[start:end], seconds[start:end], strict=True)) == sorted(
            (x, y) for x in a for y in b
        )
