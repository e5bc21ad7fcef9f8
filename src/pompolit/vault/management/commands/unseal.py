"""`pompolit unseal`: the short form of `pompolit vault unseal`, which keyholders type; it stays."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "unseal", old="unseal", notice=False)
