"""Where the vault's pieces live, from the environment (no settings of its own to add)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def var_dir() -> Path:
    return Path(settings.VAR_DIR)


def socket_path() -> Path | None:
    """The key agent's socket. Unset: the agent lives inside this process (dev, tests)."""
    value = os.environ.get("POMPOLIT_VAULT_SOCKET")
    return Path(value) if value else None


def demo_key_file() -> Path:
    return var_dir() / "vault" / "demo-master.key"


def attachments_dir() -> Path:
    return Path(os.environ.get("POMPOLIT_ATTACHMENTS_DIR") or var_dir() / "attachments")
