"""Sending: the approved letters grouped per facility and channel, as documents.

For the post: one PDF, a page per letter with the prisoner's address block, the letter, and a
reply form (the prisoner writes the answer on it and the group's address is printed there).
For an electronic letter service: a ZIP with one text file per letter and a CSV of
recipients, leaving out the letters longer than the service takes (`service_max_chars`).
The PDF is made by weasyprint with a fetcher that refuses every URL, a long group in parts
on every core (letters/layout.py), a group of more than POMPOLIT_LETTERS_BACKGROUND_OVER
letters by the worker (letters/batch_prints.py); every CSV cell goes through `safe_cell`.
Marking a group sent is one step per letter (`work.move`), each letter paid as aid
(`letters/costs.py`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.cases.facilities.addresses import facility_address, recipient_line
from pompolit.cases.io.exporting import safe_cell
from pompolit.ledger.models import Fund
from pompolit.ledger.money import Money
from pompolit.letters import costs, layout, translations, work
from pompolit.letters.models import Channel, Letter, Status
from pompolit.letters.rules import rules_for
from pompolit.members import policy
from pompolit.members.models import Member


@dataclass(frozen=True)
class Sheet:
    number: int
    recipient: str
    address: tuple[str, ...]
    text: str
    return_name: str
    cost: Money
    waiting: bool  # its payment waits for a coordinator's approval


@dataclass(frozen=True)
class Group:
    facility_id: int
    facility: str
    channel: str
    channel_label: str
    sheets: tuple[Sheet, ...]
    too_long: tuple[int, ...]  # letters the electronic service would refuse

    @property
    def cost(self) -> Money:
        return Money(costs.CURRENCY, sum((s.cost.amount for s in self.sheets), Decimal(0)))

    @property
    def waiting(self) -> tuple[int, ...]:
        return tuple(s.number for s in self.sheets if s.waiting)


def groups(actor: Member) -> list[Group]:
    letters = (work.letters(actor, Status.APPROVED)
               .select_related("case__person", "case__current_facility", "facility",
                               "aid_item")
               .annotate(image_count=Count("images"))
               .order_by("facility__name", "channel", "pk"))
    found: dict[tuple[int, str], list[Any]] = {}
    for letter in letters:
        found.setdefault((letter.facility_id, letter.channel), []).append(letter)
    translated = translations.texts_to_send(list(letters))  # sent in the translation
    made = []
    for (facility_id, channel), members in found.items():
        facility = members[0].facility
        limit = rules_for(facility).service_max_chars if channel == Channel.ELECTRONIC else None
        address = tuple(facility_address(facility))
        sheets, too_long = [], []
        for letter in members:
            text = translated.get(letter.pk, letter.text)
            if limit and len(text) > limit:
                too_long.append(letter.pk)
                continue
            sheets.append(Sheet(letter.pk, recipient_line(letter.case), address, text,
                                letter.return_name,
                                costs.cost(channel, letter.image_count),
                                costs.waiting_for_approval(letter)))
        made.append(Group(facility_id, facility.name, channel, str(Channel(channel).label),
                          tuple(sheets), tuple(too_long)))
    return made


def group(actor: Member, facility_id: int, channel: str) -> Group | None:
    return next((g for g in groups(actor)
                 if g.facility_id == facility_id and g.channel == channel), None)


def render_html(found: Group) -> str:
    return render_to_string("letters/batch_pdf.html", {"group": found})


def parts(found: Group, part: int | None = None) -> layout.Lazy:
    """The group's HTML in parts of `part` letters (`layout.PART`), in the group's order, each
    rendered only when the layout comes to it (`layout.Lazy`): while the workers lay out the
    first parts, this process renders the next."""
    sheets, part = found.sheets, part or layout.PART
    return layout.Lazy(max(1, -(-len(sheets) // part)), lambda index: render_html(
        replace(found, sheets=sheets[index * part:(index + 1) * part])))


def render_pdf(found: Group, *, part: int | None = None, processes: int | None = None,
               progress: Callable[[int], None] | None = None) -> bytes:
    """The group's PDF: a page per letter (more for a long one) and its reply form, in the
    group's order. A long group is laid out in parts of `part` letters on every core
    (letters/layout.py), each part joined as it is done; `progress(n)` after each part."""
    return layout.joined(parts(found, part), processes, progress)


def service_zip(found: Group) -> bytes:
    """One text file per letter and recipients.csv, for an electronic letter service."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        table = io.StringIO()
        writer = csv.writer(table)
        writer.writerow([_("Number"), _("Recipient"), _("Facility"), _("Address"), _("File")])
        for sheet in found.sheets:
            name = f"letter-{sheet.number}.txt"
            archive.writestr(name, sheet.text + (f"\n\n{sheet.return_name}"
                                                  if sheet.return_name else ""))
            writer.writerow([safe_cell(v) for v in (sheet.number, sheet.recipient,
                                                     found.facility, ", ".join(sheet.address),
                                                     name)])
        archive.writestr("recipients.csv", "\ufeff" + table.getvalue())
    return out.getvalue()


def record_printed(actor: Member, found: Group, what: str) -> None:
    record("letters.batch_printed", actor=actor, details={
        "format": what, "letters": len(found.sheets), "facility": found.facility_id})


@dataclass(frozen=True)
class Sent:
    sent: int
    waiting: tuple[int, ...]  # letters whose payment waits for a coordinator's approval


def mark_sent(actor: Member, found: Group, fund: Fund | None) -> Sent:
    """The group's letters sent, each paid as aid from `fund` (letters/costs.py)."""
    return _mark_sent(actor, [sheet.number for sheet in found.sheets], fund)


def _mark_sent(actor: Member, numbers: list[int], fund: Fund | None) -> Sent:
    """Mark these approved letters sent, each paid as aid from `fund`: all or nothing. A
    letter already sent is passed over (marking a batch twice pays once); a letter whose
    payment waits for a coordinator stays approved and is named in `waiting`."""
    policy.require(actor, policy.LETTER_MODERATORS, _(work.REFUSAL))
    if fund is None or not costs.may_pay_letters(fund):
        raise ValidationError({"fund": _("Choose a fund that may pay for letters.")})
    sent, waiting = 0, []
    with transaction.atomic():
        for number in numbers:
            letter = (Letter.objects.select_for_update(of=("self",)).select_related("case")
                      .get(pk=number))
            if letter.status != Status.APPROVED:
                continue
            try:
                paid = costs.pay(actor, letter, fund)
            except PermissionDenied:
                raise ValidationError(_(
                    "Letter № %(n)s: only a case worker of the prisoner's compartment may pay "
                    "for it.") % {"n": number}) from None
            except ValidationError as error:
                raise ValidationError(_("Letter № %(n)s: %(error)s") % {
                    "n": number, "error": " ".join(error.messages)}) from None
            if not paid:
                waiting.append(number)
                continue
            work.move(actor, letter, Status.SENT)
            sent += 1
    return Sent(sent, tuple(waiting))
