"""Codes of the books (accounts, funds, campaigns, currencies, channels) are ASCII.

They are published in every leaf, and a code that only looks like another — `еxpenses` with a
Cyrillic «е», `assets:bank` with a trailing space or a zero-width joiner — would hide a payment
under another name. A refused code's message names the offending characters by their Unicode
names, because a volunteer cannot see the difference between «е» and «e».
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Every character any code may hold; each kind of code allows a part of it (models.py).
ASCII_CODE_CHARACTERS = frozenset(string.ascii_letters + string.digits + ":-_")


def character_name(char: str) -> str:
    """“«е» (U+0435 CYRILLIC SMALL LETTER IE)”: what a character is, visibly."""
    described = f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
    visible = char.isprintable() and not char.isspace()
    return f"«{char}» ({described})" if visible else f"({described})"


def foreign_characters(value: str) -> list[tuple[int, str]]:
    """(position counted from 1, description) of each character outside ASCII_CODE_CHARACTERS."""
    return [(i, character_name(c)) for i, c in enumerate(value, start=1)
            if c not in ASCII_CODE_CHARACTERS]


@deconstructible
class CodeValidator:
    """A regex validator (matched whole) whose message also names the characters it found
    that are not ASCII letters, digits, “:”, “-” or “_”."""

    def __init__(self, pattern: str, message: Any) -> None:
        self.pattern = pattern
        self.message = message

    def __call__(self, value: Any) -> None:
        text = str(value)
        if re.match(self.pattern, text):
            return
        foreign = foreign_characters(text)
        if foreign:
            letters = ", ".join(
                _("%(character)s at position %(position)d")
                % {"character": name, "position": position} for position, name in foreign[:5]
            )
            raise ValidationError(
                _("“%(code)s” has characters a code may not have: %(letters)s. %(rule)s")
                % {"code": text[:100], "letters": letters, "rule": self.message},
                code="invalid", params={"value": value},
            )
        raise ValidationError(self.message, code="invalid", params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, CodeValidator) and self.pattern == other.pattern
                and self.message == other.message)

    def __hash__(self) -> int:
        return hash(self.pattern)
