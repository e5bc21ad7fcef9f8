"""Letters written on paper at a letter evening: the sheet to tick them on, and entering them.

The sheet lists the prisoners on the evening's cards (`pick.recipients`, as `kit.cards`), with
boxes to tick each letter written. A volunteer then enters them: to whom, how many, the day,
the evening and its campaign. Each becomes a `Letter` of channel "paper", approved (the
volunteers of the evening read them on the spot), so it counts in this month's letters (the
weighted pick, the statistics), goes in the batches to be posted and paid as aid
(`letters/costs.py`, the paper price: a stamp) and is followed to delivered or returned like
any other. Its text stays on paper: Pompolit keeps none of it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.aid.batches.documents import no_fetcher
from pompolit.audit.services import record
from pompolit.cases.models import Case, Facility
from pompolit.letters import campaigns, work
from pompolit.letters.models import Campaign, Channel, Letter, LetterStep, PaperEntry, Status
from pompolit.letters.pick import Recipient, recipients
from pompolit.members import policy
from pompolit.members.models import Member

MAX_COUNT = 200  # letters to one person at one evening: more is a typing mistake
OLDEST_DAYS = 366
MAX_EVENING = 200
MAX_NOTE = 1000
SHEET_LINES = 8  # boxes to tick per prisoner



def _at_most(n: int) -> str:
    return ngettext("At most %(n)s character.", "At most %(n)s characters.", n) % {"n": n}

def _require(actor: Member | None) -> None:
    policy.require(actor, policy.LETTER_MODERATORS, _(work.REFUSAL))


def _moment(day: datetime.date) -> datetime.datetime:
    """When a letter written that day is counted: now for today, noon of the day before."""
    if day == timezone.localdate():
        return timezone.now()
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


def enter(actor: Member, recipient: Recipient, *, count: int, written_on: datetime.date,
          evening: str = "", campaign: Campaign | None = None, note: str = "") -> PaperEntry:
    """`count` letters written on paper to `recipient` (someone a stranger may write to, as
    on the evening's cards), approved and waiting to be posted."""
    _require(actor)
    evening, note = " ".join(evening.split()), note.strip()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not 1 <= count <= MAX_COUNT:
        errors["count"] = ngettext("Between 1 and %(n)d letter.", "Between 1 and %(n)d letters.",
                                   MAX_COUNT) % {"n": MAX_COUNT}
    if written_on > today:
        errors["written_on"] = _("That day has not come yet.")
    elif (today - written_on).days > OLDEST_DAYS:
        errors["written_on"] = _("That is more than a year ago.")
    if len(evening) > MAX_EVENING:
        errors["evening"] = _at_most(MAX_EVENING)
    if len(note) > MAX_NOTE:
        errors["note"] = _at_most(MAX_NOTE)
    if errors:
        raise ValidationError(errors)
    if campaign is None:
        campaign = campaigns.current(written_on)
    case = Case.objects.get(pk=recipient.case_id)
    facility = Facility.objects.get(pk=recipient.facility_id)
    at = _moment(written_on)
    with transaction.atomic():
        entry = PaperEntry.objects.create(
            case=case, count=count, written_on=written_on, evening=evening, campaign=campaign,
            note=note, entered_by=actor)
        for _number in range(count):
            letter = Letter.objects.create(
                case=case, facility=facility, text="", writer_hash="", channel=Channel.PAPER,
                status=Status.APPROVED, campaign=campaign, paper_entry=entry, created_at=at,
                updated_at=timezone.now())
            LetterStep.objects.create(letter=letter, to_status=Status.APPROVED, actor=actor,
                                      at=timezone.now())
        record("letters.paper_entered", actor=actor, obj=entry, details={
            "case": case.pk, "letters": count, "on": written_on.isoformat(),
            "campaign": campaign.pk if campaign else None})
    return entry


def entries(actor: Member | None, limit: int = 50) -> list[PaperEntry]:
    _require(actor)
    return list(PaperEntry.objects.select_related("case__person", "campaign")
                .order_by("-written_on", "-pk")[:limit])


def sheet_rows() -> list[Recipient]:
    """The prisoners on the evening's cards, by name."""
    return recipients()


def render_html(rows: list[Recipient], evening: str = "") -> str:
    running = campaigns.current()
    return render_to_string("letters/paper_sheet.html", {
        "rows": rows, "evening": evening, "boxes": range(SHEET_LINES),
        "campaign": campaigns.name(running) if running else ""})


def render_sheet(actor: Member | None, evening: str = "") -> bytes:
    import weasyprint  # heavy (pango): only when a PDF is asked for

    _require(actor)
    rows = sheet_rows()
    pdf: bytes = weasyprint.HTML(string=render_html(rows, evening),
                                 url_fetcher=no_fetcher()).write_pdf()
    record("letters.paper_sheet_printed", actor=actor, details={"prisoners": len(rows)})
    return pdf
