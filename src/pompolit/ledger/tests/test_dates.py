"""Dates of the books (ledger/dates.py): from 1900 to a week ahead; a mistyped year is refused
where it is typed — forms, services, rate files, bank statements at posting."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pompolit.core.dates import show_date
from pompolit.ledger import dates, receipts, services
from pompolit.ledger.campaigns import services as campaigns
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.models import Donation, Entry, ExchangeRate
from pompolit.ledger.rates import services as rates_import

TODAY = timezone.localdate()
TOO_LATE = [TODAY + datetime.timedelta(days=dates.DAYS_AHEAD + 1), datetime.date(2999, 1, 1)]
TOO_EARLY = [datetime.date(1899, 12, 31), datetime.date(202, 3, 14)]


def test_the_range_is_from_1900_to_a_week_ahead():
    assert dates.date_error(datetime.date(1900, 1, 1)) is None
    assert dates.date_error(datetime.date(1921, 12, 10)) is None  # the demo's 1920s books
    assert dates.date_error(TODAY + datetime.timedelta(days=7)) is None
    assert "in the future" in dates.date_error(TODAY + datetime.timedelta(days=8))
    assert "too early" in dates.date_error(datetime.date(1899, 12, 31))


@pytest.mark.parametrize("day", TOO_LATE + TOO_EARLY)
def test_a_donation_out_of_range_is_refused(treasurer, general, day):
    with pytest.raises(ValidationError) as caught:
        services.record_donation(treasurer, date=day, amount=services.money("1500", "RUB"),
                                 fund=general, channel="cash")
    assert show_date(day) in " ".join(caught.value.messages)
    assert not Entry.objects.exists()


@pytest.mark.parametrize("day", TOO_LATE + TOO_EARLY)
def test_any_entry_out_of_range_is_refused(treasurer, general, day):
    money = services.money("100", "EUR")
    with pytest.raises(ValidationError):
        services.post_entry(None, kind="opening", date=day, lines=[
            services.Line(services.account("assets:cash"), general, money),
            services.Line(services.account("net-assets:opening"), general, -money)])


@pytest.mark.parametrize("day", TOO_LATE + TOO_EARLY)
def test_an_expense_out_of_range_is_refused(treasurer, general, day):
    with pytest.raises(ValidationError, match=show_date(day)):
        expenses.submit_expense(treasurer, incurred_on=day, amount=services.money("900", "RUB"),
                                fund=general, account=services.account("expenses:parcels"),
                                category="parcel")


@pytest.mark.parametrize("day", TOO_LATE + TOO_EARLY)
def test_a_rate_out_of_range_is_refused(treasurer, day):
    with pytest.raises(ValidationError, match=show_date(day)):
        rates_import.set_rate(treasurer, on=day, currency_code="EUR", rate=Decimal("98.45"))
    assert not ExchangeRate.objects.exists()


def test_a_rate_file_names_the_line_with_the_impossible_date(treasurer):
    text = ("date;currency;rate;base\n2025-03-14;EUR;98,45;RUB\n2999-03-14;USD;91,10;RUB\n"
            "14.03.1812;GEL;30;RUB\n")
    plan = rates_import.preview(text.encode())
    assert plan.errors == [
        f"line 3, column «date»: 14 Mar 2999 is in the future: the books accept dates up to 7 "
        f"days ahead ({show_date(dates.latest())}).",
        "line 4, column «date»: 14 Mar 1812 is too early: the books start on 1 Jan 1900.",
    ]


def test_the_donation_form_refuses_the_year_2999(treasurer, client_for):
    response = client_for(treasurer).post(reverse("record_donation"), {
        "date": "2999-03-14", "amount": "1500", "currency": "RUB", "fund": "general",
        "channel": "bank_transfer", "campaign": "", "token": "t-" + receipts.new_code()})
    assert response.status_code == 200
    assert "14 Mar 2999 is in the future" in response.content.decode()
    assert not Donation.objects.exists()


def test_the_expense_form_refuses_a_date_before_1900(treasurer, client_for):
    response = client_for(treasurer).post(reverse("expense_new"), {
        "incurred_on": "1899-03-14", "amount": "900", "currency": "RUB", "fund": "general",
        "account": "expenses:parcels", "category": "parcel", "token": "t-1"})
    assert response.status_code == 200
    assert "14 Mar 1899 is too early" in response.content.decode()


def test_a_campaign_is_planned_ahead_but_not_into_another_century(treasurer):
    from pompolit.ledger.models import Campaign

    next_year = TODAY.replace(year=TODAY.year + 1, day=1)
    campaigns.create_campaign(treasurer, code="appeal-next", name="Апелляция",
                             currency_code="RUB", starts_on=TODAY, ends_on=next_year)
    for starts, ends in ((datetime.date(2999, 1, 1), None), (TODAY, datetime.date(2999, 1, 1)),
                         (datetime.date(1899, 1, 1), None)):
        with pytest.raises(ValidationError):
            campaigns.create_campaign(treasurer, code="appeal-far", name="Сбор",
                                     currency_code="RUB", starts_on=starts, ends_on=ends)
    assert list(Campaign.objects.values_list("code", flat=True)) == ["appeal-next"]


def test_the_campaign_form_refuses_the_year_2999(treasurer, client_for):
    response = client_for(treasurer).post(reverse("campaign_new"), {
        "code": "appeal-2999", "name": "Сбор", "goal": "", "currency": "RUB",
        "starts_on": "2999-03-01"})
    assert response.status_code == 200
    assert "1 Mar 2999 is too far ahead" in response.content.decode()
