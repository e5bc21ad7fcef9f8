"""The subcommands of `pompolit aid` that belong to the items themselves (see
management/commands/aid.py for how subcommands are listed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from pompolit.aid.models import AidItem


def add_arguments(parser: CommandParser, name: str) -> None:
    pass


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    rows = AidItem.objects.values("kind", "status").annotate(n=Count("pk")).order_by(
        "kind", "status")
    for row in rows:
        command.stdout.write(f"{row['kind']:8} {row['status']:12} {row['n']}")
