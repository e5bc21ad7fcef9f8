"""`pompolit vault-init`: the old name of `pompolit vault init`, kept for one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "init", old="vault-init")
