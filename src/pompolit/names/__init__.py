"""Names in any script: parsing, transliteration keys and similarity.

Pure Python, no Django. The case registry indexes ``search_keys(name)`` and
looks up ``query_keys(text)``; ``similarity`` ranks what comes back.
"""

from pompolit.names.keys import query_key_groups, query_keys, search_keys, token_keys
from pompolit.names.name import Name, PartKind
from pompolit.names.parse import parse_name
from pompolit.names.script import Script, detect_script
from pompolit.names.similarity import similarity
from pompolit.names.skeleton import skeleton

__all__ = [
    "Name",
    "PartKind",
    "Script",
    "detect_script",
    "parse_name",
    "query_key_groups",
    "query_keys",
    "search_keys",
    "similarity",
    "skeleton",
    "token_keys",
]
