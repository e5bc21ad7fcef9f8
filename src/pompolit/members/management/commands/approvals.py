"""`pompolit approvals list|expire|retry ID` — approving is done by a person, in the web UI."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.core.errors import error_messages
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest


class Command(BaseCommand):
    help = (
        "List pending requests, expire overdue ones, or carry out again a request that was "
        "approved but failed. There is deliberately no `approve` here: approving needs a signed-in "
        "second person with a second factor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("list", help="requests waiting for a decision or for execution")
        sub.add_parser("expire", help="mark overdue pending requests expired")
        retry = sub.add_parser("retry", help="carry out an approved request again")
        retry.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        if what == "list":
            open_requests = ApprovalRequest.objects.filter(
                status__in=[ApprovalRequest.Status.PENDING, ApprovalRequest.Status.APPROVED]
            ).select_related("requested_by")
            for request in open_requests:
                expires = f"{request.expires_at:%Y-%m-%d %H:%M}"
                self.stdout.write(
                    f"#{request.pk}  {request.status:<9} {approvals.describe(request)}"
                    f"  (asked by {request.requested_by}, expires {expires})"
                )
            if not open_requests:
                self.stdout.write("No open requests.")
        elif what == "expire":
            self.stdout.write(f"{approvals.expire_overdue()} request(s) expired.")
        else:
            try:
                request = approvals.execute_approved(options["id"])
            except ApprovalRequest.DoesNotExist:
                raise CommandError(f"There is no request #{options['id']}.") from None
            except (approvals.ApprovalError, ValidationError) as error:
                raise CommandError("; ".join(error_messages(error))) from None
            self.stdout.write(f"#{request.pk} carried out: {approvals.describe(request)}")
