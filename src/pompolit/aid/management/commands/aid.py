"""`pompolit aid …` — aid on the command line.

Subcommands are listed in SUBCOMMANDS: each is a module with `add_arguments(parser)` and
`handle(command, options)`, so a feature keeps its command code beside itself (the planner's
`plan` lives in `pompolit.aid.plan_command`) and this file only lists them.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

# subcommand name → (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "check": ("pompolit.aid.commands", "the books and the aid list agree; re-check approved "
              "items against their facility's rules"),
    "follow-ups": ("pompolit.aid.commands", "items sent long ago and not confirmed"),
    "plan": ("pompolit.aid.plan_command", "propose a month's aid within the funds"),
}


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(SUBCOMMANDS[name][0])
    except ModuleNotFoundError as error:
        if error.name == SUBCOMMANDS[name][0]:
            return None  # not built yet
        raise


class Command(BaseCommand):
    help = "Aid to prisoners: check the books against the aid list, follow-ups, planning."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        for name, (_path, text) in SUBCOMMANDS.items():
            module = _module(name)
            if module is not None:
                module.add_arguments(sub.add_parser(name, help=text), name)

    def handle(self, *args: Any, **options: Any) -> None:
        module = _module(options["what"])
        if module is None:
            raise CommandError(f"`aid {options['what']}` is not available.")
        module.handle(self, options)
