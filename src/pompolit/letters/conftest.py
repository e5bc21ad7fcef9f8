"""The letters' fixtures (`pompolit.letters.testing`)."""

from pompolit.core.testing import english  # noqa: F401 (autouse fixtures)
from pompolit.letters.testing import letters_world, moderator  # noqa: F401 (fixtures)
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares  # noqa: F401
