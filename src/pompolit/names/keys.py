"""What to index for a name, and what to look up for a query.

A record matches a query when they share a key. Keys are per word, so a
query of several words matches any of them; ``query_key_groups`` gives one
group per word for callers that want every word to match. Rank what comes
back with ``similarity``.

``search_keys`` also holds the name's coarse keys (marked ``~``, `coarse.py`):
no query key ever has the mark, so they answer only ``fuzzy_key_groups``, the
fallback for a query the ordinary keys find nothing for.
"""

import re

from pompolit.names.coarse import coarse_keys
from pompolit.names.diminutives import full_name_keys, full_names
from pompolit.names.name import Name, PartKind
from pompolit.names.normalize import HYPHENS, tokens
from pompolit.names.parse import parse_name
from pompolit.names.wordkeys import word_keys

# A name kept as typed may join a double surname with a dash other than "-" (Кузьмина–Караваева).
SEPARATORS = re.compile(rf"[\s{re.escape(HYPHENS)}]+")


def part_words(text: str) -> list[str]:
    return [w for w in SEPARATORS.split(text) if w]


def token_keys(word: str, *, query: bool = False, given: bool = True) -> frozenset[str]:
    """Keys of one token; a hyphenated token also as its pieces and joined up."""
    pieces = part_words(word)
    keys: set[str] = set()
    for piece in pieces:
        piece_keys = word_keys(piece, query)
        keys |= piece_keys
        if given:
            for full in full_names(piece_keys):
                keys |= full_name_keys(full)
    if len(pieces) > 1:
        keys |= word_keys("".join(pieces), query)
    return frozenset(keys)


def search_keys(name: str | Name) -> set[str]:
    """Everything to index for one name (a full-name string or a Name)."""
    if isinstance(name, str):
        name = parse_name(name).folded()
    keys: set[str] = set()
    for kind, text in name.parts():
        given = kind is PartKind.GIVEN
        for token in text.split():
            token_set = token_keys(token, given=given)
            keys |= token_set | coarse_keys(token_set)
    return keys


def fuzzy_key_groups(query: str) -> list[frozenset[str]]:
    """One group of coarse keys per word of the query (the stored ``~`` keys): for the
    fallback when the ordinary keys find nothing or too little."""
    groups = [coarse_keys(group) for group in query_key_groups(query)]
    return [group for group in groups if group]


def query_key_groups(query: str) -> list[frozenset[str]]:
    """One group of keys per word of the query that can be looked up."""
    groups = [token_keys(t, query=True) for t in tokens(query) if t != ","]
    return [group for group in groups if group]


def query_keys(query: str) -> set[str]:
    """Every key to look up for what a case worker typed."""
    keys: set[str] = set()
    for group in query_key_groups(query):
        keys |= group
    return keys
