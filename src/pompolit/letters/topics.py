"""Topics a facility's censors block, and the words that suggest a letter touches them.

A match raises a flag for the moderator, who reads the letter and decides: nothing is ever
refused by a keyword ("суд" is in "судьба" and "посуда" too). Stems, compared case-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    code: str
    label: Promise
    stems: tuple[str, ...]


TOPICS: dict[str, Topic] = {t.code: t for t in (
    Topic("case", _("the criminal case and the trial"),
          ("суд", "приговор", "следоват", "адвокат", "обвинени", "court", "trial", "lawyer",
           "verdict")),
    Topic("charges", _("the charges and the article"),
          ("стать", "экстремизм", "терроризм", "госизмен", "charge", "treason", "extremis")),
    Topic("war", _("the war"),
          ("войн", "фронт", "мобилизац", "армия", "спецоперац", "war", "front", "mobiliz", "army")),
    Topic("politics", _("politics and protests"),
          ("путин", "митинг", "протест", "оппозиц", "выбор", "putin", "protest", "opposition",
           "election")),
    Topic("prison", _("conditions in the facility"),
          ("пытк", "избиен", "шизо", "карцер", "torture", "beaten", "solitary")),
)}


def topic_choices() -> list[tuple[str, str]]:
    return [(t.code, str(t.label)) for t in TOPICS.values()]


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def flags_for(text: str, avoid: list[str] | tuple[str, ...]) -> list[str]:
    """The topics of `avoid` whose stems start a word of the text: for the moderator."""
    words = _words(text)
    found = []
    for code in avoid:
        topic = TOPICS.get(code)
        if topic and any(f" {stem}" in words for stem in topic.stems):
            found.append(code)
    return found
