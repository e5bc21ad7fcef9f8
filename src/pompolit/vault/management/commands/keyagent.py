"""`pompolit keyagent`: the old name of `pompolit vault keyagent`, kept for one release."""

from pompolit.core.commands import alias

from . import vault

Command = alias(vault.Command, "keyagent", old="keyagent")
