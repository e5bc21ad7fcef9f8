"""Names in any script: parsing, transliteration keys and similarity.

Pure Python, no Django. The case registry indexes ``search_keys(name)`` and
looks up ``query_keys(text)``; ``similarity`` ranks what comes back. For many
pairs, ``prepare`` each name once and ``score``/``score_many`` the prepared ones.
"""

from pompolit.names.keys import (
    fuzzy_key_groups,
    query_key_groups,
    query_keys,
    search_keys,
    token_keys,
)
from pompolit.names.name import Name, PartKind
from pompolit.names.normalize import tidy
from pompolit.names.parse import parse_name
from pompolit.names.script import Script, detect_script
from pompolit.names.similarity import PreparedName, prepare, score, score_many, similarity
from pompolit.names.skeleton import skeleton

__all__ = [
    "Name",
    "PartKind",
    "PreparedName",
    "Script",
    "detect_script",
    "fuzzy_key_groups",
    "parse_name",
    "prepare",
    "query_key_groups",
    "query_keys",
    "score",
    "score_many",
    "search_keys",
    "similarity",
    "skeleton",
    "tidy",
    "token_keys",
]
