"""`pompolit publish`: the old name of `pompolit ledger publish`, kept for one release."""

from pompolit.core.commands import alias

from . import ledger

Command = alias(ledger.Command, "publish", old="publish")
