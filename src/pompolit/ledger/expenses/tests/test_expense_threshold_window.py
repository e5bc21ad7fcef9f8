"""Expenses for one case are counted together over 30 days either side against the approval
threshold, like aid (docs/aid.md): three payments of 9 999 ₽ for a case need a second person."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from pompolit.ledger import services
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.rates import services as rates
from pompolit.ledger.testing import MARCH

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"


@pytest.fixture
def submit(treasurer, general, donate):
    donate("100000", "RUB")
    donate("1000", "EUR")

    def run(amount, currency="RUB", *, case_ref="17", on=MARCH):
        return expenses.submit_expense(
            treasurer, incurred_on=on, amount=services.money(amount, currency), fund=general,
            account=services.account("expenses:transfers"), category="transfer",
            case_ref=case_ref)
    return run


def test_three_payments_of_9999_for_one_case_need_approval(treasurer, submit):
    expenses.pay_expense(treasurer, submit("9999"), date=MARCH)
    second = submit("9999")
    assert expenses.needs_approval(second)
    with pytest.raises(ValidationError, match="a second treasurer must approve"):
        expenses.pay_expense(treasurer, second, date=MARCH)


def test_other_cases_and_expenses_for_no_case_count_alone(submit):
    submit("9999")
    assert not expenses.needs_approval(submit("9999", case_ref="18"))
    assert not expenses.needs_approval(submit("9999", case_ref=""))


@pytest.mark.parametrize(("days", "counted"), [(29, True), (-29, True), (30, False)])
def test_the_window_is_thirty_days_either_side(submit, days, counted):
    submit("9999")
    assert expenses.needs_approval(submit("9999", on=MARCH + days * DAY)) is counted


def test_expenses_dated_months_apart_but_paid_together_count(treasurer, submit):
    expenses.pay_expense(treasurer, submit("6000"), date=MARCH)
    later = submit("6000", on=MARCH + 60 * DAY)
    assert expenses.needs_approval(later)
    with time_machine.travel(timezone.now() + 31 * DAY, tick=False):
        assert not expenses.needs_approval(later)


def test_a_corrected_expense_is_counted_once(treasurer, submit, general):
    first = submit("9999")
    corrected = expenses.submit_expense(
        treasurer, incurred_on=MARCH, amount=services.money("5000", "RUB"), fund=general,
        account=services.account("expenses:transfers"), category="transfer", case_ref="17",
        supersedes=first)
    assert not expenses.needs_approval(corrected)


def test_euros_count_at_the_rate_of_their_day(treasurer, submit):
    rates.set_rate(treasurer, on=MARCH - 3 * DAY, currency_code="EUR", rate=Decimal("100"))
    submit("50", "EUR")  # 5 000 ₽
    assert not expenses.needs_approval(submit("5000"))
    assert expenses.needs_approval(submit("0.01"))
