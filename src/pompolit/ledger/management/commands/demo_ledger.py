"""`pompolit demo_ledger`: the old name of `pompolit ledger demo`, kept for one release."""

from pompolit.core.commands import alias

from . import ledger

Command = alias(ledger.Command, "demo", old="demo_ledger")
