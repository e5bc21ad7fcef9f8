"""The writer's private code: the only key to a letter's status and its reply.

The code is made and checked as every private code is (core/private_codes.py: 130 random
bits, Crockford base32, two check symbols, shown once, grouped by four); what is stored is
`writer_hash(code)`, SHA-256 under a domain of its own, so a receipt code and a letter code
can never be matched.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pompolit.core.private_codes import MalformedCode, canonical, domain_hash, grouped, new_code

DOMAIN = b"pompolit-letter-writer/1\x00"

__all__ = ["CodeError", "grouped", "new_code", "writer_hash"]


class CodeError(ValueError):
    """Not a writer's code; the message says why, for the writer who typed it."""


def writer_hash(code: str) -> str:
    try:
        return domain_hash(DOMAIN, canonical(code))
    except MalformedCode:
        raise CodeError(_("This is not a letter code: check it character by character "
                          "(28 letters and digits, dashes do not matter).")) from None
