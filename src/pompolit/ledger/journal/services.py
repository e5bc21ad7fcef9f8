"""The treasurer's lists — the journal of entries and the list of donations, with their filters
and totals — and correcting a donation: its reversal (with the reason) and the corrected
donation in one step, by one treasurer up to the approval threshold and above it only with a
second treasurer's approval (the `ledger.correct_donation` approval action).

The reversal rules (exact negation, at most once, never of a reversal) are post_entry's and
reverse_entry's (ledger/services.py); nothing here re-implements them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.ledger import labels, receipts, services
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.donors.models import DonorIdentity
from pompolit.ledger.expenses.services import above_threshold, approval_threshold
from pompolit.ledger.models import Channel, Donation, Entry, EntryNote, Fund, Posting
from pompolit.ledger.money import Money
from pompolit.ledger.statements.models import Statement
from pompolit.ledger.templatetags.money import format_money
from pompolit.members import approvals, policy
from pompolit.members.approvals import ApprovalError, approval_action
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role
from pompolit.vault.errors import VaultError

CORRECT_ACTION = "ledger.correct_donation"


# -- the lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the lists are narrowed to; codes and a month, never typed text (docs/deploy.md)."""

    fund: Fund | None = None
    month: datetime.date | None = None  # its first day
    channel: str = ""
    campaign: Campaign | None = None
    kind: str = ""


def _month[M: (Entry, Donation)](found: QuerySet[M], field: str,
                                 month: datetime.date | None) -> QuerySet[M]:
    if month is None:
        return found
    return found.filter(**{f"{field}__year": month.year, f"{field}__month": month.month})


def journal_entries(filters: Filters) -> QuerySet[Entry]:
    """Entries, newest first. By channel or campaign: the donations, and their reversals."""
    found = Entry.objects.select_related(
        "reverses", "reversal", "posted_by", "donation__campaign", "reverses__donation",
    ).order_by("-leaf_index")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.fund is not None:
        found = found.filter(pk__in=Posting.objects.filter(fund=filters.fund).values("entry"))
    found = _month(found, "date", filters.month)
    if filters.channel:
        found = found.filter(Q(donation__channel=filters.channel)
                             | Q(reverses__donation__channel=filters.channel))
    if filters.campaign is not None:
        found = found.filter(Q(donation__campaign=filters.campaign)
                             | Q(reverses__donation__campaign=filters.campaign))
    return found


@dataclass(frozen=True)
class PostingRow:
    account_name: str
    account_code: str
    fund_name: str
    amount: Money


@dataclass(frozen=True)
class EntryRow:
    entry: Entry
    postings: list[PostingRow]
    # What a person typed about it (a donation's note, a reversal's reason): decrypted, or
    # None when there is none; `sealed` when there is one the vault cannot open now.
    note: str | None
    sealed: bool


def entry_rows(entries: list[Entry]) -> list[EntryRow]:
    """Each entry with its postings (account and fund names, amounts with the currency) and
    its note, decrypted while the vault is unsealed. The lists are for treasurers and auditors
    (BOOKS_READERS), who read the books' notes; nothing else is decrypted here."""
    ids = [entry.pk for entry in entries]
    postings: dict[int, list[PostingRow]] = defaultdict(list)
    for posting in (Posting.objects.filter(entry_id__in=ids)
                    .select_related("account", "fund", "currency").order_by("pk")):
        postings[posting.entry_id].append(PostingRow(
            posting.account.label, posting.account.code, posting.fund.label,
            Money.from_minor(posting.units, posting.currency_id, posting.currency.exponent)))
    notes = {note.entry_id: note for note in EntryNote.objects.filter(entry_id__in=ids)}
    rows = []
    for entry in entries:
        text, sealed = None, False
        if entry.pk in notes:
            try:
                text = str(notes[entry.pk].note)
            except VaultError:
                sealed = True
        rows.append(EntryRow(entry, postings[entry.pk], text, sealed))
    return rows


def donations(filters: Filters) -> QuerySet[Donation]:
    found = Donation.objects.select_related(
        "entry", "entry__reversal", "fund", "campaign", "currency").order_by("-entry__leaf_index")
    if filters.fund is not None:
        found = found.filter(fund=filters.fund)
    if filters.channel:
        found = found.filter(channel=filters.channel)
    if filters.campaign is not None:
        found = found.filter(campaign=filters.campaign)
    return _month(found, "entry__date", filters.month)


def amount_of(donation: Donation) -> Money:
    return Money.from_minor(donation.units, donation.currency_id, donation.currency.exponent)


def donation_totals(found: QuerySet[Donation]) -> list[Money]:
    """The sum per currency of the donations that stand (a reversed one counts for nothing)."""
    sums = (found.filter(entry__reversal__isnull=True).order_by().values("currency_id",
                                                                          "currency__exponent")
            .annotate(total=Sum("units")).order_by("currency_id"))
    return [Money.from_minor(int(row["total"]), row["currency_id"], row["currency__exponent"])
            for row in sums]


# -- correcting a donation --------------------------------------------------------------------


@dataclass(frozen=True)
class Corrected:
    """The corrected donation as typed: what the new donation will be."""

    date: datetime.date
    amount: Money
    fund: Fund
    channel: str
    campaign: Campaign | None


@dataclass(frozen=True)
class Correction:
    """What a correction did: posted at once (reversal and donation, with the new receipt
    code), or asked a second treasurer (the request, and the code the donation will have)."""

    code: str
    reversal: Entry | None = None
    donation: Donation | None = None
    request: ApprovalRequest | None = None


def reversal_date(entry: Entry) -> datetime.date:
    """The reversal is dated as the entry it reverses, so the month's totals come out right —
    unless a published statement closed that month: then today."""
    closed = Statement.objects.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if closed is not None and entry.date <= closed:
        return timezone.localdate()
    return entry.date


def needs_approval(donation: Donation, corrected: Corrected) -> bool:
    """Above the approval threshold (the same as expenses'): the donation taken out or the one
    put in, each at the rate of its own day."""
    return (above_threshold([(amount_of(donation), donation.entry.date)])
            or above_threshold([(corrected.amount, corrected.date)]))


def _pending(donation: Donation) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(action=CORRECT_ACTION, payload__donation=donation.pk,
                                          status=ApprovalRequest.Status.PENDING)


def correction_waiting(donation: Donation) -> bool:
    return _pending(donation).exists()


def check_correctable(donation: Donation) -> None:
    services.check_reversible(donation.entry)
    if correction_waiting(donation):
        raise ValidationError(_("A correction of this donation is already waiting for a second "
                                "treasurer's approval."))


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the donation is corrected (it is kept, "
                                           "encrypted, with the reversal).")})
    return reason.strip()


def correct_donation(actor: Member, donation: Donation, corrected: Corrected, *,
                     reason: str) -> Correction:
    """Reverse `donation` (with the reason) and record the corrected one, all or nothing; or,
    above the threshold, ask a second treasurer to approve exactly that."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can correct a donation."))
    reason = _reason(reason)
    check_correctable(donation)
    if corrected.amount.amount <= 0:
        raise ValidationError({"amount": _("A donation must be more than zero.")})
    if needs_approval(donation, corrected):
        return _request_correction(actor, donation, corrected, reason)
    with transaction.atomic():
        reversal, recorded = _post_correction(actor, donation, corrected, reason=reason,
                                              memo="correction")
    return Correction(recorded.code, reversal=reversal, donation=recorded.donation)


def _post_correction(actor: Member, donation: Donation, corrected: Corrected, *, reason: str,
                     memo: str, receipt_id: str | None = None,
                     ) -> tuple[Entry, services.RecordedDonation]:
    """The reversal and the corrected donation; the donation's note and donor's identity go
    with it. Inside the caller's transaction. `memo` is the system's words, in English as
    every memo (never shown as a sentence of the page)."""
    old_note, donor = _carried_over(donation)
    reversal = services.reverse_entry(actor, donation.entry, date=reversal_date(donation.entry),
                                      memo=memo, reason=reason)
    recorded = services.record_donation(
        actor, date=corrected.date, amount=corrected.amount, fund=corrected.fund,
        channel=corrected.channel, campaign=corrected.campaign, memo=memo,
        note=old_note, donor_name=donor[0], donor_contact=donor[1], receipt_id=receipt_id)
    record("ledger.donation_corrected", actor=actor, obj=recorded.donation, details={
        "reversed": donation.entry.leaf_index, "reversal": reversal.leaf_index,
        "donation": recorded.donation.entry.leaf_index,
        "from": str(amount_of(donation)), "to": str(corrected.amount)})
    return reversal, recorded


def _carried_over(donation: Donation) -> tuple[str, tuple[str, str]]:
    """The old donation's note and donor's identity, for the corrected one (decrypted)."""
    try:
        note = EntryNote.objects.filter(entry=donation.entry).first()
        donor = DonorIdentity.objects.filter(donation=donation).first()
        return (str(note.note) if note else "",
                (str(donor.name), str(donor.contact)) if donor else ("", ""))
    except VaultError as error:
        raise ValidationError(_("The donation's note cannot be read now: %(reason)s")
                              % {"reason": error}) from None


def _payload(donation: Donation, corrected: Corrected, receipt_id: str) -> dict[str, Any]:
    return {
        "donation": donation.pk, "entry": donation.entry.leaf_index,
        "was": str(amount_of(donation)), "date": corrected.date.isoformat(),
        "amount": str(corrected.amount), "fund": corrected.fund.code,
        "channel": corrected.channel,
        "campaign": corrected.campaign.code if corrected.campaign else None,
        "receipt_id": receipt_id,
    }


def _request_correction(actor: Member, donation: Donation, corrected: Corrected,
                        reason: str) -> Correction:
    """The approval request; the reason goes with it encrypted (ApprovalRequest.reason), not
    in the payload, which is kept and audited in clear. The receipt code is made now and shown
    to the requester once; the request keeps only its fingerprint."""
    code = receipts.new_code()
    request = approvals.request_approval(
        actor, CORRECT_ACTION, _payload(donation, corrected, receipts.receipt_id(code)),
        reason=reason)
    return Correction(code, request=request)


def _from_payload(payload: dict[str, Any]) -> tuple[Donation, Corrected]:
    """The donation and its correction that `payload` names, checked; ValidationError if not."""
    try:
        donation = Donation.objects.select_related("entry", "currency").get(
            pk=int(payload["donation"]))
        amount_text, currency = str(payload["amount"]).split(" ")
        corrected = Corrected(
            date=datetime.date.fromisoformat(str(payload["date"])),
            amount=services.money(amount_text, currency), fund=services.fund(payload["fund"]),
            channel=str(payload["channel"]),
            campaign=(Campaign.objects.get(code=payload["campaign"]) if payload.get("campaign")
                      else None))
    except (KeyError, TypeError, ValueError, Donation.DoesNotExist, Campaign.DoesNotExist):
        raise ValidationError(_("The request does not name a donation and its correction.")) \
            from None
    if (payload.get("entry") != donation.entry.leaf_index
            or payload.get("was") != str(amount_of(donation))):
        raise ValidationError(_("The request does not match donation #%(index)s.")
                              % {"index": donation.entry.leaf_index})
    if corrected.channel not in Channel.values:
        raise ValidationError(_("Choose how the donation arrived."))
    if not isinstance(payload.get("receipt_id"), str) or len(payload["receipt_id"]) != 64:
        raise ValidationError(_("The request has no receipt for the corrected donation."))
    return donation, corrected


def _validate_correction(payload: dict[str, Any]) -> None:
    donation, _corrected = _from_payload(payload)
    services.check_reversible(donation.entry)


def _readable_money(text: Any) -> str:
    """"15000.00 RUB" as the reader's language writes money; as it is if it is not money."""
    try:
        amount, currency = str(text).split(" ")
        return format_money(Decimal(amount), currency)
    except (ValueError, ArithmeticError):
        return str(text)


def _describe_correction(payload: dict[str, Any]) -> str:
    """In the reader's language, with the fund's name and the date as the page writes dates."""
    try:
        date = formats.date_format(datetime.date.fromisoformat(str(payload.get("date"))),
                                   "SHORT_DATE_FORMAT")
    except ValueError:
        date = str(payload.get("date"))
    return _("Correct donation #%(index)s: %(was)s becomes %(amount)s (fund “%(fund)s”, "
             "received on %(date)s); the old one is reversed") % {
        "index": payload.get("entry"), "was": _readable_money(payload.get("was")),
        "amount": _readable_money(payload.get("amount")),
        "fund": labels.fund_name_of(payload.get("fund")), "date": date}


@approval_action(
    CORRECT_ACTION, describe=_describe_correction, validate=_validate_correction,
    requester_role=Role.TREASURER, approver_role=Role.TREASURER,
)
def _execute_correction(request: ApprovalRequest) -> None:
    approver = request.decided_by
    if approver is None:
        raise ApprovalError(_("Nobody approved this correction."))
    donation, corrected = _from_payload(request.payload)
    _post_correction(approver, donation, corrected, reason=str(request.reason or ""),
                     memo=f"correction, approval request #{request.pk}",
                     receipt_id=request.payload["receipt_id"])


def threshold() -> Money:
    return approval_threshold()
