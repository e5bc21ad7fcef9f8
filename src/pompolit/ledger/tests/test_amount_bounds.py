"""Every amount has one bound (money.MAX_UNITS minor units): forms, imports, rates, services
and the database refuse more, with the limit named — never a 500, never a float balance."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pompolit.ledger import receipts, services
from pompolit.ledger.bank_import import camt053
from pompolit.ledger.bank_import import services as bank_import
from pompolit.ledger.bank_import.lines import CsvLayout, parse_csv
from pompolit.ledger.bank_import.tests.test_bank_import import camt, camt_entry
from pompolit.ledger.campaigns import services as campaigns
from pompolit.ledger.expenses.models import Expense
from pompolit.ledger.models import Campaign, Donation, Entry, ExchangeRate, FundBalance, Posting
from pompolit.ledger.money import (
    MAX_UNITS,
    Money,
    MoneyError,
    check_rate,
    max_amount,
    parse_amount_text,
)
from pompolit.ledger.rates import services as rates
from pompolit.ledger.testing import MARCH
from pompolit.ledger.verify import verify_books

# The probe's value: one kopeck short of 2⁶³ kopecks.
INT64_ROUBLES = "92233720368547758.07"
HUGE = [INT64_ROUBLES, "92 233 720 368 547 758,07", "9" * 30 + ".99", "10000000000000.01",
        "1" + "0" * 5000]
NOT_NUMBERS = ["1E+30", "1e3", "Infinity", "-inf", "NaN", "sNaN", "0x10", "1_000", "١٢٣",
               "12 345,6,7", "--5", ""]


# -- what money.py accepts ---------------------------------------------------------------------


def test_the_largest_amount_is_ten_trillion_roubles_and_one_kopeck_more_is_refused():
    assert max_amount(2) == Decimal("10000000000000.00")
    assert Money.parse("10 000 000 000 000,00", "RUB", 2).to_minor(2) == MAX_UNITS
    with pytest.raises(MoneyError, match=r"at most 10 000 000 000 000\.00 RUB"):
        Money.parse("10000000000000.01", "RUB", 2)
    # The bound is in minor units: a currency with more places holds fewer whole units.
    with pytest.raises(MoneyError, match=r"at most 1 000 000 000.000000 USDT"):
        Money.parse("1000000000.000001", "USDT", 6)


@pytest.mark.parametrize("text", HUGE)
def test_huge_amounts_are_refused_with_the_limit(text):
    with pytest.raises(MoneyError, match=r"more than the books accept|is not an amount"):
        Money.parse(text, "RUB", 2)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_other_spellings_of_numbers_are_not_amounts(text):
    with pytest.raises(MoneyError, match="is not an amount"):
        parse_amount_text(text)


def test_decimals_given_directly_are_bounded_too():
    for value in (Decimal("1E+30"), Decimal("-1E+16"), Decimal("Infinity"), Decimal("NaN")):
        with pytest.raises(MoneyError):
            Money.parse(value, "RUB", 2)


@given(units=st.integers(min_value=-(10**19), max_value=10**19), exponent=st.integers(0, 8))
def test_every_amount_within_the_bound_fits_and_every_other_is_refused(units, exponent):
    money = Money.from_minor(units, "XXX", exponent)
    if abs(units) <= MAX_UNITS:
        assert money.to_minor(exponent) == units
    else:
        with pytest.raises(MoneyError, match="more than the books accept"):
            money.to_minor(exponent)


@pytest.mark.parametrize("rate", ["0", "-1", "1E+13", "1000000000000.5", "0.00000000001",
                                  "Infinity", "NaN"])
def test_rates_out_of_range_or_too_fine_are_refused(rate):
    with pytest.raises(MoneyError):
        check_rate(Decimal(rate))


def test_plausible_rates_pass():
    for rate in ("98.4512", "0.0000000001", "1000000000000", "0.0102"):
        check_rate(Decimal(rate))


# -- services ----------------------------------------------------------------------------------


def test_a_posting_beyond_the_bound_is_refused_by_post_entry(treasurer, general):
    huge = Money("RUB", Decimal(INT64_ROUBLES))
    with pytest.raises(ValidationError, match="more than the books accept"):
        services.post_entry(treasurer, kind="donation", date=MARCH, lines=[
            services.Line(services.account("assets:bank"), general, huge),
            services.Line(services.account("income:donations"), general, -huge),
        ])
    assert not Entry.objects.exists()


def test_a_fund_balance_cannot_pass_its_own_bound(treasurer, general, donate, monkeypatch):
    monkeypatch.setattr(services, "MAX_BALANCE_UNITS", 3 * 10**6)
    donate("20000", "RUB")
    with pytest.raises(ValidationError, match="more than the books accept in RUB"):
        donate("10000.01", "RUB")
    assert FundBalance.objects.get(fund=general, currency="RUB").units == 2 * 10**6


def test_a_rate_beyond_the_bound_is_refused_by_set_rate(treasurer):
    with pytest.raises(ValidationError, match="out of range"):
        rates.set_rate(treasurer, on=MARCH, currency_code="EUR", rate=Decimal("1E+13"))
    with pytest.raises(ValidationError, match="at most 10 decimal places"):
        rates.set_rate(treasurer, on=MARCH, currency_code="EUR",
                          rate=Decimal("98.12345678901"))
    assert not ExchangeRate.objects.exists()


def test_a_campaign_goal_beyond_the_bound_is_refused(treasurer):
    with pytest.raises(ValidationError, match="more than the books accept"):
        campaigns.create_campaign(treasurer, code="appeal-2025", name="Апелляция",
                                 currency_code="RUB", starts_on=MARCH,
                                 goal=Money("RUB", Decimal("1E+20")))
    assert not Campaign.objects.exists()


# -- imports: the line is named ----------------------------------------------------------------


def test_a_camt053_line_of_two_to_the_63_kopecks_is_refused_naming_the_entry(treasurer):
    data = camt([camt_entry("1500.00", "EUR", "CRDT", "2025-03-14", "Spende", "R1"),
                 camt_entry(INT64_ROUBLES, "RUB", "CRDT", "2025-03-14", "Спасибо", "R2")])
    with pytest.raises(ValidationError) as caught:
        camt053.parse(data)
    assert caught.value.messages == [
        "entry 2, field Amt: 92233720368547758.07 RUB is more than the books accept for one "
        "amount: at most 10 000 000 000 000.00 RUB."]


@pytest.mark.parametrize("amount", ["1E+30", "Infinity", "NaN", "1_000.00", "0x10"])
def test_a_camt053_amount_in_another_spelling_is_refused(amount):
    data = camt([camt_entry(amount, "EUR", "CRDT", "2025-03-14", "Spende", "R1")])
    with pytest.raises(ValidationError, match="entry 1, field Amt: expected an amount"):
        camt053.parse(data)


def test_a_bank_csv_line_beyond_the_bound_is_refused_naming_line_and_column():
    layout = CsvLayout(columns={"date": "Дата", "amount": "Сумма", "reference": "Назначение"},
                       encoding="utf-8", delimiter=";", currency="RUB")
    text = ("Дата;Сумма;Назначение\n14.03.2025;1 500,00;пожертвование\n"
            f"15.03.2025;{INT64_ROUBLES.replace('.', ',')};пожертвование\n"
            "16.03.2025;1E+30;пожертвование\n")
    with pytest.raises(ValidationError) as caught:
        parse_csv(text.encode(), layout)
    assert caught.value.messages == [
        "line 3, column «Сумма»: 92233720368547758.07 RUB is more than the books accept for one "
        "amount: at most 10 000 000 000 000.00 RUB.",
        "line 4, column «Сумма»: expected an amount like 1 234,56, found «1E+30»",
    ]


def test_a_huge_bank_import_posts_nothing_and_verify_still_passes(treasurer, general):
    data = camt([camt_entry(INT64_ROUBLES, "RUB", "CRDT", "2025-03-14", "пожертвование", "R9")])
    with pytest.raises(ValidationError):
        bank_import.commit(treasurer, data, format="camt053", mapping=None)
    assert not Entry.objects.exists()
    assert verify_books().ok


# -- the database refuses what no service would write ------------------------------------------


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_the_database_refuses_overflowing_minor_units_on_every_column(treasurer, general, donate):
    recorded = donate("1500", "RUB")
    entry = recorded.donation.entry
    bank = services.account("assets:bank")
    too_much = MAX_UNITS + 1
    _refused(lambda: Posting.objects.create(entry=entry, account=bank, fund=general,
                                            currency_id="RUB", units=too_much))
    _refused(lambda: Posting.objects.create(entry=entry, account=bank, fund=general,
                                            currency_id="RUB", units=-(2**63 - 1)))
    _refused(lambda: Donation.objects.create(
        entry=entry, channel="cash", fund=general, currency_id="RUB", units=too_much,
        receipt_id=receipts.receipt_id(receipts.new_code())))
    _refused(lambda: Expense.objects.create(
        submitted_by=treasurer, incurred_on=MARCH, fund=general,
        account=services.account("expenses:legal"), category="lawyer", currency_id="RUB",
        units=too_much))
    _refused(lambda: Campaign.objects.create(code="appeal", name="Сбор", currency_id="RUB",
                                             starts_on=MARCH, goal_units=too_much))
    _refused(lambda: FundBalance.objects.filter(fund=general, currency="RUB")
             .update(units=10**18 + 1))
    _refused(lambda: ExchangeRate.objects.create(on=MARCH, currency_id="EUR", base_id="RUB",
                                                 rate=Decimal("1E+13")))
    assert Posting.objects.filter(units__gt=MAX_UNITS).count() == 0


# -- forms: huge values come back as form errors -----------------------------------------------


def _post(client, name, data, *args):
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("amount", [*HUGE[:4], *NOT_NUMBERS[:8]])
def test_every_money_form_answers_huge_or_odd_amounts_with_an_error(
    treasurer, client_for, general, appeal, amount
):
    client = client_for(treasurer)
    token = "t-" + receipts.new_code()
    donation = {"date": MARCH.isoformat(), "amount": amount, "currency": "RUB",
                "fund": "general", "channel": "bank_transfer", "campaign": "", "token": token}
    expense = {"incurred_on": MARCH.isoformat(), "amount": amount, "currency": "RUB",
               "fund": "general", "account": "expenses:legal", "category": "lawyer",
               "token": token + "e"}
    campaign = {"code": "appeal-2026", "name": "Сбор", "goal": amount, "currency": "RUB",
                "starts_on": MARCH.isoformat()}
    for name, data, args in (("record_donation", donation, ()),
                             ("expense_new", expense, ()),
                             ("campaign_new", campaign, ()),
                             ("campaign_edit", campaign, (appeal.pk,))):
        if not amount and name.startswith("campaign"):
            continue  # a campaign without a goal is fine
        page = _post(client, name, data, *args)
        assert "form-errors" in page, name
        assert any(reason in page for reason in (
            "more than the books accept", "is not an amount", "has at most 30 characters",
            "This field is required")), name
    assert not Donation.objects.exists() and not Expense.objects.exists()
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("rate", ["1E+30", "9" * 40, "Infinity", "99999999999999.5"])
def test_the_rates_file_answers_huge_rates_with_the_line(
    treasurer, client_for, rate, unsealed_vault
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = f"date;currency;rate;base\n2025-03-14;EUR;98,45;RUB\n2025-03-14;USD;{rate};RUB\n"
    upload = SimpleUploadedFile("rates.csv", text.encode(), content_type="text/csv")
    response = client_for(treasurer).post(reverse("rate_import"), {"rates": upload})
    assert response.status_code == 200
    assert "line 3, column «rate»" in response.content.decode()
    assert not ExchangeRate.objects.exists()


def test_an_amount_at_the_bound_is_posted_and_the_books_verify(treasurer, general, donate):
    donate("10 000 000 000 000", "RUB", date=datetime.date(2025, 3, 15))
    donate("10 000 000 000 000", "RUB", date=datetime.date(2025, 3, 16))
    balance = FundBalance.objects.get(fund=general, currency="RUB")
    assert isinstance(balance.units, int) and balance.units == 2 * MAX_UNITS
    report = verify_books()
    assert report.ok, report.problems


@pytest.mark.parametrize("fmt", ["csv", "camt053"])
def test_a_bank_statement_upload_with_a_huge_line_names_it(
    treasurer, client_for, fmt, unsealed_vault
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pompolit.ledger.bank_import.tests.test_bank_import import sber_file

    preset = bank_import.PRESETS["sberbank"]
    bank_import.save_mapping(treasurer, code="sberbank", name=preset["name"],
                             columns=preset["columns"], encoding="cp1251")
    if fmt == "csv":
        data = sber_file([f"14.03.2025;101;Петров;408;;{INT64_ROUBLES.replace('.', ',')};"
                          "пожертвование"])
        named = "line 4, column «Сумма по кредиту»: 92233720368547758.07 RUB is more than"
    else:
        data = camt([camt_entry("9" * 30 + ".99", "RUB", "CRDT", "2025-03-14", "дар", "R1")])
        named = "entry 1, field Amt: 999999999999999999999999999999.99 RUB is more than"
    response = client_for(treasurer).post(reverse("import_upload"), {
        "format": fmt, "mapping": "sberbank" if fmt == "csv" else "",
        "statement": SimpleUploadedFile("statement", data)})
    assert response.status_code == 200
    assert named in response.content.decode()
    assert not Entry.objects.exists()
