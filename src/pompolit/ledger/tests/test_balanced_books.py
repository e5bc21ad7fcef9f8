"""The balanced-books invariant, under random sequences of valid and invalid operations:
the trial balance sums to zero in every currency, each fund's kept balance equals the sum
of its postings, no restricted fund is below zero, and the log holds exactly the entries."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pompolit.ledger import services
from pompolit.ledger.models import Entry, EntryKind, FundBalance, Posting
from pompolit.ledger.services import Line
from pompolit.ledger.verify import verify_books
from pompolit.tlog.models import Log

CURRENCIES = ["RUB", "EUR", "USD"]
FUNDS = ["general", "lawyers", "case-17"]
EXPENSES = ["expenses:legal", "expenses:parcels", "expenses:bank-fees"]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
day = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2025, 12, 31))

operations = st.one_of(
    st.tuples(st.just("donate"), amounts, st.sampled_from(CURRENCIES), st.sampled_from(FUNDS)),
    st.tuples(st.just("spend"), amounts, st.sampled_from(CURRENCIES), st.sampled_from(FUNDS),
              st.sampled_from(EXPENSES)),
    st.tuples(st.just("transfer"), amounts, st.sampled_from(CURRENCIES),
              st.sampled_from(FUNDS), st.sampled_from(FUNDS)),
    st.tuples(st.just("exchange"), amounts, st.sampled_from(CURRENCIES), amounts,
              st.sampled_from(CURRENCIES), st.sampled_from(FUNDS)),
    st.tuples(st.just("reverse"), st.integers(0, 30)),
    # Arbitrary postings: most do not balance and must be refused whole.
    st.tuples(st.just("raw"), st.lists(
        st.tuples(st.sampled_from(["assets:bank", "income:donations", "expenses:parcels"]),
                  st.sampled_from(FUNDS), st.sampled_from(CURRENCIES),
                  st.integers(-5000, 5000).filter(bool)),
        min_size=2, max_size=5)),
)


def apply(op, treasurer, funds, date):
    bank = services.account("assets:bank")
    kind = op[0]
    if kind == "donate":
        _k, amount, code, fund = op
        services.record_donation(treasurer, date=date, amount=services.money(amount, code),
                                 fund=funds[fund], channel="bank_transfer")
    elif kind == "spend":
        _k, amount, code, fund, expense = op
        money = services.money(amount, code)
        services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=date, lines=[
            Line(services.account(expense), funds[fund], money), Line(bank, funds[fund], -money)
        ])
    elif kind == "transfer":
        _k, amount, code, source, target = op
        services.record_transfer(treasurer, date=date, source=funds[source],
                                 target=funds[target], via=bank,
                                 amount=services.money(amount, code))
    elif kind == "exchange":
        _k, sold, sold_code, bought, bought_code, fund = op
        services.record_exchange(
            treasurer, date=date, fund=funds[fund], sold_from=bank,
            sold=services.money(sold, sold_code), bought_into=bank,
            bought=services.money(bought, bought_code),
        )
    elif kind == "reverse":
        entry = Entry.objects.filter(leaf_index=op[1]).first()
        if entry is not None:
            services.reverse_entry(treasurer, entry, date=date)
    else:
        lines = [Line(services.account(a), funds[f], services.money(Decimal(u) / 100, c))
                 for a, f, c, u in op[1]]
        services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=date, lines=lines)


def check_invariants():
    per_currency = defaultdict(int)
    for currency, units in Posting.objects.values_list("currency_id", "units"):
        per_currency[currency] += units
    assert all(total == 0 for total in per_currency.values()), per_currency
    for balance in FundBalance.objects.select_related("fund"):
        if balance.fund.restricted:
            assert balance.units >= 0
    size = Log.objects.filter(name="ledger").values_list("size", flat=True).first() or 0
    assert Entry.objects.count() == size
    report = verify_books()
    assert report.ok, report.problems


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operations, max_size=12), date=day)
def test_books_stay_balanced_whatever_happens(treasurer, general, lawyers, parcels_for_case,
                                              ops, date):
    funds = {"general": general, "lawyers": lawyers, "case-17": parcels_for_case}
    with transaction.atomic():
        for op in ops:
            try:
                apply(op, treasurer, funds, date)
            except ValidationError:
                event(f"{op[0]} refused")
            else:
                event(f"{op[0]} posted")
            check_invariants()
        transaction.set_rollback(True)
