"""A long group's PDF laid out by the worker, not in the request.

2,000 letters take about a minute of layout on two cores: longer than the web server waits.
So a group of more than POMPOLIT_LETTERS_BACKGROUND_OVER letters (100) is not printed on the
request: **Prepare the PDF** queues `lay_out_batch` (django.tasks, docs/tasks.md), which
lays the group out in parts (letters/layout.py) and counts the parts done on a `BatchPrint`
row the batches page polls. The finished PDF is kept on that row encrypted by the vault (the
letters' texts are secret; the plaintext is only ever in memory) until the member who asked
downloads it — then the row is deleted and the printing is in the audit trail, as for a
small group — or until it expires (POMPOLIT_LETTERS_PDF_HOURS, 24), deleted by the next
page, queueing or task. Only that member fetches it, and only while LETTER_MODERATORS.

The task takes the row's id only and returns nothing; what went wrong is kept as a code
(`PrintFailure`), never an exception's text, which could quote a letter.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.letters import batches, layout, work
from pompolit.letters.models import BatchPrint, PrintFailure, PrintState
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.vault.errors import VaultSealed
from pompolit.vault.keys.keyring import ring

logger = logging.getLogger(__name__)

# A row queued or laid out with no news for this long: the worker was stopped or restarted.
STALLED = datetime.timedelta(minutes=30)
IN_PROGRESS = (PrintState.QUEUED, PrintState.RUNNING)


def threshold() -> int:
    return int(getattr(settings, "POMPOLIT_LETTERS_BACKGROUND_OVER", 100))


def in_background(found: batches.Group) -> bool:
    """Is the group too long to be laid out while the member waits for the page?"""
    return len(found.sheets) > threshold()


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "POMPOLIT_LETTERS_PDF_HOURS", 24)))


def purge_expired(now: datetime.datetime | None = None) -> int:
    deleted, _by_model = BatchPrint.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def stalled(row: BatchPrint, now: datetime.datetime | None = None) -> bool:
    return row.state in IN_PROGRESS and row.updated_at <= (now or timezone.now()) - STALLED


def failure(row: BatchPrint) -> str:
    """What the page says about a failed (or stalled) row; "" while all is well."""
    if stalled(row):
        return str(PrintFailure.STALLED.label)
    if row.state == PrintState.FAILED:
        return str(PrintFailure(row.failure or PrintFailure.LAYOUT).label)
    return ""


def mine(actor: Member) -> dict[tuple[int, str], BatchPrint]:
    """The member's prints, by facility and channel, without their PDFs."""
    purge_expired()
    rows = BatchPrint.objects.filter(owner=actor).defer("pdf")
    return {(row.facility_id, row.channel): row for row in rows}


def of_group(actor: Member, facility_id: int, channel: str) -> BatchPrint | None:
    return (BatchPrint.objects.filter(owner=actor, facility_id=facility_id, channel=channel,
                                      expires_at__gt=timezone.now())
            .defer("pdf").first())


def queue(actor: Member, found: batches.Group) -> BatchPrint:
    """Have the worker lay out the group's PDF for `actor`; one already under way is kept, a
    finished, failed or stalled one is replaced."""
    policy.require(actor, policy.LETTER_MODERATORS, _(work.REFUSAL))
    now = timezone.now()
    with transaction.atomic():
        purge_expired(now)
        earlier = (BatchPrint.objects.select_for_update().defer("pdf")
                   .filter(owner=actor, facility_id=found.facility_id, channel=found.channel)
                   .first())
        if earlier is not None and earlier.state in IN_PROGRESS and not stalled(earlier, now):
            return earlier
        if earlier is not None:
            earlier.delete()
        try:
            with transaction.atomic():
                row = BatchPrint.objects.create(
                    owner=actor, facility_id=found.facility_id, channel=found.channel,
                    letters=len(found.sheets), created_at=now, updated_at=now,
                    expires_at=now + lifetime())
        except IntegrityError:  # asked twice at once (a double click): the first one stands
            return BatchPrint.objects.defer("pdf").get(
                owner=actor, facility_id=found.facility_id, channel=found.channel)
        record("letters.batch_queued", actor=actor, details={
            "letters": len(found.sheets), "facility": found.facility_id})
        # In the same transaction: the worker sees the task only with its row.
        lay_out_batch.enqueue(row.pk)
    return row


@task
def lay_out_batch(print_id: int) -> None:
    """The worker's task: lay out one queued group's PDF (queued by `queue`)."""
    ring.begin()
    lay_out(print_id)


def _progress(print_id: int, done: int) -> None:
    BatchPrint.objects.filter(pk=print_id).update(parts_done=done, updated_at=timezone.now())


def _fail(print_id: int, code: str) -> None:
    BatchPrint.objects.filter(pk=print_id).update(state=PrintState.FAILED, failure=code,
                                                  updated_at=timezone.now())


def lay_out(print_id: int) -> None:
    purge_expired()
    row = BatchPrint.objects.filter(pk=print_id, state=PrintState.QUEUED).defer("pdf").first()
    if row is None:  # downloaded, replaced or expired meanwhile
        return
    try:
        found = batches.group(row.owner, row.facility_id, row.channel)
        if found is None or not found.sheets:
            _fail(print_id, PrintFailure.EMPTY)
            return
        parts = batches.parts(found)
        BatchPrint.objects.filter(pk=print_id).update(
            state=PrintState.RUNNING, letters=len(found.sheets), parts=len(parts),
            updated_at=timezone.now())
        pdf = layout.joined(parts, progress=lambda done: _progress(print_id, done))
    except VaultSealed:
        _fail(print_id, PrintFailure.SEALED)
        return
    except Exception as error:  # kept as a code; the page offers a retry
        # The exception's type only: its text or traceback could quote a letter.
        logger.error("Letters' batch print #%s failed: %s", print_id, type(error).__name__)
        _fail(print_id, PrintFailure.LAYOUT)
        return
    with transaction.atomic():
        row = (BatchPrint.objects.select_for_update().defer("pdf")
               .filter(pk=print_id, state=PrintState.RUNNING).first())
        if row is None:
            return
        row.pdf = pdf
        row.state, row.parts_done = PrintState.READY, row.parts
        row.updated_at = timezone.now()
        row.expires_at = row.updated_at + lifetime()
        row.save(update_fields=["pdf", "state", "parts_done", "updated_at", "expires_at"])


def take(actor: Member, facility_id: int, channel: str) -> bytes | None:
    """The member's finished PDF of the group, once: the row (and the encrypted PDF with it)
    is deleted as it is handed over, and the printing is in the audit trail."""
    policy.require(actor, policy.LETTER_MODERATORS, _(work.REFUSAL))
    with transaction.atomic():
        row = (BatchPrint.objects.select_for_update()
               .filter(owner=actor, facility_id=facility_id, channel=channel,
                       state=PrintState.READY, expires_at__gt=timezone.now()).first())
        if row is None:
            return None
        pdf = row.pdf
        assert isinstance(pdf, bytes)
        record("letters.batch_printed", actor=actor, details={
            "format": "pdf", "letters": row.letters, "facility": facility_id,
            "background": True})
        row.delete()
    return pdf
