"""`pompolit demo_cases`: the old name of `pompolit cases demo`, kept for one release."""

from pompolit.core.commands import alias

from . import cases

Command = alias(cases.Command, "demo", old="demo_cases")
