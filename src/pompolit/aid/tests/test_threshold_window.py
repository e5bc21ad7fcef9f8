"""The two-person threshold counts a case's aid over 30 days either side of an item (docs/aid.md):
10 000 ₽ cannot pass as three transfers of 9 999 ₽, nor as roubles and dollars mixed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from pompolit.aid import lifecycle, services
from pompolit.aid.models import Status
from pompolit.aid.testing import PLANNED, rub
from pompolit.ledger import services as ledger
from pompolit.ledger.rates import services as rates
from pompolit.members import approvals

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"


@pytest.fixture
def transfer(worker, prisoner, funds):
    """transfer("9999") or transfer(ledger.money("50", "USD"), planned_on=...): a draft money
    transfer to the prisoner's account, from the general fund."""
    def make(cost, planned_on=PLANNED):
        return services.create_item(
            worker, prisoner, "money", funds["general"], planned_on=planned_on,
            cost=rub(cost) if isinstance(cost, str) else cost, money_to="prisoner",
            channel="facility")
    return make


@pytest.fixture
def usd_rates(treasurer):
    for day, rate in ((PLANNED - 40 * DAY, "80"), (PLANNED - 5 * DAY, "90")):
        rates.set_rate(treasurer, on=day, currency_code="USD", rate=Decimal(rate))


def test_three_transfers_of_9999_on_one_day_need_a_second_person(worker, transfer):
    first = lifecycle.approve_item(worker, transfer("9999"), on=PLANNED)
    assert first.status == Status.APPROVED
    second = transfer("9999")
    assert lifecycle.needs_second_person(second)
    with pytest.raises(ValidationError, match="together with the case's other aid planned "
                                              "within 30 days of it, it comes above 10000 RUB"):
        lifecycle.approve_item(worker, second, on=PLANNED)
    second.refresh_from_db()
    assert second.status == Status.DRAFT


def test_the_second_person_approves_what_the_window_refuses(worker, coordinator, transfer):
    lifecycle.approve_item(worker, transfer("9999"), on=PLANNED)
    second = transfer("9999")
    request = lifecycle.request_item_approval(worker, second)
    approvals.approve(request.pk, coordinator, seen_digest=request.payload_digest)
    second.refresh_from_db()
    assert second.status == Status.APPROVED


def test_aid_within_the_threshold_over_the_window_needs_one_person(worker, transfer):
    for _ in range(3):
        lifecycle.approve_item(worker, transfer("3000"), on=PLANNED)
    assert not lifecycle.needs_second_person(transfer("1000"))  # 10 000 in all: not above


@pytest.mark.parametrize(("days", "counted"), [(29, True), (-29, True), (30, False),
                                               (-30, False), (90, False)])
def test_the_window_is_thirty_days_either_side(worker, transfer, days, counted):
    lifecycle.approve_item(worker, transfer("9999"), on=PLANNED)
    later = transfer("9999", planned_on=PLANNED + days * DAY)
    # A month on, the first approval is no longer recent: only the planned days count.
    with time_machine.travel(timezone.now() + 31 * DAY, tick=False):
        assert lifecycle.needs_second_person(later) is counted


def test_items_planned_months_apart_but_approved_together_count(worker, transfer):
    # Planned 40 and 80 days later, so no planned day is within 30 of another: approving
    # them all today still counts them together.
    lifecycle.approve_item(worker, transfer("6000"), on=PLANNED)
    later = transfer("6000", planned_on=PLANNED + 40 * DAY)
    assert lifecycle.needs_second_person(later)
    with pytest.raises(ValidationError, match="a coordinator must approve"):
        lifecycle.approve_item(worker, later, on=PLANNED)


def test_drafts_and_withdrawn_approvals_do_not_count(worker, transfer):
    transfer("9999")  # a draft, never approved
    withdrawn = lifecycle.approve_item(worker, transfer("9999"), on=PLANNED)
    lifecycle.withdraw_approval(worker, withdrawn)
    assert not lifecycle.needs_second_person(transfer("9999"))


def test_sent_and_closed_aid_still_counts(worker, transfer):
    sent = lifecycle.approve_item(worker, transfer("6000"), on=PLANNED)
    lifecycle.send_item(worker, sent, on=PLANNED, channel="facility")
    assert lifecycle.needs_second_person(transfer("6000"))


def test_other_currencies_count_at_the_rate_of_their_day(worker, transfer, usd_rates):
    # 60 $ at 90 = 5 400 ₽, with 5 000 ₽: 10 400 ₽ over 30 days.
    lifecycle.approve_item(worker, transfer(ledger.money("60", "USD")), on=PLANNED)
    assert lifecycle.needs_second_person(transfer("5000"))
    assert not lifecycle.needs_second_person(transfer("4600"))


def test_each_item_is_converted_at_the_rate_of_its_own_day(worker, transfer, usd_rates):
    # Planned 20 days earlier, at 80: 60 $ = 4 800 ₽; with 5 000 ₽, 9 800 ₽: one person.
    early = transfer(ledger.money("60", "USD"), planned_on=PLANNED - 20 * DAY)
    lifecycle.approve_item(worker, early, on=PLANNED - 20 * DAY)
    assert not lifecycle.needs_second_person(transfer("5000"))
    assert lifecycle.needs_second_person(transfer("5300"))


def test_euros_without_a_rate_need_a_second_person(worker, transfer, usd_rates):
    lifecycle.approve_item(worker, transfer(ledger.money("10", "USD")), on=PLANNED)
    # The parcels fund has euros; no EUR rate is entered: the total cannot be known.
    assert lifecycle.needs_second_person(transfer(ledger.money("1", "EUR")))


def test_other_cases_do_not_count(worker, transfer, prisoner, funds, compartment):
    from pompolit.cases import services as cases
    from pompolit.cases.models import CaseStatus
    from pompolit.names import Name

    lifecycle.approve_item(worker, transfer("9999"), on=PLANNED)
    other = cases.open_case(worker, compartment=compartment, name=Name("Гольдман", "Лев", ""),
                            status=CaseStatus.objects.get(code="sentenced"),
                            opened_on=datetime.date(2024, 1, 1))
    lawyer = services.create_item(worker, other, "lawyer", funds["lawyers"],
                                  planned_on=PLANNED, cost=rub("9999"))
    assert not lifecycle.needs_second_person(lawyer)
