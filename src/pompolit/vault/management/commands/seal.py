"""`pompolit seal`: the short form of `pompolit vault seal`, which keyholders type; it stays."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "seal", old="seal", notice=False)
