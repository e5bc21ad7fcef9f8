"""Fixtures for the ledger's tests, in every feature's tests/ (they live in testing.py)."""

from pompolit.core.testing import english  # noqa: F401 (autouse fixtures)
from pompolit.ledger.testing import (  # noqa: F401
    appeal,
    donate,
    general,
    lawyers,
    parcels_for_case,
    treasurer,
)
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse fixtures)
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares  # noqa: F401
