"""`pompolit rotate`: the old name of `pompolit vault rotate`, kept for one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "rotate", old="rotate")
