"""Prepared words as numbers, so that many word pairs are compared at once (numpy).

Each word (by its text) gets one id for the life of the process — the same id when it is
prepared again — and a row of the table: its flags, and each of its key sets as the sorted ids
of its keys (one id per distinct key string). `meet` says for many pairs of sets at once
whether they share a key; `key_pairs` lists every pair of keys of two sets, for their edit
ratios. Growing only: about 150 bytes a distinct word.
"""

import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy
import numpy.typing as npt

Ints = npt.NDArray[numpy.int64]

# Flags
CYRILLIC, FOREIGN, EXPANDS, INITIAL = 1, 2, 4, 8
# The sets of a word, in the order `register` takes them: for a pair of Cyrillic words
# (`kind + CYRILLIC_VIEW`) or any other pair (`kind + OTHER_VIEW`).
KEYS, MASCULINE, WIDE, ALL = 0, 2, 4, 6  # ALL: the union of the three
CYRILLIC_VIEW, OTHER_VIEW = 0, 1
COARSE = 8
SETS = 9


class _Growing:
    """An array appended to one value at a time and read whole."""

    def __init__(self, dtype: Any) -> None:
        self._data = numpy.zeros(1024, dtype=dtype)
        self._size = 0
        self._tail: list[Any] = []

    def __len__(self) -> int:
        return self._size + len(self._tail)

    def extend(self, values: Iterable[Any]) -> None:
        self._tail.extend(values)
        if len(self._tail) >= 65_536:  # a list of ints takes ~5 times an array's memory
            self.array()

    def array(self) -> npt.NDArray[Any]:
        if self._tail:
            size = self._size + len(self._tail)
            if size > len(self._data):
                grown = numpy.zeros(max(size, 2 * len(self._data)), dtype=self._data.dtype)
                grown[: self._size] = self._data[: self._size]
                self._data = grown
            self._data[self._size : size] = self._tail
            self._size = size
            self._tail = []
        return self._data[: self._size]


_lock = threading.Lock()
_word_ids: dict[str, int] = {}
_key_ids: dict[str, int] = {}
_key_texts = _Growing(object)
_flags = _Growing(numpy.uint8)
# Set r (word id * SETS + set) is _keys[_starts[r] : _starts[r] + _sizes[r]]; a word's equal
# sets share their keys.
_starts = _Growing(numpy.int64)
_sizes = _Growing(numpy.int64)
_keys = _Growing(numpy.int32)
_flags.extend([0])  # id 0: no word (the padding of `PreparedName.packed`)
_starts.extend([0] * SETS)
_sizes.extend([0] * SETS)


def register(text: str, flags: int, sets: Sequence[frozenset[str]]) -> int:
    """The id of the word `text`, its flags and sets (`SETS` of them) added on first sight."""
    with _lock:
        found = _word_ids.get(text)
        if found is not None:
            return found
        keys: list[int] = []
        starts: list[int] = []
        sizes: list[int] = []
        first = len(_keys)
        known: dict[int, int] = {}  # where each set's keys start, by the set's identity
        get = _key_ids.get
        for one in sets:
            start = known.get(id(one))
            if start is None:
                ids = [get(key, -1) for key in one]
                if -1 in ids:
                    ids = [_key_id(key) for key in one]
                ids.sort()
                start = known[id(one)] = first + len(keys)
                keys += ids
            starts.append(start)
            sizes.append(len(one))
        _keys.extend(keys)
        _starts.extend(starts)
        _sizes.extend(sizes)
        _flags.extend([flags])
        found = _word_ids[text] = len(_word_ids) + 1
        return found


def _key_id(key: str) -> int:
    found = _key_ids.get(key)
    if found is None:
        found = _key_ids[key] = len(_key_ids)
        _key_texts.extend([key])
    return found


class Table:
    """The words registered so far, as arrays (a snapshot: later words are not in it)."""

    def __init__(self) -> None:
        with _lock:
            self.flags = _flags.array()
            self._starts = _starts.array()
            self._sizes = _sizes.array()
            self._keys = _keys.array()
            self._texts = _key_texts.array()
        self._ceiling = len(self._texts) + 1

    def sizes(self, rows: Ints) -> Ints:
        """How many keys each set has (rows: word id * SETS + set)."""
        found: Ints = self._sizes[rows]
        return found

    def meet(self, rows_a: Ints, rows_b: Ints) -> npt.NDArray[numpy.bool_]:
        """Whether each pair of sets shares a key."""
        pairs_a, codes_a = self._coded(rows_a)
        _, codes_b = self._coded(rows_b)
        found = numpy.zeros(len(rows_a), dtype=bool)
        if codes_a.size and codes_b.size:
            # Both are sorted (by pair, then key id): one binary search each, no sort.
            at = numpy.minimum(numpy.searchsorted(codes_b, codes_a), codes_b.size - 1)
            found[pairs_a[codes_b[at] == codes_a]] = True
        return found

    def _coded(self, rows: Ints) -> tuple[Ints, Ints]:
        """Each key of each set as pair number * ceiling + key id, and its pair number."""
        sizes = self.sizes(rows)
        pairs = numpy.repeat(numpy.arange(len(rows), dtype=numpy.int64), sizes)
        keys = self._keys[_spread(self._starts[rows], sizes)]
        return pairs, pairs * self._ceiling + keys

    def key_pairs(self, rows_a: Ints, rows_b: Ints) -> tuple[list[str], list[str], Ints]:
        """Every pair of keys of each pair of sets, and where each pair of sets' keys start."""
        sizes_a, sizes_b = self.sizes(rows_a), self.sizes(rows_b)
        counts = sizes_a * sizes_b
        ends = numpy.cumsum(counts)
        starts = ends - counts
        pairs = numpy.repeat(numpy.arange(len(rows_a), dtype=numpy.int64), counts)
        within = numpy.arange(int(ends[-1]) if ends.size else 0) - starts[pairs]
        width = sizes_b[pairs]
        i = within // width
        firsts = self._keys[self._starts[rows_a][pairs] + i]
        seconds = self._keys[self._starts[rows_b][pairs] + (within - i * width)]
        return self._texts[firsts].tolist(), self._texts[seconds].tolist(), starts


def _spread(starts: Ints, sizes: Ints) -> Ints:
    """starts[0] .. starts[0] + sizes[0] - 1, then the same for each next one."""
    ends = numpy.cumsum(sizes)
    total = int(ends[-1]) if ends.size else 0
    shifts = numpy.repeat(starts - (ends - sizes), sizes)
    found: Ints = numpy.arange(total, dtype=numpy.int64) + shifts
    return found
