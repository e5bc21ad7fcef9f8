"""`pompolit cleanup`: the old name of `pompolit vault cleanup`, kept for one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "cleanup", old="cleanup")
