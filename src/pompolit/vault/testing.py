"""pytest fixtures for any app with encrypted fields: `pytest_plugins = ["pompolit.vault.testing"]`.

    def test_relative_phone(unsealed_vault): ...      # an unsealed vault, 2 of 3 keyholders
    def test_sealed_page(vault_shares): ...          # set up, still sealed; shares at hand
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

KEYHOLDERS = ["Вера Фигнер", "Софья Перовская", "Вера Засулич"]


@pytest.fixture
def vault_agent() -> Iterator[Any]:
    """A fresh in-process key agent for this test; forgotten (sealed) afterwards."""
    from pompolit.vault.keys import keyring

    agent = keyring.make_local_agent()
    keyring.use_agent(agent)
    yield agent
    agent.seal()
    keyring.use_agent(None)


@pytest.fixture
def vault_shares(db: Any, vault_agent: Any) -> list[Any]:
    """A vault needing 2 of 3 shares, sealed; the IssuedShare list of its keyholders."""
    from pompolit.vault.keys import services

    return services.initialise(threshold=2, keyholders=KEYHOLDERS)


@pytest.fixture
def unsealed_vault(vault_shares: list[Any]) -> list[Any]:
    from pompolit.vault.keys import services

    services.submit_share(vault_shares[0].text)
    services.submit_share(vault_shares[1].text)
    return vault_shares
