"""A public report's private code: made and checked as every private code is
(core/private_codes.py: 130 random bits, Crockford base32, two check symbols, shown once,
grouped by four). Only `code_hash(code)` is stored: SHA-256 under this domain, so a report
code can never be matched with a receipt's or a letter's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pompolit.core.private_codes import (
    LENGTH,
    Flaw,
    MalformedCode,
    canonical,
    domain_hash,
    grouped,
    new_code,
)

__all__ = ["LENGTH", "CodeError", "code_hash", "grouped", "new_code", "normalise"]

DOMAIN = b"pompolit-intake-code/1\x00"


class CodeError(ValueError):
    """Not a report code; the message says why, for the person who typed it."""


def normalise(text: str) -> str:
    try:
        return canonical(text)
    except MalformedCode as error:
        if error.flaw is Flaw.CHARACTERS:
            message = _("A report code has only digits and Latin letters.")
        elif error.flaw is Flaw.LENGTH:
            message = _("A report code has %(expected)d characters; this one has %(got)d.") % {
                "expected": LENGTH, "got": error.got}
        else:
            message = _(
                "This code has a typing mistake: please check it character by character."
            )
        raise CodeError(message) from None


def code_hash(code: str) -> str:
    """SHA-256 over a domain-separated canonical code, lowercase hex."""
    return domain_hash(DOMAIN, normalise(code))
