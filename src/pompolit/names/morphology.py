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


# Parse objects are heavy; the functions below cache their small results.
@lru_cache(maxsize=4096)
def name_parses(word: str) -> tuple[Any, ...]:
    parses = tuple(
        p
        for p in analyzer().parse(word)
        if p.score >= MIN_SCORE
        and (NAME_TAGS & p.tag.grammemes or ADJECTIVE_TAGS & p.tag.grammemes)
    )
    return parses


@lru_cache(maxsize=100_000)
def nominatives(word: str) -> frozenset[str]:
    """The word in the nominative singular, keeping its gender.

    A word that can already be a nominative is returned as it is: «Петрова»
    is a woman's surname before it is the genitive of «Петров». This is what
    a registered name is indexed under.
    """
    lower = word.lower()
    parses = name_parses(lower)
    if not parses or any(p.tag.case == "nomn" and p.tag.number != "plur" for p in parses):
        return frozenset({lower})
    return readings(lower) - {lower} or frozenset({lower})


@lru_cache(maxsize=100_000)
def readings(word: str) -> frozenset[str]:
    """Every nominative the word may stand for, genders kept: what a query means.

    «Иванова» may be Иванова or (genitive) Иванов; «Навальной» only Навальная;
    «Навальных» (the Navalnys) Навальный or Навальная.
    """
    lower = word.lower()
    found = {lower}
    for parse in name_parses(lower):
        if parse.tag.gender == "neut":
            continue  # adjectival surnames have no neuter: Навальное is not a name
        if parse.tag.number == "plur":
            if {"Name", "Patr"} & parse.tag.grammemes:
                continue  # «Кириллов» is a surname, not "of the Kirills"
            genders = ["masc", "femn"]
        else:
            genders = [parse.tag.gender] if parse.tag.gender in {"masc", "femn"} else [""]
        for gender in genders:
            wanted = {"nomn", "sing"} | ({gender} if gender else set())
            inflected = parse.inflect(wanted)
            if inflected is not None:
                found.add(inflected.word)
    return frozenset(found)


@lru_cache(maxsize=100_000)
def tags(word: str) -> frozenset[str]:
    """The name tags (Surn, Name, Patr) any likely analysis gives the word."""
    found: set[str] = set()
    for parse in name_parses(word.lower()):
        found |= NAME_TAGS & parse.tag.grammemes
    return frozenset(found)
