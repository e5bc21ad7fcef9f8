"""`pompolit cases_import`: the old name of `pompolit cases import`, kept for one release."""

from pompolit.core.commands import alias

from . import cases

Command = alias(cases.Command, "import", old="cases_import")
