"""`pompolit restore`: the old name of `pompolit vault restore`, kept for one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "restore", old="restore")
