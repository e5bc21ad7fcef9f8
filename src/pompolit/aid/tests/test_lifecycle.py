import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.aid import lifecycle, services
from pompolit.aid.books import check as books
from pompolit.aid.lifecycle import RulesBroken
from pompolit.aid.models import AidItem, AidTransition, Status
from pompolit.aid.testing import PLANNED, rub
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Entry, FundBalance
from pompolit.ledger.verify import verify_books
from pompolit.members import approvals
from pompolit.members.approvals import ApprovalError

SENT = datetime.date(2026, 11, 12)


def balance(fund, currency="RUB"):
    row = FundBalance.objects.filter(fund=fund, currency_id=currency).first()
    return row.units if row else 0


def test_the_whole_life_of_a_parcel_in_the_books(parcel, worker, funds):
    item = parcel(cost="1500")
    before = balance(funds["parcels"])
    item = lifecycle.approve_item(worker, item, on=PLANNED)
    assert item.status == Status.APPROVED and item.reservation is not None
    # The reservation takes the money out of the fund's balance at once.
    assert balance(funds["parcels"]) == before - 150000
    item = lifecycle.send_item(worker, item, on=SENT, channel="post",
                               tracking_number="80085612345678")
    assert item.payment is not None and balance(funds["parcels"]) == before - 150000
    assert AidItem.objects.get(pk=item.pk).tracking_number == "80085612345678"
    item = lifecycle.close_item(worker, item, "delivered", on=datetime.date(2026, 11, 25))
    assert [t.to_status for t in AidTransition.objects.filter(item=item)] == [
        "approved", "sent", "delivered"]
    assert books.first_problem() is None
    assert verify_books().ok
    # Delivery is a sign of life.
    item.case.refresh_from_db()
    assert item.case.last_contact_on == datetime.date(2026, 11, 25)


def test_approval_refused_with_the_violations(parcel, worker):
    item = parcel(grams=24000)
    with pytest.raises(RulesBroken) as caught:
        lifecycle.approve_item(worker, item, on=PLANNED)
    assert caught.value.messages == [
        "This parcel weighs 24 kg; ИК-6 accepts at most 20 kg per parcel."]
    assert AidItem.objects.get(pk=item.pk).status == Status.DRAFT
    assert not Entry.objects.filter(memo__startswith="aid item").exists()


def test_a_restricted_fund_without_the_money_refuses(worker, prisoner, funds):
    item = services.create_item(worker, prisoner, "parcel", funds["parcels"],
                                planned_on=PLANNED, cost=ledger.money("400", "EUR"),
                                contents=[services.ContentLine("hygiene", 10, 2000, "мыло")])
    # 400 EUR is above the threshold: a coordinator would have to approve; but the fund
    # holds only 300 EUR anyway.
    with pytest.raises(ValidationError):
        lifecycle._approve(worker, AidItem.objects.get(pk=item.pk), PLANNED)


def test_reserved_money_is_not_available_to_other_spending(worker, prisoner, funds, settings):
    # A threshold above the case's whole aid: only the fund's balance refuses here.
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "1000000"
    for _ in range(11):
        item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                    planned_on=PLANNED, cost=rub("9000"))
        lifecycle.approve_item(worker, item, on=PLANNED)
    # 99 000 of 100 000 reserved; an ordinary expense of 2 000 from the fund is refused,
    # and so is one more item.
    with pytest.raises(ValidationError, match="cannot go below zero"):
        ledger.post_entry(None, kind="expense", date=PLANNED, lines=[
            ledger.Line(ledger.account("expenses:legal"), funds["lawyers"], rub("2000")),
            ledger.Line(ledger.account("assets:bank"), funds["lawyers"], -rub("2000")),
        ])
    item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("2000"))
    with pytest.raises(ValidationError, match="cannot go below zero"):
        lifecycle.approve_item(worker, item, on=PLANNED)
    assert AidItem.objects.get(pk=item.pk).status == Status.DRAFT
    assert books.first_problem() is None


def test_above_the_threshold_a_coordinator_approves_never_the_maker(
        worker, coordinator, prisoner, funds, settings):
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"
    item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("40000"))
    with pytest.raises(ValidationError, match="a coordinator must approve"):
        lifecycle.approve_item(worker, item)
    request = lifecycle.request_item_approval(worker, item)
    with pytest.raises(ApprovalError):
        approvals.approve(request.pk, worker, seen_digest=request.payload_digest)
    approvals.approve(request.pk, coordinator, seen_digest=request.payload_digest)
    item.refresh_from_db()
    assert item.status == Status.APPROVED and item.approved_by == coordinator
    assert books.first_problem() is None


def test_the_coordinator_who_made_the_item_cannot_approve_it(coordinator, worker, prisoner,
                                                             funds):
    item = services.create_item(coordinator, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("40000"))
    request = lifecycle.request_item_approval(worker, item)
    with pytest.raises(ApprovalError, match="made an aid item"):
        approvals.approve(request.pk, coordinator, seen_digest=request.payload_digest)
    assert AidItem.objects.get(pk=item.pk).status == Status.DRAFT


def test_an_item_changed_after_asking_cannot_be_approved(worker, second_worker, coordinator,
                                                         prisoner, funds):
    item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("40000"))
    request = lifecycle.request_item_approval(worker, item)
    services.update_item(second_worker, item, version=1, cost=rub("90000"))
    with pytest.raises(ValidationError, match="changed after approval was asked"):
        approvals.approve(request.pk, coordinator, seen_digest=request.payload_digest)
    assert AidItem.objects.get(pk=item.pk).status == Status.DRAFT


def test_withdrawn_approval_gives_the_money_back(parcel, worker, funds):
    before = balance(funds["parcels"])
    item = lifecycle.approve_item(worker, parcel(), on=PLANNED)
    item = lifecycle.withdraw_approval(worker, item, note="Передумали")
    assert item.status == Status.DRAFT and item.reservation is None
    assert balance(funds["parcels"]) == before
    assert books.first_problem() is None
    lifecycle.approve_item(worker, item, on=PLANNED)  # and it can be approved again
    assert books.first_problem() is None


def test_returned_money_comes_back_confiscated_goods_are_written_off(
        worker, prisoner, funds, parcel):
    money_item = services.create_item(worker, prisoner, "money", funds["general"],
                                      planned_on=PLANNED, cost=rub("5000"), money_to="prisoner")
    before = balance(funds["general"])
    for item in (money_item,):
        item = lifecycle.approve_item(worker, item, on=PLANNED)
        item = lifecycle.send_item(worker, item, on=SENT, channel="facility")
        lifecycle.close_item(worker, item, "returned", on=datetime.date(2026, 11, 20))
    assert balance(funds["general"]) == before
    goods = lifecycle.approve_item(worker, parcel(cost="2000"), on=PLANNED)
    goods = lifecycle.send_item(worker, goods, on=SENT, channel="post")
    goods = lifecycle.close_item(worker, goods, "confiscated", on=datetime.date(2026, 11, 20),
                                 note="Изъяли при досмотре")
    codes = {(p.account.code, p.units) for p in goods.settlement.postings.all()}
    assert codes == {("expenses:parcels:lost", 200000), ("expenses:parcels", -200000)}
    assert books.first_problem() is None and verify_books().ok


def test_only_the_next_steps_are_allowed(parcel, worker):
    item = parcel()
    with pytest.raises(ValidationError, match="approved item can be sent"):
        lifecycle.send_item(worker, item, on=SENT, channel="post")
    item = lifecycle.approve_item(worker, item, on=PLANNED)
    with pytest.raises(ValidationError, match="Only a sent item"):
        lifecycle.close_item(worker, item, "delivered", on=SENT)
    with pytest.raises(ValidationError, match="Choose how"):
        lifecycle.send_item(worker, item, on=SENT, channel="pigeon")


def test_a_stale_approval_is_refused(parcel, worker, second_worker):
    item = parcel()
    services.update_item(second_worker, item, version=1, cost=rub("1700"))
    with pytest.raises(ValidationError, match="Someone else changed"):
        lifecycle.approve_item(worker, item, version=1)


def test_outsiders_cannot_approve(parcel, outsider):
    with pytest.raises(PermissionDenied):
        lifecycle.approve_item(outsider, parcel())


def test_a_reply_letter_is_a_sign_of_life(parcel, worker):
    item = lifecycle.send_item(worker, lifecycle.approve_item(worker, parcel(), on=PLANNED),
                               on=SENT, channel="post")
    lifecycle.record_reply(worker, item, how="call", on=datetime.date(2026, 11, 20))
    item.case.refresh_from_db()
    assert item.case.last_contact_on == datetime.date(2026, 11, 20)


def test_follow_ups_oldest_first(parcel, worker):
    early = lifecycle.send_item(worker, lifecycle.approve_item(
        worker, parcel(planned_on=datetime.date(2026, 10, 1)), on=PLANNED),
        on=datetime.date(2026, 10, 1), channel="post")
    late = lifecycle.send_item(worker, lifecycle.approve_item(
        worker, parcel(planned_on=datetime.date(2026, 11, 1)), on=PLANNED),
        on=datetime.date(2026, 11, 1), channel="courier")
    today = datetime.date(2026, 12, 15)
    assert list(services.follow_ups(worker, today=today)) == [early, late]
    assert list(services.follow_ups(worker, today=today, days=60)) == [early]
    lifecycle.close_item(worker, early, "delivered", on=datetime.date(2026, 12, 1))
    assert list(services.follow_ups(worker, today=today)) == [late]
