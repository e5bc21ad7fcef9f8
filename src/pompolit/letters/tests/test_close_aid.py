"""What became of a sent letter closes its aid item through the aid lifecycle: delivered is
delivered (a sign of life on the case), blocked by the censor is confiscated and returned is
returned (both written off); the books balance after each; a moderator who may not touch the
case's aid cannot record the outcome."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from pompolit.aid.books import check as books
from pompolit.aid.models import AidItem
from pompolit.aid.models import Status as AidStatus
from pompolit.aid.testing import treasurer  # noqa: F401 (fixtures)
from pompolit.cases import services as cases
from pompolit.cases.models import Event, EventType
from pompolit.cases.partial import PartialDate
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Channel as LedgerChannel
from pompolit.ledger.models import Fund, FundKind
from pompolit.ledger.verify import verify_books
from pompolit.letters import batches, services, work
from pompolit.letters.models import Channel, Letter, Status
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse fixtures)

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
    for case in letters_world.writable:
        cases.add_event(moderator, case, type=EventType.objects.get(code="arrest"),
                        date=PartialDate.parse("2023-03-06"), facility=case.current_facility)


def _sent(world: World, moderator: Member, fund: Fund, text: str) -> Letter:
    letter = services.write_letter(world.recipient(world.writable[1]), text=text).letter
    work.move(moderator, letter, Status.APPROVED)
    group = batches.group(moderator, world.ik2.pk, Channel.POST)
    assert group is not None
    assert batches.mark_sent(moderator, group, fund).sent == 1
    return Letter.objects.get(pk=letter.pk)


@pytest.mark.parametrize(("outcome", "note", "closed"), [
    (Status.DELIVERED, "", AidStatus.DELIVERED),
    (Status.BLOCKED, "Цензор: «не соответствует правилам».", AidStatus.CONFISCATED),
    (Status.RETURNED, "Вернулось: адресат выбыл на этап.", AidStatus.RETURNED),
])
def test_the_letters_fate_closes_its_aid_item(
        letters_world: World, moderator: Member, letters_fund: Fund, outcome: str, note: str,
        closed: str) -> None:
    letter = _sent(letters_world, moderator, letters_fund, "Саша, здравствуйте! Пишу из Твери.")
    assert AidItem.objects.get(pk=letter.aid_item_id).status == AidStatus.SENT
    work.move(moderator, letter, outcome, note=note)
    item = AidItem.objects.get(pk=letter.aid_item_id)
    assert item.status == closed and item.closed_on is not None
    assert (item.settlement is not None) == (outcome != Status.DELIVERED)
    delivered = Event.objects.filter(case=letter.case, type__code="letter-delivered")
    assert delivered.exists() == (outcome == Status.DELIVERED)
    assert books.first_problem() is None
    assert verify_books().ok


def test_a_letter_never_paid_has_nothing_to_close(
        letters_world: World, moderator: Member) -> None:
    letter = services.write_letter(letters_world.recipient(letters_world.writable[1]),
                                   text="Саша, привет!").letter
    work.move(moderator, letter, Status.APPROVED)
    work.move(moderator, letter, Status.SENT)  # sent by hand, outside a batch
    assert work.move(moderator, letter, Status.DELIVERED).status == Status.DELIVERED
    assert not AidItem.objects.exists()


def test_a_moderator_outside_the_compartment_cannot_close_it(
        letters_world: World, moderator: Member, letters_fund: Fund, make_member: object
        ) -> None:
    letter = _sent(letters_world, moderator, letters_fund, "Саша, с наступающим!")
    outsider: Member = make_member("Анна Якимова-Диковская", Role.COORDINATOR)  # type: ignore[operator]
    with pytest.raises(ValidationError) as refused:
        work.move(outsider, letter, Status.DELIVERED)
    assert f"Letter № {letter.pk}" in " ".join(refused.value.messages)
    assert Letter.objects.get(pk=letter.pk).status == Status.SENT  # nothing half-done
    assert AidItem.objects.get(pk=letter.aid_item_id).status == AidStatus.SENT
