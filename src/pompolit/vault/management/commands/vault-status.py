"""`pompolit vault-status`: the old name of `pompolit vault status`, kept for one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "status", old="vault-status")
