"""record_donation and "check my donation": private receipts, optional encrypted donor,
and an inclusion proof the donor can check against the signed checkpoint."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pompolit.transparency.bundle import verify_inclusion_document

from pompolit.audit.models import AuditEntry
from pompolit.ledger import receipts, services
from pompolit.ledger.donors import services as donors
from pompolit.ledger.models import Donation, DonorIdentity, Entry
from pompolit.ledger.receipts import ReceiptCodeError
from pompolit.ledger.statements import services as statements
from pompolit.ledger.testing import MARCH
from pompolit.members.roles import Role
from pompolit.tlog import services as tlog
from pompolit.tlog.models import Log


def test_the_leaf_carries_only_the_one_way_receipt_id(donate, appeal):
    recorded = donate("250", "EUR", campaign=appeal, channel="foreign_chapter")
    leaf = json.loads(next(iter(tlog.entries(Log.objects.get(name="ledger")))))
    assert leaf["receipt"] == receipts.receipt_id(recorded.code)
    assert recorded.code not in json.dumps(leaf)
    assert leaf["campaign"] == "appeal-2025" and leaf["channel"] == "foreign_chapter"
    assert leaf["postings"][0]["account"] == "assets:foreign-chapters"
    assert Donation.objects.get().receipt_id == leaf["receipt"]


def test_no_donor_identity_is_kept_by_default(donate):
    donate("500", "RUB", memo="")
    assert not DonorIdentity.objects.exists()


def test_a_donor_identity_is_encrypted_and_read_only_through_an_audited_read(
    donate, unsealed_vault, treasurer, make_member
):
    from django.db import connection

    recorded = donate("5000", "RUB", donor_name="Лев Тихомиров", donor_contact="@tikhomirov")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, contact FROM ledger_donoridentity")
        stored = cursor.fetchone()
    assert "Тихомиров" not in str(stored) and "tikhomirov" not in str(stored)
    assert donors.read_donor_identity(treasurer, recorded.donation) == (
        "Лев Тихомиров", "@tikhomirov"
    )
    read = AuditEntry.objects.get(action="read.sensitive")
    assert read.actor_id == treasurer.pk and read.details == {"fields": ["contact", "name"]}
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        donors.read_donor_identity(auditor, recorded.donation)


def test_a_sealed_vault_refuses_the_identity_and_records_nothing(donate, vault_shares):
    with pytest.raises(ValidationError) as refused:
        donate("5000", "RUB", donor_name="Лев Тихомиров")
    assert "donor_name" in refused.value.error_dict
    assert not Entry.objects.exists() and not Donation.objects.exists()
    assert not Log.objects.filter(name="ledger", size__gt=0).exists()


def test_a_resubmitted_form_records_no_second_donation(donate):
    donate("100", "RUB", submission_token="token-1")
    with pytest.raises(ValidationError, match="already sent"):
        donate("100", "RUB", submission_token="token-1")
    assert Donation.objects.count() == 1


def test_a_donation_must_be_positive_and_in_a_known_currency(donate):
    with pytest.raises(ValidationError, match="more than zero"):
        donate("0", "RUB")
    with pytest.raises(ValidationError, match="Unknown currency XBT"):
        donate("1", "XBT")


def test_check_my_donation_with_an_inclusion_proof(donate, lawyers, log_signing_key):
    donate("100", "RUB")
    mine = donate("1 500,50", "RUB", fund=lawyers)
    donate("7", "USD")
    before = statements.check_donation(mine.code)
    assert before is not None and before.proof is None  # no signed checkpoint yet
    tlog.sign_checkpoint("ledger")
    found = statements.check_donation(receipts.grouped(mine.code).lower())
    assert found is not None
    assert str(found.amount) == "1500.50 RUB"
    assert found.date == "2025-03" and found.fund == lawyers and not found.reversed
    checkpoint = verify_inclusion_document(found.proof, log_signing_key)
    assert checkpoint.size == 3 and found.proof["index"] == 1


def test_check_shows_a_reversed_donation_as_reversed(donate, treasurer):
    mine = donate("100", "RUB")
    services.reverse_entry(treasurer, mine.donation.entry, date=MARCH)
    assert statements.check_donation(mine.code).reversed


def test_check_refuses_a_typo_and_finds_nothing_for_an_unknown_code(donate):
    mine = donate("100", "RUB")
    typo = ("1" if mine.code[3] != "1" else "2").join([mine.code[:3], mine.code[4:]])
    with pytest.raises(ReceiptCodeError):
        statements.check_donation(typo)
    assert statements.check_donation(receipts.new_code()) is None
