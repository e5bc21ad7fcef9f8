"""Correcting a donation: its reversal (with the reason) and the corrected donation, both leaves
of the log; above the threshold only after a second treasurer approves — never the requester."""

import datetime
import re

import pytest
from django.urls import reverse

from pompolit.ledger import conf, receipts
from pompolit.ledger.donors.models import DonorIdentity
from pompolit.ledger.models import Donation, Entry, EntryKind, EntryNote, FundBalance
from pompolit.members import approvals
from pompolit.members.approvals import ApprovalError
from pompolit.members.models import ApprovalRequest
from pompolit.members.roles import Role
from pompolit.tlog.models import Log

MARCH = datetime.date(2025, 3, 14)


def form(donation, **changes):
    data = {"date": "2025-03-14", "amount": "1500", "currency": "RUB", "fund": "general",
            "channel": "bank_transfer", "campaign": "", "reason": "лишний ноль в сумме",
            "token": "t-" + receipts.new_code()}
    data.update(changes)
    return data


def log_size():
    return Log.objects.get(name=conf.LOG_NAME).size


@pytest.fixture
def threshold(settings):
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"


def test_the_form_is_prefilled_with_the_old_donation(treasurer, client_for, donate, lawyers,
                                                     appeal, threshold, unsealed_vault):
    donation = donate("250", "EUR", fund=lawyers, channel="card", campaign=appeal).donation
    html = client_for(treasurer).get(
        reverse("donation_correct", kwargs={"donation": donation.pk})).content.decode()
    assert 'value="250.00"' in html and 'value="14 Mar 2025"' in html
    assert re.search(r'<option value="EUR" selected>', html)
    assert re.search(r'<option value="lawyers" selected>', html)
    assert re.search(r'<option value="card" selected>', html)
    assert re.search(r'<option value="appeal-2025" selected>', html)


def test_below_the_threshold_one_treasurer_reverses_and_records_the_corrected_donation(
    treasurer, client_for, donate, threshold, unsealed_vault
):
    # 15 000 typed for 1 500: the old amount is above the threshold, so take one below it.
    wrong = donate("5000", "RUB", note="из копилки на ярмарке",
                   donor_name="Лев Тихомиров", donor_contact="@tikhomirov").donation
    size = log_size()
    response = client_for(treasurer).post(
        reverse("donation_correct", kwargs={"donation": wrong.pk}), form(wrong, amount="500"))
    html = response.content.decode()
    assert response.status_code == 200 and "Donation corrected" in html, html
    code = re.search(r'id="receipt-code">([0-9A-Z-]+)<', html).group(1)
    reversal = Entry.objects.get(reverses=wrong.entry)
    new = Donation.objects.exclude(pk=wrong.pk).get()
    assert reversal.kind == EntryKind.REVERSAL and reversal.date == MARCH
    assert new.units == 50000 and new.receipt_id == receipts.receipt_id(code)
    # Both are leaves of the log, the reversal first.
    assert log_size() == size + 2
    assert (reversal.leaf_index, new.entry.leaf_index) == (size, size + 1)
    # The reason on the reversal; the note and the donor's identity go with the new donation.
    assert EntryNote.objects.get(entry=reversal).note == "лишний ноль в сумме"
    assert EntryNote.objects.get(entry=new.entry).note == "из копилки на ярмарке"
    assert DonorIdentity.objects.get(donation=new).name == "Лев Тихомиров"
    assert FundBalance.objects.get(fund__code="general", currency_id="RUB").units == 50000
    # The journal shows the reason, and the old donation cannot be corrected twice.
    journal = client_for(treasurer).get(reverse("journal")).content.decode()
    assert "лишний ноль в сумме" in journal
    again = client_for(treasurer).post(
        reverse("donation_correct", kwargs={"donation": wrong.pk}), form(wrong, amount="50"))
    assert again.status_code == 302 and Donation.objects.count() == 2


def test_a_reason_is_required_and_the_typed_values_are_kept(treasurer, client_for, donate,
                                                           threshold, unsealed_vault):
    wrong = donate("5000", "RUB").donation
    response = client_for(treasurer).post(
        reverse("donation_correct", kwargs={"donation": wrong.pk}),
        form(wrong, amount="500", reason=""))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_reason_error"' in html
    assert 'value="500"' in html
    assert not Entry.objects.filter(kind=EntryKind.REVERSAL).exists()


def test_above_the_threshold_a_second_treasurer_must_approve(
    treasurer, client_for, donate, make_member, threshold, unsealed_vault
):
    wrong = donate("15000", "RUB").donation
    size = log_size()
    response = client_for(treasurer).post(
        reverse("donation_correct", kwargs={"donation": wrong.pk}), form(wrong))
    html = response.content.decode()
    assert "Waiting for a second treasurer" in html
    code = re.search(r'id="receipt-code">([0-9A-Z-]+)<', html).group(1)
    request = ApprovalRequest.objects.get(action="ledger.correct_donation")
    assert request.payload["amount"] == "1500 RUB" and request.payload["was"] == "15000.00 RUB"
    assert request.reason == "лишний ноль в сумме"
    assert "лишний" not in str(request.payload)
    assert log_size() == size and not Entry.objects.filter(kind=EntryKind.REVERSAL).exists()
    # A second correction of the same donation waits for this one.
    again = client_for(treasurer).post(
        reverse("donation_correct", kwargs={"donation": wrong.pk}), form(wrong))
    assert b"already waiting" in again.content
    assert b"already waiting" in client_for(treasurer).get(
        reverse("donation_correct", kwargs={"donation": wrong.pk})).content
    # The requester cannot approve it.
    with pytest.raises(ApprovalError):
        approvals.approve(request.pk, treasurer, seen_digest=request.payload_digest)
    second = make_member("Анна Корба", Role.TREASURER)
    approvals.approve(request.pk, second, seen_digest=request.payload_digest)
    reversal = Entry.objects.get(reverses=wrong.entry)
    new = Donation.objects.exclude(pk=wrong.pk).get()
    assert new.units == 150000 and new.receipt_id == receipts.receipt_id(code)
    assert reversal.posted_by == second and log_size() == size + 2
    assert EntryNote.objects.get(entry=reversal).note == "лишний ноль в сумме"
    assert ApprovalRequest.objects.get(pk=request.pk).status == "executed"


def test_a_correction_request_shows_on_the_approvals_page_in_words(
    treasurer, client_for, donate, make_member, threshold, unsealed_vault
):
    wrong = donate("15000", "RUB").donation
    client_for(treasurer).post(reverse("donation_correct", kwargs={"donation": wrong.pk}),
                               form(wrong))
    request = ApprovalRequest.objects.get(action="ledger.correct_donation")
    second = make_member("Анна Корба", Role.TREASURER)
    page = client_for(second).get(reverse("approval_detail", kwargs={"pk": request.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert (f"Correct donation #{wrong.entry.leaf_index}: RUB\xa015,000.00 becomes "
            "RUB\xa01,500.00 (fund “General fund”, received on 14 Mar 2025)") in html, html


def test_a_reversed_donation_or_a_case_worker_cannot_correct(
    treasurer, client_for, donate, make_member, threshold, unsealed_vault
):
    from pompolit.ledger import services

    wrong = donate("5000", "RUB").donation
    services.reverse_entry(treasurer, wrong.entry, date=MARCH, reason="ошибка")
    response = client_for(treasurer).post(
        reverse("donation_correct", kwargs={"donation": wrong.pk}), form(wrong))
    assert response.status_code == 302 and Donation.objects.count() == 1
    worker = make_member("Николай Морозов", Role.CASE_WORKER)
    other = donate("700", "RUB").donation
    assert client_for(worker).post(
        reverse("donation_correct", kwargs={"donation": other.pk}),
        form(other)).status_code == 403


def test_in_a_month_closed_by_a_statement_the_reversal_is_dated_today_and_a_refusal_leaves_nothing(
    treasurer, donate, threshold, unsealed_vault
):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from pompolit.ledger import services
    from pompolit.ledger.journal.services import Corrected, correct_donation
    from pompolit.ledger.statements import services as statements

    wrong = donate("5000", "RUB").donation
    statements.publish(treasurer, "2025-03", today=datetime.date(2025, 4, 5))
    size = log_size()
    in_march = Corrected(date=MARCH, amount=services.money("500", "RUB"),
                         fund=wrong.fund, channel="bank_transfer", campaign=None)
    with pytest.raises(ValidationError, match="closed"):
        correct_donation(treasurer, wrong, in_march, reason="лишний ноль")
    assert log_size() == size and not EntryNote.objects.exists()
    in_april = Corrected(date=datetime.date(2025, 4, 7), amount=services.money("500", "RUB"),
                         fund=wrong.fund, channel="bank_transfer", campaign=None)
    done = correct_donation(treasurer, wrong, in_april, reason="лишний ноль")
    assert done.reversal.date == timezone.localdate()
    assert done.donation.entry.date == datetime.date(2025, 4, 7)
