"""What sending a letter costs, and how it goes through the books: as an aid item of kind
"letter", one per letter (`Letter.aid_item`), created, approved and paid by the aid services
(`aid.services.create_item`, `aid.lifecycle.approve_item` / `request_item_approval`,
`send_item`), so the reservation, the payment, the audit entries and the transparency log's
leaves are theirs; nothing here posts to the ledger.

One item per letter, not per prisoner and batch: the aid plan counts letters a month
(`MonthlyNeeds.letters`), so one item is one letter; the prisoner's aid history shows each
letter on its own day; and a letter that waits for a coordinator's approval holds back only
itself.

Prices (`POMPOLIT_LETTER_PRICES`, roubles, merged over `DEFAULT_PRICES`): per channel, a
letter, a reply form (electronic services sell one with the letter), each image.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.aid import lifecycle
from pompolit.aid import services as aid
from pompolit.aid.models import Channel as AidChannel
from pompolit.aid.models import Kind
from pompolit.aid.models import Status as AidStatus
from pompolit.aid.vocabulary import LANGUAGES
from pompolit.ledger.models import Fund, FundKind
from pompolit.ledger.money import Money
from pompolit.letters.models import Channel, Letter, Status
from pompolit.members.models import Member

CURRENCY = "RUB"
DEFAULT_PRICES: dict[str, dict[str, str]] = {
    # An electronic letter service: about 55 ₽ a letter, 55 ₽ a reply form, 35 ₽ an image.
    Channel.ELECTRONIC: {"letter": "55", "reply_form": "55", "image": "35"},
    # The post: a stamp (an ordinary letter within Russia); the reply form is a sheet of ours.
    Channel.POST: {"letter": "45", "reply_form": "0", "image": "0"},
    # Written on paper at a letter evening and posted: a stamp too.
    Channel.PAPER: {"letter": "45", "reply_form": "0", "image": "0"},
}
# How the aid item says it was sent.
AID_CHANNELS = {Channel.ELECTRONIC: AidChannel.FACILITY, Channel.POST: AidChannel.POST,
                Channel.PAPER: AidChannel.POST}


def prices() -> dict[str, dict[str, Decimal]]:
    """Every channel's prices: the defaults with the settings' changes over them."""
    given: dict[str, Any] = getattr(settings, "POMPOLIT_LETTER_PRICES", {}) or {}
    found = {}
    for channel, default in DEFAULT_PRICES.items():
        merged = {**default, **{k: v for k, v in dict(given.get(str(channel), {})).items()
                                if k in default}}
        found[str(channel)] = {k: Decimal(str(v)) for k, v in merged.items()}
    return found


def cost(channel: str, images: int = 0) -> Money:
    """What one letter costs on this channel with this many images."""
    price = prices()[str(channel)]
    return Money(CURRENCY, price["letter"] + price["reply_form"] + images * price["image"])


def cost_of(letter: Letter) -> Money:
    return cost(letter.channel, letter.images.count())


def may_pay_letters(fund: Fund) -> bool:
    """Funds a batch may be paid from: the unrestricted ones and the purpose funds whose
    purpose covers letters. A case's own fund pays only its case: not a whole batch."""
    if fund.kind == FundKind.UNRESTRICTED:
        return True
    account = aid.EXPENSE_ACCOUNTS[Kind.LETTER]
    return fund.kind == FundKind.PURPOSE and (
        account == fund.purpose or account.startswith(fund.purpose + ":"))


def letter_funds() -> list[Fund]:
    return [f for f in Fund.objects.exclude(kind=FundKind.CASE).order_by("name")
            if may_pay_letters(f)]


def waiting_for_approval(letter: Letter) -> bool:
    item = letter.aid_item
    return (item is not None and item.status == AidStatus.DRAFT
            and lifecycle.pending_request(item) is not None)


def pay(actor: Member, letter: Letter, fund: Fund) -> bool:
    """The letter's aid item made, approved and paid; False while a coordinator must
    approve it (asked for once)."""
    today = timezone.localdate()
    channel = AID_CHANNELS[Channel(letter.channel)]
    item = letter.aid_item
    if item is None:
        item = aid.create_item(
            actor, letter.case, Kind.LETTER, fund, planned_on=today, cost=cost_of(letter),
            channel=channel, origin=f"letter {letter.pk}",
            language=letter.language if letter.language in LANGUAGES else "ru")
        Letter.objects.filter(pk=letter.pk).update(aid_item=item)
        letter.aid_item = item
    if item.status == AidStatus.DRAFT:
        if lifecycle.pending_request(item) is not None:
            return False
        if item.cost_units and lifecycle.needs_second_person(item):
            lifecycle.request_item_approval(actor, item, reason=_(
                "The cost of letter № %(n)s, sent in a batch.") % {"n": letter.pk})
            return False
        item = lifecycle.approve_item(actor, item, on=today)
    if item.status == AidStatus.APPROVED:
        lifecycle.send_item(actor, item, on=today, channel=channel)
    return True


# What became of a letter, as its aid item's outcome: a letter the censor kept is lost to us
# as a confiscated parcel is (written off, like a returned letter: a stamp is not refunded).
OUTCOMES = {Status.DELIVERED: AidStatus.DELIVERED, Status.BLOCKED: AidStatus.CONFISCATED,
            Status.RETURNED: AidStatus.RETURNED}


def close(actor: Member | None, letter: Letter, outcome: str, *, note: str = "",
          on: datetime.date | None = None) -> None:
    """Close the letter's aid item with the outcome matching the letter's (called by
    `work.move` in the same transaction): delivered, confiscated (blocked) or returned, through
    the aid lifecycle (its write-off, its audit entry, the case's sign of life on delivery).
    A letter never paid (no item, or not sent yet) has nothing to close."""
    item = letter.aid_item
    if item is None or item.status != AidStatus.SENT or actor is None:
        return  # (the aid lifecycle needs a case worker: the command line closes nothing)
    day = on or timezone.localdate()
    if item.sent_on and day < item.sent_on:
        day = item.sent_on
    try:
        lifecycle.close_item(actor, item, OUTCOMES[Status(outcome)], on=day,
                             note=note[:300])
    except PermissionDenied:
        raise ValidationError(_(
            "Letter № %(n)s: only a case worker of the prisoner's compartment may close its "
            "cost in the books.") % {"n": letter.pk}) from None
