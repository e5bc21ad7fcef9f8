"""The writer's private code: the only key to a letter's status and its reply.

The code is made as a donation receipt's is (`ledger/receipts.py`: 130 random bits, Crockford
base32, two check symbols, shown once, grouped by four); what is stored is `writer_hash(code)`,
SHA-256 under a domain of its own, so a receipt code and a letter code can never be matched.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from pompolit.ledger.receipts import ReceiptCodeError, grouped, new_code, normalise

DOMAIN = b"pompolit-letter-writer/1\x00"

__all__ = ["CodeError", "grouped", "new_code", "writer_hash"]


class CodeError(ValueError):
    """Not a writer's code; the message says why, for the writer who typed it."""


def writer_hash(code: str) -> str:
    try:
        canonical = normalise(code)
    except ReceiptCodeError:
        raise CodeError(_("This is not a letter code: check it character by character "
                          "(28 letters and digits, dashes do not matter).")) from None
    return hashlib.sha256(DOMAIN + canonical.encode("ascii")).hexdigest()
