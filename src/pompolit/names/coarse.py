"""The coarse key: a skeleton with what languages and the press blur, blurred too.

Skeletons of one name meet across transliteration schemes, not across
languages: Belarusian writes unstressed о as а and е as я (Калеснікава for
Колесникова, Бяляцкі for Беляцкий), Ukrainian and Belarusian г is h, the
press drops a letter of щ (Sharansky for Щаранский) and the dots of ż
(Dzierzynski), German ends Азеф with -w. The coarse key folds exactly those:

- о е → а (ё, я, э are already е or iotated а in the skeleton);
- the iotation and softness after a consonant (lya → la) and a final й;
- щ → ш, ж → з, х → г, ф → в; doubled letters once more.

It is far too coarse to tell people apart (Седов and Садов share it), so it is
never a search key of its own: the registry stores it marked with ``~``, looks it
up only when the ordinary keys find nothing or too little, and ranks what it
finds below them; similarity gives it a fixed, moderate score only between
names in different scripts or languages (`similarity.COARSE`).
"""

import re
from functools import lru_cache

MARK = "~"

SOFTNESS = re.compile(r"(?<=[^aeiouy])y|y$")
FOLD = str.maketrans({"o": "a", "e": "a", "x": "w", "j": "z", "h": "g", "f": "v"})
DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def coarse(skeleton_key: str) -> str:
    """The coarse key of one skeleton key (`skeleton.skeleton`)."""
    text = SOFTNESS.sub("", skeleton_key)
    text = text.translate(FOLD)
    return DOUBLES.sub(r"\1", text)


def coarse_keys(keys: frozenset[str] | set[str]) -> frozenset[str]:
    """The marked coarse keys of a set of skeleton keys, as the registry stores them."""
    return frozenset(MARK + c for c in map(coarse, keys) if len(c) >= 2)
