"""Canary for the vault's seizure test: the log's signing key, kept in the vault."""

from __future__ import annotations

from collections.abc import Callable


def seed(canary: Callable[..., str]) -> None:
    from pompolit.tlog.models import LogSigningKey

    LogSigningKey.objects.create(
        name="pompolit.seizure", vkey="-", seed=canary("tlog.LogSigningKey.seed")
    )
