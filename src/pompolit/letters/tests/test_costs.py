"""Each sent letter's cost in the books: an aid item of kind "letter" per letter, from a fund
that may pay letters, approved and paid by the aid services; the books balance, a second
"sent" pays nothing, a coordinator's approval is waited for, and the aid plan counts them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from pompolit.aid.books import check as books
from pompolit.aid.lifecycle import APPROVE_ACTION
from pompolit.aid.models import AidItem, Kind
from pompolit.aid.models import Status as AidStatus
from pompolit.aid.planning import services as planning
from pompolit.aid.testing import funds, treasurer  # noqa: F401 (fixtures)
from pompolit.cases import services as cases
from pompolit.cases.models import EventType
from pompolit.cases.partial import PartialDate
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Channel as LedgerChannel
from pompolit.ledger.models import Fund, FundKind
from pompolit.ledger.money import Money
from pompolit.ledger.verify import verify_books
from pompolit.letters import batches, costs, services, work
from pompolit.letters.models import Channel, Letter, LetterImage, Status
from pompolit.letters.testing import World
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse fixtures)
from pompolit.vault.fields.files import Upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters_fund(treasurer: Member) -> Fund:  # noqa: F811
    fund = ledger.create_fund(treasurer, code="pisma", name="Письма в колонии",
                              kind=FundKind.PURPOSE, purpose="expenses:letters")
    ledger.record_donation(treasurer, date=datetime.date(2026, 11, 1),
                           amount=ledger.money("5000", "RUB"), fund=fund,
                           channel=LedgerChannel.BANK_TRANSFER)
    return fund


@pytest.fixture(autouse=True)
def arrested(letters_world: World, moderator: Member) -> None:
    """Aid's rules need to know where a person is held: their arrest, in the facility."""
    for case in letters_world.writable:
        cases.add_event(moderator, case, type=EventType.objects.get(code="arrest"),
                        date=PartialDate.parse("2023-03-06"), facility=case.current_facility)


def _approved(world: World, moderator: Member, index: int, text: str) -> Letter:
    letter = services.write_letter(world.recipient(world.writable[index]), text=text).letter
    return work.move(moderator, letter, Status.APPROVED)


def _group(moderator: Member, world: World, channel: str) -> batches.Group:
    facility = world.ik6 if channel == Channel.ELECTRONIC else world.ik2
    found = batches.group(moderator, facility.pk, channel)
    assert found is not None
    return found


def _units_balance() -> dict[str, int]:
    return {currency: sum(accounts.values())
            for currency, accounts in ledger.trial_balance().items()}


def test_the_cost_per_channel_and_images(settings: Any) -> None:
    assert costs.cost(Channel.ELECTRONIC) == Money("RUB", Decimal(110))
    assert costs.cost(Channel.ELECTRONIC, images=2) == Money("RUB", Decimal(180))
    assert costs.cost(Channel.POST) == Money("RUB", Decimal(45))
    assert costs.cost(Channel.PAPER, images=3) == Money("RUB", Decimal(45))
    settings.POMPOLIT_LETTER_PRICES = {"post": {"letter": "60"},
                                       "electronic": {"image": "40", "unknown": "1"}}
    assert costs.cost(Channel.POST) == Money("RUB", Decimal(60))
    assert costs.cost(Channel.ELECTRONIC, images=1) == Money("RUB", Decimal(150))


def test_a_batch_is_paid_as_letter_aid_and_the_books_balance(
        letters_world: World, moderator: Member, letters_fund: Fund) -> None:
    letter = _approved(letters_world, moderator, 0, "Алексей Александрович, здравствуйте!")
    LetterImage.objects.create(letter=letter,
                               image=Upload("cat.jpg", b"\xff\xd8 cat", "image/jpeg"))
    group = _group(moderator, letters_world, Channel.ELECTRONIC)
    assert group.cost == Money("RUB", Decimal(145))
    done = batches.mark_sent(moderator, group, letters_fund)
    assert done.sent == 1 and not done.waiting
    letter.refresh_from_db()
    item = AidItem.objects.get(pk=letter.aid_item_id)
    assert letter.status == Status.SENT
    assert (item.kind, item.status, item.cost_units, item.fund) == (
        Kind.LETTER, AidStatus.SENT, 14500, letters_fund)
    assert item.case_id == letter.case_id and item.channel == "facility"
    assert item.reservation is not None and item.payment is not None
    assert books.first_problem() is None
    assert verify_books().ok
    assert set(_units_balance().values()) == {0}


def test_a_fund_that_may_not_pay_letters_is_refused(
        letters_world: World, moderator: Member, funds: dict[str, Fund],  # noqa: F811
        client_for: Any) -> None:
    letter = _approved(letters_world, moderator, 1, "Саша, привет из Петербурга!")
    group = _group(moderator, letters_world, Channel.POST)
    with pytest.raises(ValidationError) as refused:
        batches.mark_sent(moderator, group, funds["parcels"])
    assert "fund" in refused.value.message_dict
    assert Letter.objects.get(pk=letter.pk).status == Status.APPROVED
    assert not AidItem.objects.exists()
    offered = {f.code for f in costs.letter_funds()}
    assert "general" in offered and "parcels" not in offered and "lawyers" not in offered
    client = client_for(moderator)
    page = client.get(reverse("letters_batches")).content.decode()
    assert "Передачи" not in page and "Paid from the fund" in page
    response = client.post(reverse("letters_batch_sent",
                                   args=[letters_world.ik2.pk, Channel.POST]),
                           {"fund": funds["parcels"].pk}, follow=True)
    assert "Choose a fund that may pay for letters." in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Status.APPROVED


def test_marking_a_batch_sent_twice_pays_once(
        letters_world: World, moderator: Member, letters_fund: Fund, client_for: Any) -> None:
    letter = _approved(letters_world, moderator, 1, "Саша, держись!")
    group = _group(moderator, letters_world, Channel.POST)
    assert batches.mark_sent(moderator, group, letters_fund).sent == 1
    assert batches.mark_sent(moderator, group, letters_fund).sent == 0
    assert AidItem.objects.filter(kind=Kind.LETTER).count() == 1
    item = AidItem.objects.get()
    assert item.cost_units == 4500 and item.channel == "post"
    assert Letter.objects.get(pk=letter.pk).aid_item_id == item.pk
    client = client_for(moderator)
    response = client.post(reverse("letters_batch_sent",
                                   args=[letters_world.ik2.pk, Channel.POST]),
                           {"fund": letters_fund.pk})
    assert response.status_code == 404  # nothing approved is left there
    assert AidItem.objects.count() == 1 and books.first_problem() is None


def test_above_the_threshold_the_letter_waits_for_a_coordinator(
        letters_world: World, moderator: Member, letters_fund: Fund, settings: Any,
        client_for: Any) -> None:
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "50"
    letter = _approved(letters_world, moderator, 0, "Здравствуйте! Пишу вам из Казани.")
    group = _group(moderator, letters_world, Channel.ELECTRONIC)
    done = batches.mark_sent(moderator, group, letters_fund)
    assert done.sent == 0 and done.waiting == (letter.pk,)
    letter.refresh_from_db()
    assert letter.status == Status.APPROVED
    assert AidItem.objects.get().status == AidStatus.DRAFT
    asked = ApprovalRequest.objects.filter(action=APPROVE_ACTION)
    assert asked.filter(status=ApprovalRequest.Status.PENDING).count() == 1
    # Asked once: marking again neither pays nor asks again.
    again = batches.mark_sent(moderator, _group(moderator, letters_world, Channel.ELECTRONIC),
                              letters_fund)
    assert again.waiting == (letter.pk,)
    assert asked.count() == 1 and AidItem.objects.count() == 1
    page = client_for(moderator).get(reverse("letters_batches")).content.decode()
    assert "Waiting for approval" in page
    assert books.first_problem() is None


def test_the_aid_plan_counts_the_letters_sent(
        letters_world: World, moderator: Member, letters_fund: Fund) -> None:
    _approved(letters_world, moderator, 1, "Саша, с днём рождения!")
    batches.mark_sent(moderator, _group(moderator, letters_world, Channel.POST), letters_fund)
    month = timezone.localdate().replace(day=1)
    case = letters_world.writable[1]
    inputs = planning.gather(moderator, month, {})
    assert inputs.letters_counted == {case.pk: 1}
    person = next(p for p in inputs.prisoners if p.case_id == case.pk)
    assert person.needs["letter"] == 0  # the default one letter a month is sent
    other = next(p for p in inputs.prisoners if p.case_id == letters_world.writable[0].pk)
    assert other.needs["letter"] == 1
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    assert planning.gather(moderator, next_month, {}).letters_counted == {}


def test_the_batch_page_in_russian(letters_world: World, moderator: Member,
                                   letters_fund: Fund, client_for: Any) -> None:
    _approved(letters_world, moderator, 1, "Саша, привет!")
    client = client_for(moderator)
    client.cookies["django_language"] = "ru"
    with translation.override("ru"):
        page = client.get(reverse("letters_batches"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Оплачивается из фонда" in page and "Ждут одобрения" not in page
    assert "Предлагаются только фонды" in page and "Письма в колонии" in page
    assert "45,00" in page or "45.00" in page or "45 ₽" in page


def test_the_plan_page_shows_the_letters_sent(
        letters_world: World, moderator: Member, letters_fund: Fund, client_for: Any,
        make_member: Any, compartment: Any) -> None:
    _approved(letters_world, moderator, 1, "Саша, с Новым годом!")
    batches.mark_sent(moderator, _group(moderator, letters_world, Channel.POST), letters_fund)
    coordinator = make_member("Ольга Любатович", Role.COORDINATOR, Role.CASE_WORKER,
                              compartments=[compartment])
    page = client_for(coordinator).post("/aid/plan/", {
        "month": timezone.localdate().strftime("%Y-%m"), "budget-pisma-RUB": "1000",
        "action": "propose"}).content.decode()
    assert "Скочиленко" in page
    assert "1 letter already sent this month counts towards the need." in page
