"""Helpers for audit tests: a small realistic trail, a signing key, and a way to tamper."""

from typing import Any

import pytest
from django.utils import translation

from pompolit.audit.testing import audit_key, tamper, trail

__all__ = ["audit_key", "tamper", "trail"]


@pytest.fixture(autouse=True)
def in_english() -> Any:
    # Messages are asserted in English; the site's default language is Russian.
    with translation.override("en"):
        yield
