"""The audit trail's pages are tested on a trail built as the audit tests build it."""

from pompolit.audit.testing import audit_key, tamper, trail
from pompolit.core.testing import english

__all__ = ["audit_key", "english", "tamper", "trail"]
