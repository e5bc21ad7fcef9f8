"""Shared bits of the vault's commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from pompolit.vault import conf
from pompolit.vault.keys.services import IssuedShare


def require_agent_socket() -> None:
    if conf.socket_path() is None:
        raise CommandError(
            "No key agent: set POMPOLIT_VAULT_SOCKET to the socket of `pompolit keyagent`. "
            "(Without an agent the vault lives inside each web process and is unsealed from "
            "the web page /vault/unseal/.)"
        )


def print_shares(write: object, issued: list[IssuedShare]) -> None:
    for share in issued:
        write(share.heading)  # type: ignore[operator]
        write(share.text)  # type: ignore[operator]
        write("")  # type: ignore[operator]
