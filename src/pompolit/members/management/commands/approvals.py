"""`pompolit approvals list|expire|retry ID` — approving is done by a person, in the web UI."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.core.errors import error_messages
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest


def list_open(command: BaseCommand, options: Options) -> None:
    open_requests = ApprovalRequest.objects.filter(
        status__in=[ApprovalRequest.Status.PENDING, ApprovalRequest.Status.APPROVED]
    ).select_related("requested_by")
    for request in open_requests:
        expires = f"{request.expires_at:%Y-%m-%d %H:%M}"
        command.stdout.write(
            f"#{request.pk}  {request.status:<9} {approvals.describe(request)}"
            f"  (asked by {request.requested_by}, expires {expires})"
        )
    if not open_requests:
        command.stdout.write("No open requests.")


def expire(command: BaseCommand, options: Options) -> None:
    command.stdout.write(f"{approvals.expire_overdue()} request(s) expired.")


def retry_arguments(parser: CommandParser) -> None:
    parser.add_argument("id", type=int)


def retry(command: BaseCommand, options: Options) -> None:
    try:
        request = approvals.execute_approved(options["id"])
    except ApprovalRequest.DoesNotExist:
        raise CommandError(f"There is no request #{options['id']}.") from None
    except (approvals.ApprovalError, ValidationError) as error:
        raise CommandError("; ".join(error_messages(error))) from None
    command.stdout.write(f"#{request.pk} carried out: {approvals.describe(request)}")


class Command(AppCommand):
    name = "approvals"
    help = (
        "List pending requests, expire overdue ones, or carry out again a request that was "
        "approved but failed. There is deliberately no `approve` here: approving needs a signed-in "
        "second person with a second factor."
    )
    verbs = (
        Verb("list", "requests waiting for a decision or for execution", list_open),
        Verb("expire", "mark overdue pending requests expired", expire),
        Verb("retry", "carry out an approved request again", retry, retry_arguments),
    )
