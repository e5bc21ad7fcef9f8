"""Which facility of the list a name written in an imported list means.

Lists write one colony many ways: "ФКУ ИК-2 УФСИН России по Рязанской области", "ИК-2
Рязань", "ик 2 (Рязанская обл.)", «ИК № 2». A name is reduced to its *words*: case folded, ё read
as е, quotes and punctuation dropped, the words every official name has ("ФКУ", "УФСИН",
"России", "по", "области"…) left out, numbers kept whole ("2" is not "12") and other words cut
to their first four letters, so "Рязанской" and "Рязань" are one word. A name in the list means
a facility when all its words are among the facility's (its official or short name, with its
region); the region column of the row, when there is one, narrows the candidates. One candidate
is a match; several are reported as ambiguous, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pompolit.cases.models import Facility

# Words of official names that tell no facility from another.
STOP = frozenset(
    {
        "фку",
        "фгу",
        "фбу",
        "фкуз",
        "фсин",
        "уфсин",
        "гуфсин",
        "умвд",
        "гумвд",
        "омвд",
        "мвд",
        "россии",
        "росс",
        "рф",
        "по",
        "г",
        "гор",
        "горо",
        "обл",
        "обла",
        "край",
        "крае",
        "респ",
        "федер",
        "феде",
        "казе",
        "учре",
        "упра",
        "служ",
        "испо",
        "нака",
        "n",
        "no",
        "номе",
    }
)
STEM = 4
_WORD = re.compile(r"\d+|[^\W\d_]+")


def words(text: str) -> frozenset[str]:
    """The words of a facility's name that tell it from another: "ФКУ ИК-2 УФСИН России по
    Рязанской области" → {"ик", "2", "ряза"}."""
    folded = text.casefold().replace("ё", "е").replace("№", " ")
    found = set()
    for word in _WORD.findall(folded):
        stem = (word.lstrip("0") or "0") if word.isdigit() else word[:STEM]
        if word not in STOP and stem not in STOP:
            found.add(stem)
    return frozenset(found)


def normalised(text: str) -> str:
    """The key a name is grouped by in the import preview: its words, in order."""
    return " ".join(sorted(words(text)))


@dataclass(frozen=True)
class Candidate:
    facility: Facility
    words: frozenset[str]
    exact: frozenset[str]


class FacilityIndex:
    """The list of facilities, read once, to look many names up in."""

    def __init__(self, facilities: Iterable[Facility]) -> None:
        self.candidates: list[Candidate] = []
        for facility in facilities:
            region = words(facility.region)
            names = words(facility.name) | words(facility.short_name)
            self.candidates.append(Candidate(facility, names | region, words(facility.name)))

    def find(self, text: str, region: str = "") -> list[Facility]:
        """The facilities this name (with the row's region, if any) may mean; [] if none."""
        wanted = words(text)
        if not wanted:
            return []
        found = [c for c in self.candidates if wanted <= c.words]
        exact = [c for c in found if c.exact == wanted]
        if len(exact) == 1:
            return [exact[0].facility]
        where = words(region)
        if len(found) > 1 and where:
            narrowed = [c for c in found if where <= c.words]
            found = narrowed or found
        return [c.facility for c in found]


# The type a new facility most likely is, by a word of its name.
TYPE_WORDS = (
    ("сизо", "pretrial"),
    ("ивс", "police-cell"),
    ("ик", "colony"),
    ("исп", "colony"),
    ("коло", "colony"),
    ("кп", "settlement-colony"),
    ("тюрь", "prison"),
    ("т", "prison"),
    ("лиу", "hospital"),
    ("боль", "hospital"),
    ("пб", "psychiatric"),
    ("псих", "psychiatric"),
)


def guess_type(text: str) -> str:
    """A facility type's code for a name ("СИЗО-1" → "pretrial"); "other" if nothing fits."""
    found = words(text)
    return next((code for word, code in TYPE_WORDS if word in found), "other")
