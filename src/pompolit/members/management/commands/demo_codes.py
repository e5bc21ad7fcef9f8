"""`pompolit demo_codes`: the old name of `pompolit demo codes`, kept for one release."""

from pompolit.core.commands import alias

from . import demo

Command = alias(demo.Command, "codes", old="demo_codes")
