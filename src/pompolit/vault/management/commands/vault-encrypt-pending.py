"""`pompolit vault-encrypt-pending`: the old name of `pompolit vault encrypt-pending`, kept for
one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "encrypt-pending", old="vault-encrypt-pending")
