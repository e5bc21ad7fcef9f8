"""`pompolit cases_export --compartment SLUG --as PSEUDONYM [--format csv|json] [-o FILE]`.

The fields in clear only, as on the export page; the encrypted fields leave only through the
page, after a coordinator's approval.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.cases.io import exporting
from pompolit.core.errors import error_messages
from pompolit.members.models import Compartment, Member


class Command(BaseCommand):
    help = "Export a compartment's cases (fields in clear only) to CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--compartment", required=True)
        parser.add_argument("--as", dest="actor", required=True)
        parser.add_argument("--format", choices=exporting.FORMATS, default="csv")
        parser.add_argument("-o", "--output", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Member.objects.filter(pseudonym=options["actor"]).first()
        compartment = Compartment.objects.filter(slug=options["compartment"]).first()
        if actor is None or compartment is None:
            raise CommandError("No such member or compartment.")
        try:
            body = exporting.export(actor, compartment, options["format"])
        except (ValidationError, PermissionDenied) as error:
            raise CommandError("; ".join(error_messages(error))) from None
        if options["output"]:
            options["output"].write_bytes(body)
        else:
            sys.stdout.buffer.write(body)
