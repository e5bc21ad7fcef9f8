"""`pompolit public export DIR` — the public side as a static site (docs/mirrors.md)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from pompolit.core.commands import AppCommand, Options, Verb


def export_arguments(parser: CommandParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="the folder to write (created if needed)")
    parser.add_argument("--live-url", default="",
                        help="the live site's address, named where the copy cannot do "
                             "something (default: POMPOLIT_PUBLIC_LIVE_URL)")


def export(command: BaseCommand, options: Options) -> None:
    from pompolit.public.static_export import export as write_export

    started, cpu = time.monotonic(), time.process_time()
    written = write_export(Path(options["folder"]), options["live_url"])
    command.stdout.write(
        f"{options['folder']}: {len(written.added)} added, {len(written.changed)} changed, "
        f"{len(written.removed)} removed, {written.unchanged} unchanged "
        f"({time.monotonic() - started:.1f} s, {time.process_time() - cpu:.1f} s of CPU)."
    )


class Command(AppCommand):
    name = "public"
    help = "The public site: write it as a static copy for mirrors."
    verbs = (
        Verb("export", "write the public side as a static site into DIR (only what changed)",
             export, export_arguments),
    )
