"""Characters no one types: refused in every text a person sends us, by form or by file.

Control characters (C0 but tab, line feed and carriage return; DEL; C1) are invisible, break
exports and logs, and PostgreSQL refuses NUL outright (a 500 where SQLite stored it). The
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what is shown, so
"txt.exe" can be made to read "exe.txt" — text that disguises itself. None of them belongs in a
name, a note or a bank line. Line breaks are allowed only where the text may have several lines
(a multi-line box, a quoted cell of a CSV file); tab is allowed everywhere.

`core.apps` adds the check to every form's CharField (and so to every subclass and every
ModelForm field), so a new form is covered without anyone remembering it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ALWAYS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(f"[{_ALWAYS}]")
_FORBIDDEN_ONE_LINE = re.compile(f"[{_ALWAYS}\n\r]")
CODE = "control_character"


def forbidden_character(text: str, *, multiline: bool = True) -> int | None:
    """The position of the first character that is refused, or None."""
    found = (_FORBIDDEN if multiline else _FORBIDDEN_ONE_LINE).search(text)
    return found.start() if found else None


def describe(char: str) -> str:
    """U+0000 (NULL): how an error names an invisible character."""
    name = unicodedata.name(char, "") or {
        "\x00": "NULL", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x7f": "DELETE",
    }.get(char, "CONTROL")
    return f"U+{ord(char):04X} ({name})"


def refusal(char: str, position: int) -> str:
    return _("Expected text without control or direction-changing characters; found %(char)s at "
             "character %(position)s. Retype the text, or paste it as plain text.") % {
        "char": describe(char), "position": position + 1}


def check_text(value: Any, *, multiline: bool = True) -> None:
    """ValidationError if `value` (or a string inside it, for JSON) holds a refused character."""
    for text in _strings(value):
        position = forbidden_character(text, multiline=multiline)
        if position is not None:
            raise ValidationError(refusal(text[position], position), code=CODE)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def guard_every_char_field() -> None:
    """Check the text of every forms.CharField (subclasses and ModelForm fields included)
    before it is parsed. Run once, from core's AppConfig.ready."""
    from django import forms

    if getattr(forms.CharField, "_pompolit_text_checked", False):
        return
    parse = forms.CharField.clean

    def clean(self: forms.CharField, value: Any) -> Any:
        if isinstance(value, str):
            check_text(value, multiline=isinstance(self.widget, forms.Textarea))
        return parse(self, value)

    forms.CharField.clean = clean  # type: ignore[method-assign, assignment]
    forms.CharField._pompolit_text_checked = True  # type: ignore[attr-defined]
