"""Decisions on pairs: remembered by the pair of ids, whichever way round, and a pair decided
"not the same person" never comes back from a scan."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pompolit.audit.models import AuditEntry
from pompolit.cases.duplicates import services
from pompolit.cases.duplicates.models import DuplicateCandidate, Verdict
from pompolit.cases.duplicates.testing import person
from pompolit.cases.testing import P
from pompolit.members.models import Member


@pytest.fixture
def twins(db: Any) -> tuple[Any, Any]:
    return (
        person("Колесникова", "Мария", "Александровна", birth=P("1982-04-24")),
        person("Kalesnikava", "Maryia", birth=P("1982-04-24")),
    )


def test_the_scan_stores_pairs_for_review(twins: Any, founders: Any) -> None:
    services.run_scan(founders[0])
    stored = DuplicateCandidate.objects.get()
    assert (stored.person_low, stored.person_high) == tuple(sorted(t.pk for t in twins))
    assert {e["code"] for e in stored.evidence} >= {"name", "birth_exact"}
    assert AuditEntry.objects.filter(action="cases.duplicates_scanned").exists()


def test_a_rejected_pair_never_comes_back(twins: Any, founders: Any) -> None:
    services.run_scan(founders[0])
    # Asked the other way round: the same pair.
    services.decide(founders[0], twins[1].pk, twins[0].pk, Verdict.DIFFERENT)
    assert not DuplicateCandidate.objects.exists()
    services.run_scan(founders[1])
    assert not DuplicateCandidate.objects.exists()
    assert services.queue(founders[1]) == []


def test_an_unsure_pair_stays_in_the_queue_with_its_decision(twins: Any, founders: Any) -> None:
    services.run_scan(founders[0])
    services.decide(founders[0], twins[0].pk, twins[1].pk, Verdict.UNSURE)
    services.run_scan(founders[0])
    [item] = services.queue(founders[0])
    assert item.verdict == Verdict.UNSURE


def test_the_latest_decision_counts_and_each_is_audited(twins: Any, founders: Any) -> None:
    services.decide(founders[0], twins[0].pk, twins[1].pk, Verdict.DIFFERENT)
    services.decide(founders[1], twins[1].pk, twins[0].pk, Verdict.UNSURE)
    assert services.decision_for(twins[0].pk, twins[1].pk) == Verdict.UNSURE
    entries = AuditEntry.objects.filter(action="cases.duplicate_decided").order_by("seq")
    assert [e.details["verdict"] for e in entries] == ["different", "unsure"]
    assert "Колесникова" not in str([e.details for e in entries])


def test_only_coordinators_decide_and_scan(twins: Any, worker: Member) -> None:
    with pytest.raises(PermissionDenied):
        services.decide(worker, twins[0].pk, twins[1].pk, Verdict.SAME)
    with pytest.raises(PermissionDenied):
        services.run_scan(worker)
    with pytest.raises(PermissionDenied):
        services.queue(worker)
