"""Letters written on paper at a letter evening: entered as approved letters of channel
"paper", they count in this month's letters (and so weigh in the pick), carry the evening's
campaign, go in the batches at the paper price and are closed like any other; the sheet lists
the evening's prisoners."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pompolit.aid.models import AidItem
from pompolit.aid.models import Status as AidStatus
from pompolit.aid.testing import treasurer  # noqa: F401 (fixtures)
from pompolit.audit.models import AuditEntry
from pompolit.cases import services as cases
from pompolit.cases.models import EventType
from pompolit.cases.partial import PartialDate
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Channel as LedgerChannel
from pompolit.ledger.models import FundKind
from pompolit.letters import batches, campaigns, paper, pick, work
from pompolit.letters.models import Channel, Letter, Status
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse fixtures)

pytestmark = pytest.mark.django_db


def test_entered_letters_count_this_month_and_weigh_in_the_pick(
        letters_world: World, moderator: Member) -> None:
    sasha = letters_world.recipient(letters_world.writable[1])
    today = timezone.localdate()
    entry = paper.enter(moderator, sasha, count=3, written_on=today,
                        evening="Тбилиси, вечер писем", note="Две открытки и письмо")
    letters = Letter.objects.filter(paper_entry=entry)
    assert letters.count() == 3
    assert {(lt.channel, lt.status, lt.text, lt.case_id) for lt in letters} == {
        (Channel.PAPER, Status.APPROVED, "", sasha.case_id)}
    assert pick.letters_this_month(today)[sasha.case_id] == 3
    found = pick.recipient(sasha.public_id)
    assert found is not None and found.weight == pytest.approx(1 / 16)
    entry.refresh_from_db()
    assert entry.evening == "Тбилиси, вечер писем" and entry.note == "Две открытки и письмо"
    audit = AuditEntry.objects.get(action="letters.paper_entered")
    assert audit.details == {"case": sasha.case_id, "letters": 3, "on": today.isoformat(),
                             "campaign": None}


def test_a_day_last_month_counts_last_month(letters_world: World, moderator: Member) -> None:
    sasha = letters_world.recipient(letters_world.writable[1])
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=3)
    paper.enter(moderator, sasha, count=2, written_on=last_month)
    assert pick.letters_this_month(today).get(sasha.case_id, 0) == 0
    assert pick.letters_this_month(last_month)[sasha.case_id] == 2


def test_the_campaign_of_the_day(letters_world: World, moderator: Member,
                                 make_member: Any) -> None:
    coordinator: Member = make_member("Ольга Любатович", Role.COORDINATOR)
    today = timezone.localdate()
    running = campaigns.create_campaign(
        coordinator, name_en="New Year cards", name_ru="Новогодние открытки",
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1))
    entry = paper.enter(moderator, letters_world.recipient(letters_world.writable[0]), count=2,
                        written_on=today)
    assert entry.campaign == running
    assert set(Letter.objects.filter(paper_entry=entry)
               .values_list("campaign_id", flat=True)) == {running.pk}
    [row] = campaigns.statistics(moderator)
    assert (row.written, row.on_paper) == (2, 2)


def test_what_is_refused(letters_world: World, moderator: Member, make_member: Any) -> None:
    sasha = letters_world.recipient(letters_world.writable[1])
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        paper.enter(moderator, sasha, count=0, written_on=today + datetime.timedelta(days=1),
                    evening="в" * 201)
    assert set(refused.value.message_dict) == {"count", "written_on", "evening"}
    with pytest.raises(ValidationError):
        paper.enter(moderator, sasha, count=1, written_on=today - datetime.timedelta(days=400))
    treasurer_: Member = make_member("Дмитрий Клеменц", Role.TREASURER)
    with pytest.raises(PermissionDenied):
        paper.enter(treasurer_, sasha, count=1, written_on=today)
    assert not Letter.objects.exists()


def test_they_are_posted_paid_and_closed_as_any_letter(
        letters_world: World, moderator: Member, treasurer: Member) -> None:  # noqa: F811
    fund = ledger.create_fund(treasurer, code="pisma", name="Письма в колонии",
                              kind=FundKind.PURPOSE, purpose="expenses:letters")
    ledger.record_donation(treasurer, date=datetime.date(2026, 11, 1),
                           amount=ledger.money("5000", "RUB"), fund=fund,
                           channel=LedgerChannel.BANK_TRANSFER)
    case = letters_world.writable[1]
    cases.add_event(moderator, case, type=EventType.objects.get(code="arrest"),
                    date=PartialDate.parse("2023-03-06"), facility=case.current_facility)
    entry = paper.enter(moderator, letters_world.recipient(case), count=2,
                        written_on=timezone.localdate())
    group = batches.group(moderator, letters_world.ik2.pk, Channel.PAPER)
    assert group is not None and len(group.sheets) == 2
    assert group.cost.amount == Decimal(90)
    assert batches.mark_sent(moderator, group, fund).sent == 2
    first, second = Letter.objects.filter(paper_entry=entry).order_by("pk")
    work.move(moderator, first, Status.DELIVERED)
    work.move(moderator, second, Status.RETURNED, note="Вернулось: выбыла на этап.")
    assert {AidItem.objects.get(pk=first.aid_item_id).status,
            AidItem.objects.get(pk=second.aid_item_id).status} == {AidStatus.DELIVERED,
                                                                    AidStatus.RETURNED}
    assert all(i.cost_units == 4500 for i in AidItem.objects.all())


def test_the_sheet_lists_the_evenings_prisoners(letters_world: World) -> None:
    html = paper.render_html(paper.sheet_rows(), evening="Ереван, 12 декабря")
    assert "Горинов Алексей Александрович" in html and "Скочиленко Александра Юрьевна" in html
    assert "Родственникам Сергей" not in html and "Без Согласия" not in html
    assert "Ереван, 12 декабря" in html
    assert html.count('class="box"') == 2 * paper.SHEET_LINES
