"""`pompolit ledger export --format beancount`: beancount's own loader (what bean-check runs)
finds no error in the export, and its balances per account, fund and currency are ours."""

import datetime
import io
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pompolit.ledger import beancount_export, services
from pompolit.ledger.models import Account, AccountType, FundBalance, Posting
from pompolit.ledger.money import Money
from pompolit.ledger.rates import services as rates
from pompolit.ledger.testing import MARCH
from pompolit.ledger.tests.test_balanced_books import apply, day, operations

loader = pytest.importorskip(
    "beancount.loader", reason="beancount (a test dependency) is not installed"
)


def exported() -> str:
    out = io.StringIO()
    beancount_export.export(out)
    return out.getvalue()


def load(text: str) -> list:
    entries, errors, _options = loader.load_string(text)
    assert errors == [], [str(e) for e in errors] + [text]
    return entries


def beancount_balances(entries: list) -> dict[tuple[str, str], Decimal]:
    from beancount.core import data

    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                totals[posting.account, posting.units.currency] += posting.units.number
    return {key: value for key, value in totals.items() if value}


def our_balances() -> dict[tuple[str, str], Decimal]:
    names = beancount_export.account_names(list(Account.objects.all()))
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    rows = Posting.objects.values_list("account_id", "fund__code", "currency_id",
                                       "currency__exponent", "units")
    for account_id, fund, currency, exponent, units in rows:
        name = f"{names[account_id]}:{beancount_export.fund_component(fund)}"
        totals[name, currency] += Money.from_minor(units, currency, exponent).amount
    return {key: value for key, value in totals.items() if value}


def fund_balances_from(entries_balances: dict[tuple[str, str], Decimal]) -> dict:
    """Net assets per fund and currency, from beancount's side: Assets and Liabilities."""
    result: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (name, currency), amount in entries_balances.items():
        if name.startswith(("Assets:", "Liabilities:")):
            result[name.rsplit(":", 1)[1], currency] += amount
    return {key: value for key, value in result.items() if value}


def kept_fund_balances() -> dict:
    return {
        (beancount_export.fund_component(b.fund.code), b.currency_id):
            Money.from_minor(b.units, b.currency_id, b.currency.exponent).amount
        for b in FundBalance.objects.select_related("fund", "currency").exclude(units=0)
    }


def test_account_names_are_capitalised_and_distinct(db):
    accounts = [
        Account(pk=1, code="assets:bank", type=AccountType.ASSET),
        Account(pk=2, code="net-assets:interfund", type=AccountType.NET_ASSETS),
        Account(pk=3, code="trading:usdt", type=AccountType.NET_ASSETS),
        Account(pk=4, code="expenses:card-processor", type=AccountType.EXPENSE),
        Account(pk=5, code="bank", type=AccountType.ASSET),
        Account(pk=6, code="расходы:передачи", type=AccountType.EXPENSE),
    ]
    names = beancount_export.account_names(accounts)
    assert names[1] == "Assets:Assets:Bank"  # would collide with "bank": kept whole
    assert names[5] == "Assets:Bank"
    assert names[2] == "Equity:Interfund"
    assert names[3] == "Equity:Trading:Usdt"
    assert names[4] == "Expenses:Card-processor"
    assert names[6] == "Expenses:Raskhody:Peredachi"
    assert beancount_export.fund_component("case:17") == "Fund-Case--17"


def test_export_of_realistic_books_loads_and_balances(treasurer, general, lawyers, appeal,
                                                      donate):
    rates.set_rate(treasurer, on=MARCH, currency_code="EUR", rate=Decimal("98.4512"))
    rates.set_rate(treasurer, on=MARCH, currency_code="USDT", rate=Decimal("91.2"))
    donate("150000", "RUB", fund=lawyers, memo="от Ивана — не экспортировать")
    euros = donate("250", "EUR", campaign=appeal, channel="card")
    donate("99.123456", "USDT", channel="crypto")
    services.record_exchange(
        treasurer, date=MARCH, fund=general, sold_from=services.account("assets:bank"),
        sold=services.money("200", "EUR"), bought_into=services.account("assets:bank"),
        bought=services.money("19500", "RUB"),
    )
    reversal = services.reverse_entry(treasurer, euros.donation.entry,
                                      date=MARCH + datetime.timedelta(days=3))
    text = exported()
    entries = load(text)
    assert "не экспортировать" not in text
    assert "2025-03-14 price EUR 98.4512 RUB" in text
    assert "commodity USDT" in text
    assert f"^entry-{euros.donation.entry.leaf_index}" in text
    reversing = next(e for e in entries if getattr(e, "meta", {}).get("leaf")
                     == reversal.leaf_index)
    assert reversing.links == {f"entry-{reversal.leaf_index}",
                               f"entry-{euros.donation.entry.leaf_index}"}
    balances = beancount_balances(entries)
    assert balances == our_balances()
    assert balances["Assets:Bank:Fund-General", "RUB"] == Decimal("19500.00")
    assert balances["Assets:Crypto:Fund-General", "USDT"] == Decimal("99.123456")
    assert fund_balances_from(balances) == kept_fund_balances()


def test_the_command_writes_a_file_and_standard_output(tmp_path, donate):
    donate("1500", "RUB")
    target = tmp_path / "books.beancount"
    call_command("ledger", "export", "--format", "beancount", "-o", str(target),
                 stderr=io.StringIO())
    stdout = io.StringIO()
    call_command("ledger", "export", "--format", "beancount", stdout=stdout)
    assert target.read_text(encoding="utf-8") == stdout.getvalue()
    assert beancount_balances(load(stdout.getvalue())) == our_balances()
    # And the tool itself, as a treasurer would run it.
    bean_check = shutil.which("bean-check", path=str(Path(sys.executable).parent))
    if bean_check is not None:
        result = subprocess.run([bean_check, str(target)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operations, max_size=10), date=day)
def test_random_books_export_cleanly_and_balance_equally(treasurer, general, lawyers,
                                                         parcels_for_case, ops, date):
    funds = {"general": general, "lawyers": lawyers, "case-17": parcels_for_case}
    with transaction.atomic():
        for op in ops:
            try:
                with transaction.atomic():
                    apply(op, treasurer, funds, date)
            except ValidationError:
                pass
        balances = beancount_balances(load(exported()))
        assert balances == our_balances()
        assert fund_balances_from(balances) == kept_fund_balances()
        transaction.set_rollback(True)
