"""What the books add to an approval's summary: the fund that pays, and its balance in the
amount's currency now and after the request is carried out (aid approvals and expense payments
both take the cost out of the fund's net assets at once: aid/books/postings.py, expenses)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from pompolit.ledger.models import Fund, FundBalance
from pompolit.ledger.money import Money
from pompolit.ledger.templatetags.money import format_money
from pompolit.members.approvals import Check, Fact, Section


def shown(amount: Money) -> str:
    return format_money(amount.amount, amount.currency)


def balance_of(fund: Fund, currency: str) -> Money:
    """The fund's net assets in one currency, as the books keep them now."""
    row = (FundBalance.objects.filter(fund=fund, currency_id=currency)
           .select_related("currency").first())
    if row is None:
        return Money(currency, Decimal(0))
    return Money.from_minor(row.units, currency, row.currency.exponent)


def fund_section(fund: Fund, amount: Money, *, live: bool) -> Section:
    """The money: how much, from which fund, and — while the request may still run — the
    fund's balance before and after, with a warning when the fund cannot pay."""
    facts = [Fact(_("Amount"), shown(amount)), Fact(_("Fund"), fund.label)]
    checks: list[Check] = []
    if live:
        before = balance_of(fund, amount.currency)
        after = Money(amount.currency, before.amount - amount.amount)
        facts += [Fact(_("Fund balance now"), shown(before)),
                  Fact(_("Fund balance after"), shown(after))]
        names = {"fund": fund.label, "balance": shown(before)}
        if after.amount >= 0:
            checks.append(Check(True, _("The fund “%(fund)s” can pay it.") % names))
        elif fund.restricted:
            checks.append(Check(False, _(
                "The fund “%(fund)s” holds only %(balance)s and may not go below zero: carrying "
                "this out will fail until money comes in.") % names))
        else:
            checks.append(Check(False, _(
                "The fund “%(fund)s” holds only %(balance)s: paying this takes it below zero."
            ) % names))
    return Section(_("Money"), facts, checks=checks)
