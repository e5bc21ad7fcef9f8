"""`pompolit demo_codes`: the current TOTP code of each demo login (demo mode only)."""

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pompolit.members.management.commands.demo import DEMO_MEMBERS


class Command(BaseCommand):
    help = "Print the current TOTP code for every demo login (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("This prints second factors; it runs only with POMPOLIT_DEMO=1.")
        counter = int(time.time()) // 30
        for pseudonym, secret, _roles in DEMO_MEMBERS:
            self.stdout.write(f"{pseudonym:<11} {format_hotp_value(hotp_value(secret, counter))}")
