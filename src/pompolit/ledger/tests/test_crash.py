"""A failure anywhere inside posting leaves nothing half-written: the books and the log
hold whole entries only, and `ledger verify` agrees. (The kill -9 test of a real process
is in test_verify_command.py.)"""

import pytest

from pompolit.audit.models import AuditEntry
from pompolit.ledger.models import Donation, Entry, FundBalance, Posting
from pompolit.ledger.verify import verify_books
from pompolit.tlog import services as tlog
from pompolit.tlog.models import EntryBundle, Log


class Crash(Exception):
    pass


def crash(*args, **kwargs):
    raise Crash


def snapshot():
    return (Entry.objects.count(), Posting.objects.count(), Donation.objects.count(),
            list(FundBalance.objects.values_list("units", flat=True)),
            Log.objects.get(name="ledger").size, EntryBundle.objects.count(),
            AuditEntry.objects.filter(action="ledger.posted").count())


@pytest.mark.parametrize("where", [
    # after the entry, postings and balances are written, before the leaf is appended
    "pompolit.ledger.services.tlog.append",
    # after the leaf is appended, before the transaction commits
    "pompolit.ledger.services.record",
    # between the postings and the balances
    "pompolit.ledger.services._apply_balances",
])
def test_a_crash_midway_leaves_nothing_half_written(donate, monkeypatch, where):
    donate("1000", "RUB")
    before = snapshot()
    monkeypatch.setattr(where, crash)
    with pytest.raises(Crash):
        donate("2500", "EUR")
    monkeypatch.undo()
    assert snapshot() == before
    assert verify_books().ok
    donate("300", "USD")  # and the books carry on from where they were
    assert Entry.objects.order_by("leaf_index").last().leaf_index == 1
    assert tlog.verify_log("ledger").size == 2
    assert verify_books().ok
