"""Aid in the books. Every step is a real entry through `ledger.services.post_entry`, so it is
append-only, a leaf of the transparency log, and refused if a restricted fund would go below
zero — the books themselves show what is reserved.

- **Approving** reserves the cost: an `expense` entry debiting the kind's expense account
  (e.g. `expenses:parcels`) and crediting `liabilities:aid-reserved`, in the item's fund. The
  fund's balance (net assets) drops at once, so the money cannot be spent twice — by another
  item or by an ordinary expense — and a restricted fund without the money refuses approval.
- **Sending** pays: debit `liabilities:aid-reserved`, credit the asset account (by default
  `assets:bank`). The balance does not move again.
- **Back to draft** (an approval withdrawn before sending): the reservation is reversed.
- **Returned** money transfers come back: `assets:bank` debited, the expense account
  credited (a refund). **Lost, confiscated**, and returned goods: the cost moves to the
  account's `:lost` sub-account, so the books say what was lost.

Which fund pays is the item's: the case worker chooses it (`aid/forms.py` offers the case's
own restricted fund first, then purpose funds for the kind, then the general fund).
Amounts of zero (aid that costs nothing: a letter written by hand) post nothing.
"""

from __future__ import annotations

import datetime

from pompolit.aid.models import AidItem, Kind
from pompolit.aid.services import EXPENSE_ACCOUNTS, amount_of
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Entry, EntryKind
from pompolit.members import policy
from pompolit.members.models import Member

RESERVED_ACCOUNT = "liabilities:aid-reserved"
PAID_FROM = "assets:bank"


def memo(item: AidItem, what: str) -> str:
    return f"aid item #{item.pk}: {what}"


def _poster(actor: Member | None) -> Member | None:
    # post_entry names the treasurer who posted; aid is approved and sent by case workers and
    # coordinators, whose names are in the aid item's history and the audit trail instead.
    return actor if actor is not None and policy.has_roles(actor, policy.TREASURER) else None


def expense_account(item: AidItem) -> str:
    return EXPENSE_ACCOUNTS[Kind(item.kind)]


def reserve(actor: Member | None, item: AidItem, on: datetime.date) -> Entry | None:
    if not item.cost_units:
        return None
    amount = amount_of(item)
    lines = [ledger.Line(ledger.account(expense_account(item)), item.fund, amount),
             ledger.Line(ledger.account(RESERVED_ACCOUNT), item.fund, -amount)]
    return ledger.post_entry(_poster(actor), kind=EntryKind.EXPENSE, date=on, lines=lines,
                             memo=memo(item, "reserved on approval"))


def release(actor: Member | None, item: AidItem, on: datetime.date) -> Entry | None:
    if item.reservation is None:
        return None
    return ledger.reverse_entry(_poster(actor), item.reservation, date=on,
                                memo=memo(item, "approval withdrawn"))


def pay(actor: Member | None, item: AidItem, on: datetime.date,
        from_account: str = PAID_FROM) -> Entry | None:
    if not item.cost_units:
        return None
    amount = amount_of(item)
    lines = [ledger.Line(ledger.account(RESERVED_ACCOUNT), item.fund, amount),
             ledger.Line(ledger.account(from_account), item.fund, -amount)]
    return ledger.post_entry(_poster(actor), kind=EntryKind.EXPENSE, date=on, lines=lines,
                             memo=memo(item, "sent"))


def refund(actor: Member | None, item: AidItem, on: datetime.date,
           into: str = PAID_FROM) -> Entry | None:
    if not item.cost_units:
        return None
    amount = amount_of(item)
    lines = [ledger.Line(ledger.account(into), item.fund, amount),
             ledger.Line(ledger.account(expense_account(item)), item.fund, -amount)]
    return ledger.post_entry(_poster(actor), kind=EntryKind.EXPENSE, date=on, lines=lines,
                             memo=memo(item, "returned, money refunded"))


def write_off(actor: Member | None, item: AidItem, on: datetime.date, why: str) -> Entry | None:
    if not item.cost_units:
        return None
    amount = amount_of(item)
    account = expense_account(item)
    lines = [ledger.Line(ledger.account(f"{account}:lost"), item.fund, amount),
             ledger.Line(ledger.account(account), item.fund, -amount)]
    return ledger.post_entry(_poster(actor), kind=EntryKind.EXPENSE, date=on, lines=lines,
                             memo=memo(item, why))
