"""The donors' identities, kept (encrypted) only when a donor asked for a thank-you or a tax
receipt: their bulk export, which needs a second person, and forgetting one on request.

- **Export**: a treasurer asks (`request_export`, with a reason); a coordinator — never the
  treasurer who asked — approves (`ledger.export_donor_identities`, members/approvals.py); the
  treasurer who asked then downloads the file once (`download_export`). It is generated at that
  moment (no decrypted file waits on the server), spreadsheet-safe, and the download is an
  audited sensitive read.
- **Reading one** (`read_donor_identity`): for a treasurer, an audited sensitive read.
- **Forgetting** (`forget_identity`): deletes the `DonorIdentity` row. The donation, its entry
  and its leaf never held the identity, so they stay as they are — the books still balance, the
  log is unchanged, and the donor's receipt code still verifies.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit.services import record, record_sensitive_read
from pompolit.core.exports import csv_bytes, refuse_own_export, safe, take_once
from pompolit.ledger import receipts
from pompolit.ledger.donors.models import DonorExport, DonorIdentity
from pompolit.ledger.models import Donation
from pompolit.ledger.money import Money
from pompolit.members import policy
from pompolit.members.approvals import (
    Fact,
    Section,
    Summary,
    approval_action,
    approval_summary,
    request_approval,
)
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role
from pompolit.vault.errors import VaultError

ACTION = "ledger.export_donor_identities"
COLUMNS = ("entry", "date", "amount", "currency", "fund", "campaign", "channel", "name",
           "contact", "kept_on")


def read_donor_identity(actor: Member, donation: Donation) -> tuple[str, str] | None:
    """The donor's name and contact, for a treasurer, written into the audit trail."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can see who gave a donation."))
    identity = DonorIdentity.objects.filter(donation=donation).first()
    if identity is None:
        return None
    record_sensitive_read(actor, identity, fields=["name", "contact"])
    return str(identity.name or ""), str(identity.contact or "")


def kept_count() -> int:
    return DonorIdentity.objects.count()


# -- the bulk export: two people ---------------------------------------------------------------


def _requester(payload: dict[str, Any]) -> Member:
    try:
        member = Member.objects.get(pk=int(payload.get("requested_by", 0)))
    except (Member.DoesNotExist, TypeError, ValueError):
        raise ValidationError(_("The member who asked no longer exists.")) from None
    return member


def _validate(payload: dict[str, Any]) -> None:
    if not policy.has_roles(_requester(payload), policy.TREASURER):
        raise ValidationError(_("Only a treasurer may receive the donors' identities."))


def _describe(payload: dict[str, Any]) -> str:
    return str(gettext_lazy(
        "Export the names and contacts of every donor who left them (for thank-yous and tax "
        "receipts), as CSV, for the treasurer who asked"))


@approval_action(ACTION, describe=_describe, validate=_validate,
                 requester_role=Role.TREASURER, approver_role=Role.COORDINATOR,
                 refuses_approver=refuse_own_export)
def _approved(request: ApprovalRequest) -> None:
    member = _requester(request.payload)
    ticket = DonorExport.objects.create(approval=request, requested_by=member)
    record("ledger.donor_export_approved", actor=request.decided_by, obj=ticket,
           details={"approval": request.pk, "requested_by": member.pseudonym})


@approval_summary(ACTION)
def _summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    facts = [Fact(_("For"), str(request.requested_by)),
             Fact(_("Format"), str(request.payload.get("format", "")).upper()),
             Fact(_("Donors who left a name or contact"), str(kept_count()))]
    note = _("The file leaves the server unencrypted. It can be downloaded once, by the "
             "treasurer who asked.")
    return Summary(_describe(request.payload),
                   [Section(_("What leaves the server"), facts, note=note)])


def request_export(actor: Member, *, reason: str) -> ApprovalRequest:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can see who gave a donation."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the donors' identities must leave the "
                                           "server: the approver needs to know.")})
    return request_approval(actor, ACTION, {"requested_by": actor.pk, "format": "csv"},
                            reason=reason.strip())


def ready_for(actor: Member) -> list[DonorExport]:
    """Approved exports this treasurer asked for and has not downloaded yet."""
    return list(DonorExport.objects.filter(requested_by=actor, downloaded_at__isnull=True)
                .select_related("approval").order_by("pk"))


def pending_for(actor: Member) -> list[ApprovalRequest]:
    return list(ApprovalRequest.objects.filter(
        action=ACTION, requested_by=actor, status=ApprovalRequest.Status.PENDING).order_by("pk"))


def _row(identity: DonorIdentity) -> dict[str, Any]:
    donation = identity.donation
    entry = donation.entry
    amount = Money.from_minor(donation.units, donation.currency_id, donation.currency.exponent)
    row: dict[str, Any] = safe({
        "entry": entry.leaf_index, "date": entry.date.isoformat(),
        "amount": f"{amount.amount:f}",
        "currency": donation.currency_id, "fund": donation.fund.code,
        "campaign": donation.campaign.code if donation.campaign else "",
        "channel": donation.channel, "name": str(identity.name or ""),
        "contact": str(identity.contact or ""), "kept_on": identity.created_at.date().isoformat(),
    })
    return row


def download_export(actor: Member, export_id: int) -> tuple[bytes, str]:
    """The approved export, generated now; once only, by the treasurer who asked. With the
    vault sealed it is refused and the export is not used up."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can see who gave a donation."))
    try:
        with transaction.atomic():
            ticket = take_once(
                DonorExport.objects.filter(requested_by=actor), export_id,
                missing=_("There is no approved export of yours with this number."),
                taken=_("This export was already downloaded; ask again if it is needed again."))
            identities = (DonorIdentity.objects
                          .select_related("donation__entry", "donation__currency",
                                          "donation__fund", "donation__campaign")
                          .order_by("donation__entry__leaf_index"))
            rows = [_row(identity) for identity in identities]
            record("ledger.donor_identities_exported", actor=actor, obj=ticket,
                   details={"approval": ticket.approval_id, "identities": len(rows)})
            record_sensitive_read(actor, ticket, fields=["ledger.DonorIdentity.name",
                                                         "ledger.DonorIdentity.contact"])
    except VaultError as error:
        raise ValidationError(_("The identities cannot be read now: %(reason)s")
                              % {"reason": error}) from None
    return csv_bytes(COLUMNS, rows), f"donors-{timezone.localdate():%Y-%m-%d}.csv"


# -- forgetting --------------------------------------------------------------------------------


def find_donation(text: str) -> Donation:
    """The donation a donor names by their receipt code, or a treasurer by its entry number
    (#123 or 123). Raises ValidationError saying what was not understood or not found."""
    wanted = text.strip()
    number = re.fullmatch(r"#?\s*(\d{1,18})", wanted)
    if number:
        found = Donation.objects.filter(entry__leaf_index=int(number.group(1))).first()
        if found is None:
            raise ValidationError(_("No donation is entry #%(n)s.") % {"n": number.group(1)})
        return found
    try:
        receipt = receipts.receipt_id(wanted)
    except receipts.ReceiptCodeError as error:
        raise ValidationError(str(error)) from None
    found = Donation.objects.filter(receipt_id=receipt).first()
    if found is None:
        raise ValidationError(_("No donation has this receipt code."))
    return found


def forget_identity(actor: Member, donation: Donation) -> None:
    """Delete the donor's name and contact. The donation, its entry and its leaf stay: they
    never held them. Audited — with no reason typed by a member, since the audit trail is
    readable on disk and a reason could name the donor."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can see who gave a donation."))
    with transaction.atomic():
        deleted, _by_model = DonorIdentity.objects.filter(donation=donation).delete()
        if not deleted:
            raise ValidationError(_("No identity is kept for this donation: there is nothing "
                                    "to forget."))
        record("ledger.donor_identity_forgotten", actor=actor, obj=donation,
               details={"entry": donation.entry.leaf_index})
