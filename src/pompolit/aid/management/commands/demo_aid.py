"""`pompolit demo_aid`: the old name of `pompolit aid demo`, kept for one release."""

from pompolit.core.commands import alias

from . import aid

Command = alias(aid.Command, "demo", old="demo_aid")
