"""Reversals: exact negation; an entry may be reversed once; a reversal is never reversed.
Refused when posted (service, CHECK, trigger) and found by `pompolit ledger verify`."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pompolit.ledger import services
from pompolit.ledger.models import Entry, EntryKind, Posting
from pompolit.ledger.testing import MARCH
from pompolit.ledger.verify import verify_books

LATER = datetime.date(2025, 3, 20)


def rub(amount):
    return services.money(amount, "RUB")


@pytest.fixture
def donation(donate):
    return donate("1500", "RUB").donation.entry


def post_reversal(treasurer, entry, lines):
    return services.post_entry(treasurer, kind=EntryKind.REVERSAL, date=LATER, lines=lines,
                               reverses=entry)


def test_the_exact_negation_is_posted(treasurer, general, donation):
    reversal = services.reverse_entry(treasurer, donation, date=LATER, memo="ошибка")
    assert reversal.reverses == donation
    assert sorted(reversal.postings.values_list("units", flat=True)) == [-150000, 150000]
    assert verify_books().ok


def test_an_outflow_disguised_as_a_reversal_is_refused(treasurer, general, donation):
    # "Reverses" the donation, but takes the money out to expenses instead of income.
    lines = [services.Line(services.account("assets:bank"), general, -rub("1500")),
             services.Line(services.account("expenses:transfers"), general, rub("1500"))]
    with pytest.raises(ValidationError, match="must be its exact negation"):
        post_reversal(treasurer, donation, lines)
    assert not Entry.objects.filter(kind=EntryKind.REVERSAL).exists()


@pytest.mark.parametrize("amount", ["1000", "2000"])
def test_a_reversal_of_another_amount_is_refused(treasurer, general, donation, amount):
    lines = [services.Line(services.account("assets:bank"), general, -rub(amount)),
             services.Line(services.account("income:donations"), general, rub(amount))]
    with pytest.raises(ValidationError, match="must be its exact negation"):
        post_reversal(treasurer, donation, lines)


def test_a_reversal_with_a_posting_added_is_refused(treasurer, general, lawyers, donation):
    lines = [services.Line(services.account("assets:bank"), general, -rub("1500")),
             services.Line(services.account("income:donations"), general, rub("1500")),
             services.Line(services.account("assets:bank"), general, rub("10")),
             services.Line(services.account("assets:cash"), general, -rub("10"))]
    with pytest.raises(ValidationError, match="must be its exact negation"):
        post_reversal(treasurer, donation, lines)


def test_a_reversal_in_another_fund_or_currency_is_refused(treasurer, general, lawyers,
                                                           donation, donate):
    donate("100", "EUR")
    for fund, money in ((lawyers, rub("1500")), (general, services.money("1500", "EUR"))):
        lines = [services.Line(services.account("assets:bank"), fund, -money),
                 services.Line(services.account("income:donations"), fund, money)]
        with pytest.raises(ValidationError, match="must be its exact negation"):
            post_reversal(treasurer, donation, lines)


def test_an_entry_is_reversed_once(treasurer, donation):
    reversal = services.reverse_entry(treasurer, donation, date=LATER)
    lines = [services.Line(p.account, p.fund, services.Money.from_minor(
        p.units, p.currency_id, 2)) for p in reversal.postings.all()]
    with pytest.raises(ValidationError, match="already been reversed"):
        post_reversal(treasurer, donation, lines)


def test_a_reversal_is_never_reversed(treasurer, donation):
    reversal = services.reverse_entry(treasurer, donation, date=LATER)
    lines = [services.Line(p.account, p.fund, -services.Money.from_minor(
        p.units, p.currency_id, 2)) for p in reversal.postings.all()]
    with pytest.raises(ValidationError, match="a reversal is never reversed"):
        post_reversal(treasurer, reversal, lines)
    with pytest.raises(ValidationError):
        services.reverse_entry(treasurer, reversal, date=LATER)


def test_only_a_reversal_names_a_reversed_entry(treasurer, general, donation):
    lines = [services.Line(services.account("assets:bank"), general, -rub("1500")),
             services.Line(services.account("income:donations"), general, rub("1500"))]
    with pytest.raises(ValidationError, match="only a reversal"):
        services.post_entry(treasurer, kind=EntryKind.EXPENSE, date=LATER, lines=lines,
                            reverses=donation)
    with pytest.raises(ValidationError, match="only a reversal"):
        services.post_entry(treasurer, kind=EntryKind.REVERSAL, date=LATER, lines=lines)


CHANGES = st.one_of(
    st.tuples(st.just("amount"), st.integers(0, 3), st.integers(-10**6, 10**6).filter(bool)),
    st.tuples(st.just("account"), st.integers(0, 3),
              st.sampled_from(["assets:cash", "expenses:transfers", "net-assets:opening"])),
    st.tuples(st.just("drop"), st.integers(0, 3), st.just(None)),
    st.tuples(st.just("repeat"), st.integers(0, 3), st.just(None)),
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=CHANGES)
def test_any_change_to_the_exact_negation_is_refused(treasurer, general, change):
    """An exchange of 1 000 € for 98 500 ₽ (four postings), reversed with one change."""
    entry = Entry.objects.filter(kind=EntryKind.EXCHANGE).first() or services.record_exchange(
        treasurer, date=MARCH, fund=general, sold_from=services.account("assets:bank"),
        sold=services.money("1000", "EUR"), bought_into=services.account("assets:bank"),
        bought=rub("98500"))
    postings = list(entry.postings.select_related("account", "fund").order_by("pk"))
    lines = [services.Line(p.account, p.fund, -services.Money.from_minor(p.units,
                                                                         p.currency_id, 2))
             for p in postings]
    what, index, value = change
    line = lines[index]
    if what == "amount":
        changed = services.Money.from_minor(value, line.money.currency, 2)
        if changed == line.money:
            return
        lines[index] = services.Line(line.account, line.fund, changed)
    elif what == "account":
        if line.account.code == value:
            return
        lines[index] = services.Line(services.account(value), line.fund, line.money)
    elif what == "drop":
        del lines[index]
    else:
        lines.append(line)
    with pytest.raises(ValidationError):
        post_reversal(treasurer, entry, lines)
    assert not Entry.objects.filter(kind=EntryKind.REVERSAL).exists()


# -- the database -----------------------------------------------------------------------------


def _insert_entry(**fields):
    index = Entry.objects.order_by("-leaf_index").values_list("leaf_index", flat=True)[0] + 1
    with transaction.atomic():
        return Entry.objects.create(date=LATER, granularity="month", leaf_index=index, **fields)


def test_the_database_refuses_a_reversal_of_a_reversal_and_a_second_reversal(
    treasurer, donation
):
    reversal = services.reverse_entry(treasurer, donation, date=LATER)
    with pytest.raises(IntegrityError):
        _insert_entry(kind=EntryKind.REVERSAL, reverses=reversal)
    with pytest.raises(IntegrityError):
        _insert_entry(kind=EntryKind.REVERSAL, reverses=donation)


def test_the_database_refuses_a_reversal_naming_nothing_and_a_donation_naming_an_entry(
    donation
):
    with pytest.raises(IntegrityError):
        _insert_entry(kind=EntryKind.REVERSAL)
    with pytest.raises(IntegrityError):
        _insert_entry(kind=EntryKind.DONATION, reverses=donation)


# -- pompolit ledger verify -------------------------------------------------------------------


def test_verify_names_a_reversal_that_is_not_the_negation(treasurer, general, donation, donate):
    other = donate("700", "RUB", date=MARCH).donation.entry
    forged = _insert_entry(kind=EntryKind.REVERSAL, reverses=other)
    Posting.objects.bulk_create([
        Posting(entry=forged, account=services.account("assets:bank"), fund=general,
                currency_id="RUB", units=-70000),
        Posting(entry=forged, account=services.account("expenses:transfers"), fund=general,
                currency_id="RUB", units=70000),
    ])
    report = verify_books()
    assert (f"entry #{forged.leaf_index} is not the exact negation of entry "
            f"#{other.leaf_index}, which it says it reverses") in " ".join(report.problems)
    with pytest.raises(CommandError, match="VERIFICATION FAILED"):
        call_command("ledger", "verify")
