"""A crash between "sent" and the payment — or anywhere in a step — leaves neither: the item,
its history, the books and the log are as they were, and `aid check` agrees."""

import pytest

from pompolit.aid import lifecycle
from pompolit.aid.books import check as books
from pompolit.aid.models import AidItem, AidTransition, Status
from pompolit.aid.testing import PLANNED
from pompolit.ledger.models import Entry
from pompolit.ledger.verify import verify_books
from pompolit.tlog.models import Log

SENT = PLANNED


class Crash(Exception):
    pass


def crash(*args, **kwargs):
    raise Crash


def snapshot(item):
    fresh = AidItem.objects.get(pk=item.pk)
    return (fresh.status, fresh.version, fresh.payment_id, Entry.objects.count(),
            AidTransition.objects.count(), Log.objects.get(name="ledger").size)


@pytest.mark.parametrize("where", [
    # the payment is posted, then the state change fails
    "pompolit.aid.lifecycle._step",
    # the state is about to change, the payment's leaf fails to append
    "pompolit.ledger.services.tlog.append",
    # the audit entry of the posting fails
    "pompolit.ledger.services.record",
])
def test_a_crash_while_sending_leaves_neither(parcel, worker, monkeypatch, where):
    item = lifecycle.approve_item(worker, parcel(), on=PLANNED)
    before = snapshot(item)
    monkeypatch.setattr(where, crash)
    with pytest.raises(Crash):
        lifecycle.send_item(worker, item, on=SENT, channel="post", tracking_number="RA1")
    monkeypatch.undo()
    assert snapshot(item) == before
    assert AidItem.objects.get(pk=item.pk).status == Status.APPROVED
    assert books.first_problem() is None and verify_books().ok
    sent = lifecycle.send_item(worker, AidItem.objects.get(pk=item.pk), on=SENT, channel="post")
    assert sent.status == Status.SENT and books.first_problem() is None


def test_a_crash_after_the_reservation_leaves_a_draft(parcel, worker, monkeypatch):
    item = parcel()
    before = snapshot(item)
    monkeypatch.setattr("pompolit.aid.lifecycle._step", crash)
    with pytest.raises(Crash):
        lifecycle.approve_item(worker, item, on=PLANNED)
    monkeypatch.undo()
    assert snapshot(item) == before
    assert books.first_problem() is None
