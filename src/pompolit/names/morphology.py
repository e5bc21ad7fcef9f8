"""Russian case endings of names, undone with pymorphy3.

pymorphy3 ships its dictionary (OpenCorpora, with surname, given-name and
patronymic tags) as a Python package and works offline. Words it does not
know — most rare surnames — are analysed by its suffix predictor, which
handles the regular surname paradigms (-ов, -ин, -ский, -ой, -ич).
"""

from functools import cache, lru_cache
from typing import Any

import pymorphy3

NAME_TAGS = frozenset({"Surn", "Name", "Patr"})
# Adjectival surnames (Навальный, Перовская) are often tagged only as adjectives.
ADJECTIVE_TAGS = frozenset({"ADJF"})
MIN_SCORE = 0.01


@cache
def analyzer() -> Any:
    return pymorphy3.MorphAnalyzer(lang="ru")


def name_parses(word: str) -> list[Any]:
    parses = [
        p
        for p in analyzer().parse(word)
        if p.score >= MIN_SCORE
        and (NAME_TAGS & p.tag.grammemes or ADJECTIVE_TAGS & p.tag.grammemes)
    ]
    return parses


@lru_cache(maxsize=100_000)
def nominatives(word: str) -> frozenset[str]:
    """The word in the nominative singular, keeping its gender.

    A word that can already be a nominative is returned as it is: «Петрова»
    is a woman's surname before it is the genitive of «Петров».
    """
    lower = word.lower()
    parses = name_parses(lower)
    if not parses or any(p.tag.case == "nomn" and p.tag.number != "plur" for p in parses):
        return frozenset({lower})
    found: set[str] = set()
    for parse in parses:
        if parse.tag.gender == "neut":
            continue  # adjectival surnames have no neuter: Навальное is not a name
        if parse.tag.number == "plur" and {"Name", "Patr"} & parse.tag.grammemes:
            continue  # «Кириллов» is a surname, not "of the Kirills"
        wanted = {"nomn", "sing"}
        if parse.tag.gender in {"masc", "femn"}:
            wanted.add(parse.tag.gender)
        inflected = parse.inflect(wanted)
        if inflected is not None:
            found.add(inflected.word)
    return frozenset(found or {lower})


@lru_cache(maxsize=100_000)
def lemmas(word: str) -> frozenset[str]:
    """Dictionary forms (masculine for surnames): what a query may mean."""
    lower = word.lower()
    return frozenset({p.normal_form for p in name_parses(lower)} | {lower})


@lru_cache(maxsize=100_000)
def tags(word: str) -> frozenset[str]:
    """The name tags (Surn, Name, Patr) any likely analysis gives the word."""
    found: set[str] = set()
    for parse in name_parses(word.lower()):
        found |= NAME_TAGS & parse.tag.grammemes
    return frozenset(found)
