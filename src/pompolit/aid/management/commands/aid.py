"""`pompolit aid …` — aid on the command line.

Subcommands are listed in SUBCOMMANDS: each is a module with `add_arguments(parser, name)` and
`handle(command, options)`, so a feature keeps its command code beside itself (the planner's
`plan` lives in `pompolit.aid.planning.command`) and this file only lists them.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pompolit.aid import commands
from pompolit.aid.planning import command as planning_command

# subcommand name → (module, one-line help)
SUBCOMMANDS: dict[str, tuple[ModuleType, str]] = {
    "check": (commands, "the books and the aid list agree; re-check approved items against "
              "their facility's rules"),
    "follow-ups": (commands, "items sent long ago and not confirmed"),
    "plan": (planning_command, "propose a month's aid within the funds"),
}


class Command(BaseCommand):
    help = "Aid to prisoners: check the books against the aid list, follow-ups, planning."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        for name, (module, text) in SUBCOMMANDS.items():
            module.add_arguments(sub.add_parser(name, help=text), name)

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["what"]][0].handle(self, options)
