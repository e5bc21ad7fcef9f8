"""`pompolit cases_export`: the old name of `pompolit cases export`, kept for one release."""

from pompolit.core.commands import alias

from . import cases

Command = alias(cases.Command, "export", old="cases_export")
