"""Everything that writes aid items: creating and editing drafts, and the one query pages
start from. Approving, sending and closing are in `aid/lifecycle.py`; the money they move in
`aid/books/postings.py`; the facility rules in `aid/rules.py`.

`visible_items(member)` is the compartment wall, the same as the cases': an item is seen by
the case workers of its case's compartment.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.aid.models import AidContent, AidItem, Kind, MoneyTo, Status
from pompolit.aid.vocabulary import CATEGORIES, LANGUAGES
from pompolit.audit.services import record
from pompolit.cases.models import Case, Relative
from pompolit.ledger import labels
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Fund, FundKind
from pompolit.ledger.money import Money, MoneyError
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.vault.errors import VaultError

# What nobody sends: beyond these, the input is a typing mistake.
MAX_LINES = 60
MAX_QUANTITY = 500
MAX_LINE_GRAMS = 50_000
MAX_PARCEL_GRAMS = 100_000
MAX_COST = Decimal(100_000_000)
MAX_DAYS_AHEAD = 366
# Statuses in which nothing more is sent to a person.
GONE_STATUSES = ("released", "emigrated", "deceased")

# Which expense account pays each kind (aid/migrations/0002 creates the missing ones).
EXPENSE_ACCOUNTS = {
    Kind.PARCEL: "expenses:parcels",
    Kind.MONEY: "expenses:transfers",
    Kind.LETTER: "expenses:letters",
    Kind.BOOKS: "expenses:books",
    Kind.LAWYER: "expenses:legal",
    Kind.TRAVEL: "expenses:travel",
}
# Kinds whose contents are listed line by line.
WITH_CONTENTS = (Kind.PARCEL, Kind.BOOKS)


@dataclass(frozen=True)
class ContentLine:
    category: str
    quantity: int
    grams: int
    description: str = ""


# -- who sees what ---------------------------------------------------------------------------


def visible_items(member: Member) -> QuerySet[AidItem]:
    if not policy.has_roles(member, policy.CASE_WORKER):
        return AidItem.objects.none()
    return AidItem.objects.filter(compartment_id__in=member.compartment_ids())


def item_for(member: Member, pk: int) -> AidItem | None:
    return (visible_items(member).filter(pk=pk)
            .select_related("case__person", "case__current_facility", "case__compartment",
                            "fund", "currency", "created_by", "approved_by")
            .first())


def check_case_access(actor: Member, case: Case) -> None:
    refusal = _("You have no access to this compartment.")
    policy.require(actor, policy.CASE_WORKER, refusal)
    if case.compartment_id not in actor.compartment_ids():
        raise PermissionDenied(refusal)


# -- checks of what was typed ----------------------------------------------------------------


def refuse_gone(case: Case) -> None:
    """Nothing is sent to a person who is free, abroad or dead."""
    if case.status.code in GONE_STATUSES:
        raise ValidationError(
            _("%(name)s is %(status)s: aid is no longer sent to them.")
            % {"name": case.person.display_name, "status": case.status.label}
        )


def clean_contents(kind: str, contents: Sequence[ContentLine]) -> list[ContentLine]:
    if kind not in WITH_CONTENTS:
        if contents:
            raise ValidationError({"contents": _("Only parcels and books list their contents.")})
        return []
    if len(contents) > MAX_LINES:
        raise ValidationError({"contents": ngettext("At most %(n)d line.", "At most %(n)d lines.",
                                                    MAX_LINES) % {"n": MAX_LINES}})
    cleaned = []
    for number, line in enumerate(contents, start=1):
        where = {"line": number}
        if line.category not in CATEGORIES:
            raise ValidationError({"contents": _("Line %(line)d: choose a category.") % where})
        if not isinstance(line.quantity, int) or not 1 <= line.quantity <= MAX_QUANTITY:
            raise ValidationError({"contents": _(
                "Line %(line)d: the quantity must be a whole number from 1 to %(max)d."
            ) % {**where, "max": MAX_QUANTITY}})
        if not isinstance(line.grams, int) or not 1 <= line.grams <= MAX_LINE_GRAMS:
            raise ValidationError({"contents": _(
                "Line %(line)d: the weight must be from 1 g to %(max)d kg."
            ) % {**where, "max": MAX_LINE_GRAMS // 1000}})
        cleaned.append(ContentLine(line.category, line.quantity, line.grams,
                                   " ".join(line.description.split())[:200]))
    if kind == Kind.PARCEL and not cleaned:
        raise ValidationError({"contents": _("A parcel needs at least one line of contents.")})
    total = sum(line.grams for line in cleaned)
    if total > MAX_PARCEL_GRAMS:
        raise ValidationError({"contents": _(
            "Altogether %(kg)s kg: no parcel weighs that much. Check the weights (in grams)."
        ) % {"kg": f"{total / 1000:g}"}})
    return cleaned


def clean_cost(cost: Money | None, fund: Fund) -> tuple[str, int]:
    """The currency code and minor units; unknown currencies and absurd amounts refused."""
    if cost is None:
        return ledger.currency("RUB").code, 0
    found = ledger.currency(cost.currency)
    if cost.amount < 0:
        raise ValidationError({"cost": _("The cost cannot be negative.")})
    if cost.amount > MAX_COST:
        raise ValidationError({"cost": _("%(amount)s is far more than any aid item costs; "
                                         "check the amount.") % {"amount": cost}})
    try:
        return found.code, cost.to_minor(found.exponent)
    except MoneyError as error:
        raise ValidationError({"cost": str(error)}) from None


def check_fund(fund: Fund, kind: str, case: Case) -> None:
    """A purpose fund pays only its purpose; a case fund only its own case."""
    account = EXPENSE_ACCOUNTS[Kind(kind)]
    if fund.kind == FundKind.PURPOSE and not (
        account == fund.purpose or account.startswith(fund.purpose + ":")
    ):
        raise ValidationError({"fund": _(
            "The fund “%(fund)s” is restricted to %(purpose)s; it cannot pay for %(account)s."
        ) % {"fund": fund.label, "purpose": labels.account_name_of(fund.purpose),
             "account": labels.account_name_of(account)}})
    if fund.kind == FundKind.CASE and fund.case_ref not in fund_refs(case):
        raise ValidationError({"fund": _(
            "The fund “%(fund)s” is for another case."
        ) % {"fund": fund.label}})


def fund_refs(case: Case) -> set[str]:
    """What a case fund's `case_ref` may say to mean this case: its number in Pompolit, or its
    court case number."""
    refs = {str(case.pk)}
    if case.case_number:
        refs.add(case.case_number)
    return refs


def _check_kind_fields(kind: str, case: Case, money_to: str, relative: Relative | None,
                       language: str) -> None:
    if kind == Kind.MONEY:
        if money_to not in MoneyTo.values:
            raise ValidationError({"money_to": _("Say whether the money goes to the prisoner's "
                                                 "account or to a relative.")})
        if money_to == MoneyTo.RELATIVE and relative is None:
            raise ValidationError({"relative": _("Choose the relative.")})
    elif money_to:
        raise ValidationError({"money_to": _("Only money transfers have a recipient.")})
    if relative is not None and relative.case_id != case.pk:
        raise ValidationError({"relative": _("This relative belongs to another case.")})
    if kind == Kind.LETTER and language not in LANGUAGES:
        raise ValidationError({"language": _("Choose the language of the letter.")})
    if kind != Kind.LETTER and language:
        raise ValidationError({"language": _("Only letters have a language.")})


def _check_planned_on(planned_on: datetime.date) -> None:
    if planned_on > timezone.localdate() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"planned_on": _("Plan at most a year ahead.")})


# -- creating and editing drafts ---------------------------------------------------------------


def create_item(
    actor: Member,
    case: Case,
    kind: str,
    fund: Fund,
    *,
    planned_on: datetime.date,
    cost: Money | None = None,
    contents: Sequence[ContentLine] = (),
    channel: str = "",
    money_to: str = "",
    relative: Relative | None = None,
    language: str = "",
    note: str = "",
    origin: str = "",
) -> AidItem:
    """A new draft aid item for a case, paid from `fund`. Refused for a person no longer held
    (released, emigrated, dead), for absurd quantities, weights and amounts, and for unknown
    currencies. The facility rules are checked on approval (aid/rules.py), not here."""
    check_case_access(actor, case)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what kind of aid this is.")})
    refuse_gone(case)
    lines = clean_contents(kind, contents)
    currency_code, units = clean_cost(cost, fund)
    check_fund(fund, kind, case)
    _check_kind_fields(kind, case, money_to, relative, language)
    _check_planned_on(planned_on)
    secret: dict[str, Any] = {"note": note.strip() or None}
    item = AidItem(
        case=case, compartment_id=case.compartment_id, kind=kind, fund=fund,
        currency_id=currency_code, cost_units=units, planned_on=planned_on, channel=channel,
        money_to=money_to, relative=relative, language=language, origin=origin[:64],
        created_by=actor, **secret,
    )
    item.full_clean(exclude=["note", "tracking_number", "case", "compartment", "fund",
                             "currency", "relative", "created_by"])
    try:
        with transaction.atomic():
            item.save()
            AidContent.objects.bulk_create(
                AidContent(item=item, category=line.category, description=line.description,
                           quantity=line.quantity, grams=line.grams) for line in lines
            )
            record("aid.item_created", actor=actor, obj=item, details={
                "case": case.pk, "kind": kind, "fund": fund.code,
                "cost": f"{units} {currency_code}", "origin": origin[:64]})
    except VaultError as error:
        raise ValidationError(_("The item cannot be kept now: %(reason)s")
                              % {"reason": error}) from None
    return item


class StaleEdit(ValidationError):
    """The item changed since the editor loaded it."""


EDITABLE = ("fund", "cost", "planned_on", "contents", "channel", "money_to", "relative",
            "language", "note")


def update_item(actor: Member, item: AidItem, *, version: int, **changes: Any) -> AidItem:
    """Change a draft. `version` is the one the editor loaded: if someone saved the item since,
    the edit is refused (StaleEdit) and nothing of it is written — no lost update."""
    check_case_access(actor, item.case)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        current = AidItem.objects.select_for_update().select_related("case__status",
                                                                     "case__person").get(
            pk=item.pk)
        if current.version != version:
            raise StaleEdit(_(
                "Someone else changed this item while you were editing it (it is now at "
                "version %(now)d, you started from %(then)d). Your changes were not saved: "
                "reload the page, look at theirs, and make yours again."
            ) % {"now": current.version, "then": version}, code="stale")
        if current.status != Status.DRAFT:
            raise ValidationError(_("Only a draft can be changed; this item is %(status)s.")
                                  % {"status": current.get_status_display()})
        refuse_gone(current.case)
        fund = changes.get("fund", current.fund)
        if "cost" in changes:
            current.currency_id, current.cost_units = clean_cost(changes["cost"], fund)
        check_fund(fund, current.kind, current.case)
        current.fund = fund
        for key in ("planned_on", "channel", "money_to", "relative", "language"):
            if key in changes:
                setattr(current, key, changes[key])
        _check_kind_fields(current.kind, current.case, current.money_to, current.relative,
                           current.language)
        _check_planned_on(current.planned_on)
        if "note" in changes:
            current.note = str(changes["note"] or "").strip() or None
        if "contents" in changes:
            lines = clean_contents(current.kind, changes["contents"])
            current.contents.all().delete()
            AidContent.objects.bulk_create(
                AidContent(item=current, category=line.category, description=line.description,
                           quantity=line.quantity, grams=line.grams) for line in lines
            )
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        record("aid.item_updated", actor=actor, obj=current,
               details={"fields": sorted(changes), "version": current.version})
    return current


def amount_of(item: AidItem) -> Money:
    return Money.from_minor(item.cost_units, item.currency_id, item.currency.exponent)


# -- follow-ups --------------------------------------------------------------------------------

DEFAULT_FOLLOW_UP_DAYS = 30


def follow_up_days() -> int:
    """POMPOLIT_AID_FOLLOW_UP_DAYS: how long a sent item may go unconfirmed (default 30)."""
    from django.conf import settings

    return int(getattr(settings, "POMPOLIT_AID_FOLLOW_UP_DAYS", DEFAULT_FOLLOW_UP_DAYS))


def follow_ups(member: Member, *, today: datetime.date | None = None,
               days: int | None = None) -> QuerySet[AidItem]:
    """Items sent more than `days` ago and not yet confirmed delivered (or returned, lost,
    confiscated), the oldest first."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=follow_up_days() if days is None else days)
    return (visible_items(member).filter(status=Status.SENT, sent_on__lt=cutoff)
            .select_related("case__person", "case__compartment", "case__current_facility",
                            "currency")
            .order_by("sent_on", "pk"))


def flagged_items(member: Member) -> QuerySet[AidItem]:
    return (visible_items(member).filter(status=Status.APPROVED).exclude(flags=[])
            .select_related("case__person", "case__compartment", "currency")
            .order_by("planned_on", "pk"))
