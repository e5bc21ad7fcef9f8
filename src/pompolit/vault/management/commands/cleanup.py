"""`pompolit cleanup [--every SECONDS]`: delete expired pending uploads and expired sessions.

Once by default (for cron or a systemd timer); with --every it keeps running as a small worker.
The web process sweeps by itself too (vault.housekeeping): this is for servers that want it
on a clock, and for an operator who wants it now.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pompolit.vault.uploads.housekeeping import sweep


class Command(BaseCommand):
    help = "Delete expired pending uploads (imports waiting for commit) and expired sessions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS",
                            help="keep running, sweeping every SECONDS (default: once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            swept = sweep()
            self.stdout.write(f"Deleted {swept.uploads} expired pending uploads and the expired "
                              "sessions.")
            if not options["every"]:
                return
            time.sleep(options["every"])
