# The fixtures live in pompolit.vault.testing so that other apps' tests can use them too.
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares

__all__ = ["unsealed_vault", "vault_agent", "vault_shares"]
