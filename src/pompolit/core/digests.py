"""What the audit trail keeps instead of text a person typed: a keyed digest.

It tells whether two texts were the same (a rule's pattern before and after a change), never
what they said. Keyed with the server's secret key, so a database dump alone — a backup, a
replica — cannot confirm a guessed name by hashing it; whoever also has the secret key can, so
a digest is for low-stakes labels only, never for a name or a contact.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac


def text_digest(text: str) -> str:
    """16 hex digits; "" for no text, so "nothing was typed" stays visible."""
    if not text:
        return ""
    return salted_hmac("pompolit.audit.typed-text", text, algorithm="sha256").hexdigest()[:16]
