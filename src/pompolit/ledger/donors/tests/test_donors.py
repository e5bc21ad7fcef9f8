"""Donor identities (ledger/donors.py): the bulk export needs a second person and is
downloaded once, spreadsheet-safe and audited; forgetting deletes the identity while the
donation, its entry and its leaf stay — and the receipt code still verifies."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from pompolit.audit.models import AuditEntry
from pompolit.ledger.donors import services as donors
from pompolit.ledger.models import Donation, DonorIdentity, Entry
from pompolit.ledger.statements import services as statements
from pompolit.ledger.verify import verify_books
from pompolit.members import approvals
from pompolit.members.approvals import ApprovalError
from pompolit.members.models import ApprovalRequest
from pompolit.members.roles import Role
from pompolit.tlog import services as tlog
from pompolit.vault.keys import services as vault


@pytest.fixture
def coordinator(founders):
    return founders[0]


@pytest.fixture
def gifts(donate, unsealed_vault, lawyers, appeal):
    return [
        donate("5000", "RUB", donor_name="Лев Тихомиров", donor_contact="@tikhomirov"),
        donate("1", "RUB"),  # anonymous: no identity
        donate("120.50", "EUR", fund=lawyers, campaign=appeal, donor_name="=HYPERLINK(\"x\")",
               donor_contact="+7 999 123-45-67"),
        donate("0.5", "USDT", channel="crypto", donor_name="Вера Фигнер"),
    ]


def _approve(request, approver):
    return approvals.approve(request.pk, approver, seen_digest=request.payload_digest)


def test_export_asked_approved_by_a_coordinator_and_downloaded_once(gifts, treasurer,
                                                                    coordinator):
    request = donors.request_export(treasurer, reason="Благодарственные письма за 2025 год")
    assert donors.pending_for(treasurer) == [request]
    assert donors.ready_for(treasurer) == []
    _approve(request, coordinator)
    [ticket] = donors.ready_for(treasurer)
    data, name = donors.download_export(treasurer, ticket.pk)
    assert name.startswith("donors-") and name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["entry"], r["amount"], r["currency"], r["name"]) for r in rows] == [
        ("0", "5000.00", "RUB", "Лев Тихомиров"),
        ("2", "120.50", "EUR", "'=HYPERLINK(\"x\")"),
        ("3", "0.500000", "USDT", "Вера Фигнер"),
    ]
    assert rows[1]["contact"] == "'+7 999 123-45-67"
    assert (rows[1]["fund"], rows[1]["campaign"], rows[2]["channel"]) == (
        "lawyers", "appeal-2025", "crypto")
    exported = AuditEntry.objects.get(action="ledger.donor_identities_exported")
    assert exported.actor_id == treasurer.pk and exported.details["identities"] == 3
    assert AuditEntry.objects.filter(action="read.sensitive", actor_id=treasurer.pk).exists()
    assert "Тихомиров" not in str(list(AuditEntry.objects.values_list("details", flat=True)))
    with pytest.raises(ValidationError, match="already downloaded"):
        donors.download_export(treasurer, ticket.pk)
    assert donors.ready_for(treasurer) == []


def test_the_requester_never_approves_and_no_one_else_downloads(gifts, treasurer, make_member,
                                                                coordinator):
    request = donors.request_export(treasurer, reason="налоговые квитанции")
    with pytest.raises(ApprovalError):
        _approve(request, treasurer)
    other_treasurer = make_member("Людмила Волкенштейн", Role.TREASURER, Role.COORDINATOR)
    _approve(request, other_treasurer)
    [ticket] = donors.ready_for(treasurer)
    with pytest.raises(PermissionDenied):
        donors.download_export(other_treasurer, ticket.pk)
    with pytest.raises(PermissionDenied):
        donors.download_export(coordinator, ticket.pk)  # not a treasurer at all


def test_a_treasurer_who_is_also_a_coordinator_cannot_approve_their_own(gifts, make_member):
    both = make_member("Людмила Волкенштейн", Role.TREASURER, Role.COORDINATOR)
    request = donors.request_export(both, reason="благодарности")
    assert not approvals.can_decide(request, both)
    with pytest.raises(ApprovalError):
        _approve(request, both)
    assert not donors.ready_for(both)


def test_asking_needs_a_reason_and_the_treasurer_role(treasurer, make_member):
    with pytest.raises(ValidationError) as refused:
        donors.request_export(treasurer, reason="  ")
    assert "reason" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        donors.request_export(make_member("Михаил Фроленко", Role.AUDITOR), reason="хочу")
    assert not ApprovalRequest.objects.filter(action=donors.ACTION).exists()


def test_a_sealed_vault_refuses_the_download_without_using_it_up(gifts, treasurer,
                                                                 coordinator):
    request = donors.request_export(treasurer, reason="благодарности")
    _approve(request, coordinator)
    [ticket] = donors.ready_for(treasurer)
    vault.seal()
    with pytest.raises(ValidationError, match="cannot be read now"):
        donors.download_export(treasurer, ticket.pk)
    assert donors.ready_for(treasurer) == [ticket]


def test_forgetting_keeps_the_donation_entry_and_leaf_and_the_receipt_verifies(
        gifts, treasurer, log_signing_key):
    tlog.sign_checkpoint("ledger")
    code = gifts[0].code
    donation = donors.find_donation(code.lower())
    assert donation == gifts[0].donation
    leaves_before = list(tlog.entries(tlog.find_log("ledger"), 0, 4))
    donors.forget_identity(treasurer, donation)
    assert not DonorIdentity.objects.filter(donation=donation).exists()
    assert DonorIdentity.objects.count() == 2
    assert donors.read_donor_identity(treasurer, donation) is None
    assert Donation.objects.count() == 4 and Entry.objects.count() == 4
    assert list(tlog.entries(tlog.find_log("ledger"), 0, 4)) == leaves_before
    found = statements.check_donation(code)
    assert found is not None and str(found.amount) == "5000.00 RUB" and found.proof is not None
    assert verify_books().ok
    audit = AuditEntry.objects.get(action="ledger.donor_identity_forgotten")
    assert audit.details == {"entry": 0} and audit.actor_id == treasurer.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_donoridentity WHERE donation_id = %s",
                       [donation.pk])
        assert cursor.fetchone()[0] == 0
    with pytest.raises(ValidationError, match="nothing to forget"):
        donors.forget_identity(treasurer, donation)


def test_finding_a_donation_by_entry_number_or_code(gifts):
    assert donors.find_donation("#2") == gifts[2].donation
    assert donors.find_donation(" 3 ") == gifts[3].donation
    with pytest.raises(ValidationError, match="No donation is entry #99"):
        donors.find_donation("99")
    with pytest.raises(ValidationError, match="typing mistake"):
        donors.find_donation(gifts[0].code[:-1] + ("0" if gifts[0].code[-1] != "0" else "1"))
    with pytest.raises(ValidationError):
        donors.find_donation("не код")


def test_only_a_treasurer_forgets(gifts, make_member):
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        donors.forget_identity(auditor, gifts[0].donation)
    assert DonorIdentity.objects.count() == 3
