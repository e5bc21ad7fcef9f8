"""`pompolit backup`: the old name of `pompolit vault backup`, kept for one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "backup", old="backup")
