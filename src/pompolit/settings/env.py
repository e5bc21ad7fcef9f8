"""Tiny helpers that read settings from the environment (healthchecks style)."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """A secret given directly in NAME or, better, in the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        secret = Path(path).read_text(encoding="utf-8").strip()
        if not secret:
            raise ImproperlyConfigured(f"{name}_FILE points to an empty file: {path}")
        return secret
    return os.environ.get(name) or None
