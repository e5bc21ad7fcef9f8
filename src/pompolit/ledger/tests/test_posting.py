"""post_entry: balanced per fund and currency, restricted funds, reversals, exchange, and
every posted entry becomes the next leaf of the ledger log in the same transaction."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from pompolit.audit.models import AuditEntry
from pompolit.ledger import services
from pompolit.ledger.models import Entry, EntryKind, FundBalance, Posting
from pompolit.ledger.rates import services as rates
from pompolit.ledger.services import Line
from pompolit.ledger.testing import MARCH
from pompolit.members.roles import Role
from pompolit.tlog import services as tlog
from pompolit.tlog.models import Log

APRIL = datetime.date(2025, 4, 2)


def balance(fund, currency):
    row = FundBalance.objects.filter(fund=fund, currency_id=currency).first()
    return row.units if row else 0


def test_an_entry_is_the_next_leaf_and_its_leaf_is_its_public_projection(donate, general):
    donate("1500", "RUB")
    second = donate("20.50", "EUR").donation.entry
    assert second.leaf_index == 1
    log = Log.objects.get(name="ledger")
    leaves = list(tlog.entries(log))
    assert len(leaves) == 2
    public = json.loads(leaves[1])
    assert public["format"] == "pompolit-ledger-leaf/1"
    assert public["date"] == "2025-03"
    assert public["kind"] == "donation"
    assert public["postings"] == [
        {"account": "assets:bank", "fund": "general", "amount": "20.50", "currency": "EUR"},
        {"account": "income:donations", "fund": "general", "amount": "-20.50", "currency": "EUR"},
    ]
    assert public["channel"] == "bank_transfer"
    assert len(public["receipt"]) == 64
    assert balance(general, "EUR") == 2050 and balance(general, "RUB") == 150000


def test_the_published_date_granularity_is_a_setting(donate, settings):
    settings.POMPOLIT_LEDGER_DATE_GRANULARITY = "year"
    entry = donate("100", "RUB").donation.entry
    leaf = next(iter(tlog.entries(Log.objects.get(name="ledger"))))
    assert json.loads(leaf)["date"] == "2025" and entry.granularity == "year"


def test_an_unbalanced_entry_is_refused_and_nothing_is_written(treasurer, general):
    bank, income = services.account("assets:bank"), services.account("income:donations")
    lines = [Line(bank, general, services.money("100", "RUB")),
             Line(income, general, services.money("-99.99", "RUB"))]
    with pytest.raises(ValidationError, match=r"does not balance.*RUB.*0\.01"):
        services.post_entry(treasurer, kind=EntryKind.DONATION, date=MARCH, lines=lines)
    assert not Entry.objects.exists() and not Log.objects.filter(size__gt=0).exists()


def test_balancing_across_currencies_is_not_balancing(treasurer, general):
    bank, income = services.account("assets:bank"), services.account("income:donations")
    lines = [Line(bank, general, services.money("100", "EUR")),
             Line(income, general, services.money("-100", "USD"))]
    with pytest.raises(ValidationError, match="does not balance"):
        services.post_entry(treasurer, kind=EntryKind.DONATION, date=MARCH, lines=lines)


def test_only_a_treasurer_posts(make_member, general):
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.record_donation(auditor, date=MARCH, amount=services.money("1", "RUB"),
                                 fund=general, channel="cash")


def test_a_restricted_fund_pays_only_for_its_purpose(treasurer, donate, lawyers):
    donate("50000", "RUB", fund=lawyers)
    bank = services.account("assets:bank")
    for expense, ok in (("expenses:parcels", False), ("expenses:legal", True)):
        lines = [Line(services.account(expense), lawyers, services.money("1000", "RUB")),
                 Line(bank, lawyers, services.money("-1000", "RUB"))]
        if ok:
            services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=APRIL, lines=lines)
        else:
            with pytest.raises(ValidationError, match="restricted to Lawyers"):
                services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=APRIL, lines=lines)
    assert balance(lawyers, "RUB") == 4_900_000


def test_a_restricted_fund_never_goes_negative(treasurer, donate, lawyers):
    donate("1000", "RUB", fund=lawyers)
    lines = [Line(services.account("expenses:legal"), lawyers, services.money("1000.01", "RUB")),
             Line(services.account("assets:bank"), lawyers, services.money("-1000.01", "RUB"))]
    with pytest.raises(ValidationError, match=r"has only 1000\.00 RUB"):
        services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=APRIL, lines=lines)
    assert Entry.objects.count() == 1 and balance(lawyers, "RUB") == 100000


def test_the_database_refuses_a_negative_restricted_balance_too(donate, lawyers):
    donate("10", "EUR", fund=lawyers)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundBalance.objects.filter(fund=lawyers).update(units=-1)


def test_the_general_fund_may_be_overdrawn(treasurer, general):
    lines = [Line(services.account("expenses:bank-fees"), general, services.money("5", "USD")),
             Line(services.account("assets:bank"), general, services.money("-5", "USD"))]
    services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=APRIL, lines=lines)
    assert balance(general, "USD") == -500


def test_money_moves_into_a_restricted_fund_but_not_out(treasurer, donate, general, lawyers):
    donate("3000", "RUB")
    bank = services.account("assets:bank")
    services.record_transfer(treasurer, date=APRIL, source=general, target=lawyers, via=bank,
                             amount=services.money("2000", "RUB"))
    assert balance(general, "RUB") == 100000 and balance(lawyers, "RUB") == 200000
    with pytest.raises(ValidationError, match="cannot be moved to another fund"):
        services.record_transfer(treasurer, date=APRIL, source=lawyers, target=general,
                                 via=bank, amount=services.money("1", "RUB"))


def test_exchange_goes_through_trading_accounts_and_each_currency_balances(
    treasurer, donate, lawyers
):
    donate("100000", "RUB", fund=lawyers)
    bank = services.account("assets:bank")
    entry = services.record_exchange(
        treasurer, date=APRIL, fund=lawyers, sold_from=bank,
        sold=services.money("95000", "RUB"), bought_into=bank,
        bought=services.money("1000", "EUR"),
    )
    codes = sorted(entry.postings.values_list("account__code", "currency_id", "units"))
    assert codes == [
        ("assets:bank", "EUR", 100000), ("assets:bank", "RUB", -9500000),
        ("trading:eur", "EUR", -100000), ("trading:rub", "RUB", 9500000),
    ]
    assert balance(lawyers, "RUB") == 500000 and balance(lawyers, "EUR") == 100000
    trial = services.trial_balance()
    assert all(sum(accounts.values()) == 0 for accounts in trial.values())
    with pytest.raises(ValidationError, match=r"has only 5000\.00 RUB"):
        services.record_exchange(
            treasurer, date=APRIL, fund=lawyers, sold_from=bank,
            sold=services.money("5001", "RUB"), bought_into=bank,
            bought=services.money("50", "EUR"),
        )


def test_a_reversal_is_a_new_entry_referring_to_the_old_one(treasurer, donate, general):
    original = donate("700", "RUB").donation.entry
    reversal = services.reverse_entry(treasurer, original, date=APRIL, memo="ошибка выписки")
    assert reversal.reverses == original and reversal.leaf_index == 1
    assert balance(general, "RUB") == 0
    leaf = json.loads(list(tlog.entries(Log.objects.get(name="ledger")))[1])
    assert leaf["kind"] == "reversal" and leaf["reverses"] == 0
    assert "ошибка" not in json.dumps(leaf, ensure_ascii=False)
    with pytest.raises(ValidationError, match="already been reversed"):
        services.reverse_entry(treasurer, original, date=APRIL)
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        services.reverse_entry(treasurer, reversal, date=APRIL)


def test_reversing_a_donation_already_spent_from_a_restricted_fund_is_refused(
    treasurer, donate, lawyers
):
    entry = donate("1000", "RUB", fund=lawyers).donation.entry
    services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=APRIL, lines=[
        Line(services.account("expenses:legal"), lawyers, services.money("600", "RUB")),
        Line(services.account("assets:bank"), lawyers, services.money("-600", "RUB")),
    ])
    with pytest.raises(ValidationError, match="cannot go below zero"):
        services.reverse_entry(treasurer, entry, date=APRIL)


@pytest.mark.parametrize("statement", [
    "UPDATE ledger_posting SET units = units + 1",
    "DELETE FROM ledger_posting",
    "UPDATE ledger_entry SET date = '2020-01-01'",
    "DELETE FROM ledger_entry",
    "UPDATE ledger_donation SET receipt_id = 'x'",
    "UPDATE ledger_currency SET exponent = 3 WHERE code = 'RUB'",
])
def test_posted_rows_cannot_be_updated_or_deleted(donate, statement):
    from django.db import connection

    donate("100", "RUB")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement)
    assert Posting.objects.filter(units=10000).exists()


def test_every_posting_is_in_the_audit_trail_without_donor_details(donate):
    donate("100", "RUB", donor_name="")
    entry = AuditEntry.objects.get(action="ledger.posted")
    assert entry.details == {"kind": "donation", "leaf_index": 0, "reverses": None}


def test_rates_by_hand_and_balances_in_the_base_currency(treasurer, donate, general, lawyers):
    donate("1000", "RUB")
    donate("10", "EUR", fund=lawyers)
    donate("3", "USD")
    rates.set_rate(treasurer, on=MARCH, currency_code="EUR", rate=Decimal("98.5"))
    report = services.fund_balances(APRIL)
    assert report.total == services.money("1985", "RUB")
    assert report.missing_rates == ["USD"]
    assert [(r.currency_id, r.rate) for r in report.rates_used] == [("EUR", Decimal("98.5"))]
    with pytest.raises(ValidationError, match="already entered"):
        rates.set_rate(treasurer, on=MARCH, currency_code="EUR", rate=Decimal("99"))
