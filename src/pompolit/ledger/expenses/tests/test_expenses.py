"""Expenses: submitting with receipts, paying below the threshold, and the two-person rule
above it — the submitter never approves, by any path."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from PIL import Image

from pompolit.audit.models import AuditEntry
from pompolit.ledger import services
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.expenses.models import Expense, ExpenseAttachment, ExpensePayment
from pompolit.ledger.models import FundBalance
from pompolit.ledger.rates import services as rates
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest
from pompolit.members.roles import Role
from pompolit.vault.fields.files import Upload

APRIL = datetime.date(2025, 4, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _receipt_photo() -> bytes:
    """A phone photo of a receipt: EXIF naming its owner, a GPS position, a comment."""
    exif = Image.Exif()
    exif[0x013B] = "Owner: Vera Figner"  # Artist
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 2.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "JPEG", exif=exif, comment=b"GPS 55.7558N")
    return out.getvalue()


JPEG = _receipt_photo()


@pytest.fixture
def second_treasurer(make_member):
    return make_member("Анна Корба", Role.TREASURER)


@pytest.fixture
def case_worker(make_member):
    return make_member("Николай Кибальчич", Role.CASE_WORKER)


@pytest.fixture
def funded(donate, lawyers, general):
    donate("200000", "RUB", fund=lawyers)
    donate("50000", "RUB", fund=general)
    return lawyers


@pytest.fixture
def submit(funded, case_worker, unsealed_vault):
    def run(amount="25000", *, actor=None, fund=None, account="expenses:legal", **kwargs):
        kwargs.setdefault("category", "lawyer")
        return expenses.submit_expense(
            actor or case_worker, incurred_on=datetime.date(2025, 3, 20),
            amount=services.money(amount, kwargs.pop("currency", "RUB")),
            fund=fund or funded, account=services.account(account), **kwargs,
        )
    return run


def _balance(fund, currency="RUB"):
    return FundBalance.objects.get(fund=fund, currency_id=currency).units


# -- submitting --------------------------------------------------------------------------------


def test_an_expense_keeps_its_details_and_receipts_encrypted_under_neutral_names(
    submit, case_worker, treasurer
):
    expense = submit(description="Гонорар адвоката за апелляцию", payee="Адвокат Стасов",
                     attachments=[Upload("счёт Стасова.pdf", PDF, "application/pdf"),
                                  Upload("IMG_2041.jpg", JPEG, "image/jpeg")])
    files = [a.file for a in ExpenseAttachment.objects.filter(expense=expense).order_by("pk")]
    assert [f.name for f in files] == ["attachment-1.pdf", "attachment-2.jpg"]
    assert files[0].read() == PDF
    stripped = files[1].read()
    assert b"GPS" not in stripped and b"Figner" not in stripped
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.size == (64, 48) and not image.getexif()
    with connection.cursor() as cursor:
        cursor.execute("SELECT file FROM ledger_expenseattachment")
        stored = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT description, payee FROM ledger_expensedetails")
        stored += " ".join(cursor.fetchone())
    assert "Стасов" not in stored and "attachment" not in stored and "IMG" not in stored
    details = expenses.details_of(treasurer, expense)
    assert details.payee == "Адвокат Стасов"
    assert AuditEntry.objects.filter(action="read.sensitive", actor_id=treasurer.pk).exists()


def test_other_files_and_broken_images_are_refused(submit):
    with pytest.raises(ValidationError, match="neither a PDF nor a JPEG or PNG"):
        submit(attachments=[Upload("x.docx", b"PK\x03\x04zip", "application/zip")])
    with pytest.raises(ValidationError, match="damaged"):
        submit(attachments=[Upload("x.jpg", b"\xff\xd8\xff\xe1\x00\xff", "image/jpeg")])
    assert not Expense.objects.exists()


def test_a_receipt_photo_keeps_its_pixels_and_loses_its_metadata():
    from PIL import PngImagePlugin

    from pompolit.ledger.expenses.attachments import clean_attachment

    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Вера Фигнер"  # Artist
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}  # GPS: Moscow
    Image.new("RGB", (1200, 900), "white").save(photo, "JPEG", exif=exif, comment=b"phone")
    cleaned = clean_attachment(Upload("чек.jpg", photo.getvalue(), "image/jpeg"), 1)
    assert cleaned.name == "attachment-1.jpg"
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert image.size == (1200, 900) and not image.getexif() and "comment" not in image.info
    assert "Фигнер".encode() not in cleaned.data

    png = io.BytesIO()
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Vera")
    Image.new("RGBA", (40, 30), (0, 0, 0, 0)).save(png, "PNG", pnginfo=text)
    cleaned = clean_attachment(Upload("x.png", png.getvalue(), "image/png"), 2)
    assert cleaned.content_type == "image/jpeg" and b"Vera" not in cleaned.data


def test_a_restricted_fund_can_only_be_charged_for_its_purpose_or_its_case(
    submit, parcels_for_case
):
    with pytest.raises(ValidationError, match="restricted to Lawyers"):
        submit(account="expenses:parcels", category="parcel")
    with pytest.raises(ValidationError, match="restricted to case 17"):
        submit(fund=parcels_for_case, account="expenses:parcels", category="parcel",
               case_ref="18")
    assert submit(fund=parcels_for_case, account="expenses:parcels", category="parcel",
                  case_ref="17").case_ref == "17"


def test_only_treasurers_and_case_workers_submit(submit, make_member):
    auditor = make_member("Аудитор", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        submit(actor=auditor)


def test_a_submitted_expense_is_append_only_and_corrected_by_a_new_one(submit, treasurer):
    expense = submit("25000")
    # The trigger: IntegrityError on SQLite, ProgrammingError on PostgreSQL.
    with pytest.raises(DatabaseError), transaction.atomic():
        Expense.objects.filter(pk=expense.pk).update(units=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Expense.objects.filter(pk=expense.pk).delete()
    corrected = submit("24000", supersedes=expense)
    assert expenses.status(expense) == "superseded"
    with pytest.raises(ValidationError, match="corrected by a later expense"):
        expenses.pay_expense(treasurer, expense, date=APRIL)
    with pytest.raises(ValidationError, match="corrected by a later expense"):
        submit("23000", supersedes=expense)
    assert expenses.status(corrected) == "submitted"


# -- paying ------------------------------------------------------------------------------------


def test_below_the_threshold_one_treasurer_pays_and_the_books_show_it(
    submit, treasurer, funded, settings
):
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"
    expense = submit("7500,50")
    payment = expenses.pay_expense(treasurer, expense, date=APRIL)
    assert payment.entry.kind == "expense" and payment.approved_by is None
    assert _balance(funded) == 20000000 - 750050
    assert expenses.status(expense) == "paid"
    with pytest.raises(ValidationError, match="already paid"):
        expenses.pay_expense(treasurer, expense, date=APRIL)
    with pytest.raises(DatabaseError), transaction.atomic():
        ExpensePayment.objects.filter(pk=payment.pk).delete()


def test_a_restricted_fund_never_goes_negative(submit, treasurer, settings):
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "1000000"
    expense = submit("250000")
    with pytest.raises(ValidationError, match=r"has only 200000\.00 RUB"):
        expenses.pay_expense(treasurer, expense, date=APRIL)
    assert not ExpensePayment.objects.exists()


def test_above_the_threshold_paying_at_once_is_refused(submit, treasurer):
    expense = submit("25000")
    with pytest.raises(ValidationError, match="a second treasurer must approve"):
        expenses.pay_expense(treasurer, expense, date=APRIL)


def test_a_foreign_amount_is_compared_in_the_base_currency(submit, treasurer, donate, funded):
    donate("1000", "EUR", fund=funded)
    small, large = submit("80", currency="EUR"), submit("150", currency="EUR")
    assert expenses.needs_approval(small)  # no rate yet: it cannot be shown to be small
    rates.set_rate(treasurer, on=datetime.date(2025, 3, 1), currency_code="EUR",
                      rate=Decimal("98.5"))
    assert expenses.approval_threshold() == services.money("10000", "RUB")
    assert not expenses.needs_approval(small)  # 7 880 RUB
    assert expenses.needs_approval(large)  # 14 775 RUB


def test_a_second_treasurer_approves_and_the_payment_names_both(
    submit, treasurer, second_treasurer, funded
):
    expense = submit("25000")
    request = expenses.request_payment(treasurer, expense, date=APRIL)
    assert expenses.status(expense) == "awaiting_approval"
    approvals.approve(request.pk, second_treasurer, seen_digest=request.payload_digest)
    payment = ExpensePayment.objects.get(expense=expense)
    assert (payment.paid_by, payment.approved_by, payment.approval) == (
        treasurer, second_treasurer, ApprovalRequest.objects.get(pk=request.pk))
    assert payment.entry.posted_by == second_treasurer
    assert _balance(funded) == 20000000 - 2500000


def test_the_requester_cannot_approve_their_own_request(submit, treasurer):
    expense = submit("25000")
    request = expenses.request_payment(treasurer, expense, date=APRIL)
    with pytest.raises(approvals.ApprovalError, match="your own request"):
        approvals.approve(request.pk, treasurer, seen_digest=request.payload_digest)
    assert not ExpensePayment.objects.exists()


def test_the_submitter_cannot_approve_a_payment_someone_else_requested(
    submit, make_member, treasurer, second_treasurer
):
    # The submitter is a treasurer too, and the payment was asked for by another treasurer.
    expense = submit("25000", actor=second_treasurer)
    request = expenses.request_payment(treasurer, expense, date=APRIL)
    with pytest.raises(approvals.ApprovalError, match="submitted an expense cannot approve"):
        approvals.approve(request.pk, second_treasurer, seen_digest=request.payload_digest)
    assert not ExpensePayment.objects.exists()
    # Refused before anything was recorded: the request still waits for a proper approver,
    # and the submitter is not even offered the choice.
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING and request.decided_by is None
    assert not approvals.can_decide(request, second_treasurer)
    # The command line has no way around it either.
    with pytest.raises(CommandError, match="not waiting to be carried out"):
        call_command("approvals", "retry", str(request.pk))
    assert not ExpensePayment.objects.exists()
    # A third treasurer may approve the same request.
    third = make_member("Ольга Любатович", Role.TREASURER)
    assert approvals.can_decide(request, third)
    approvals.approve(request.pk, third, seen_digest=request.payload_digest)
    assert ExpensePayment.objects.get(expense=expense).approved_by == third


def test_the_database_refuses_a_payment_approved_by_its_submitter(submit, treasurer):
    expense = submit("100")
    entry = expenses.pay_expense(treasurer, expense, date=APRIL).entry
    other = submit("100")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpensePayment.objects.create(expense=other, entry=entry,
                                      submitted_by_id=other.submitted_by_id,
                                      paid_by=treasurer, approved_by=other.submitted_by)


def test_bulk_pays_small_ones_and_asks_for_the_large_ones(
    submit, treasurer, second_treasurer
):
    small = submit("3000", actor=treasurer)
    large = submit("30000", actor=treasurer)
    outcome = expenses.pay_or_request(treasurer, [small, large], date=APRIL)
    assert [p.expense for p in outcome.paid] == [small]
    [request] = outcome.requested
    assert not ExpensePayment.objects.filter(expense=large).exists()
    # The submitter (here also the requester) cannot approve; a second treasurer can.
    with pytest.raises(approvals.ApprovalError):
        approvals.approve(request.pk, treasurer, seen_digest=request.payload_digest)
    approvals.approve(request.pk, second_treasurer, seen_digest=request.payload_digest)
    assert ExpensePayment.objects.filter(expense=large).exists()


def test_a_request_must_match_its_expense(submit, treasurer):
    expense = submit("25000")
    payload = {"expense": expense.pk, "date": "2025-04-02", "from_account": "assets:bank",
               "amount": "1.00 RUB", "fund": "lawyers", "account": "expenses:legal",
               "submitted_by": expense.submitted_by_id}
    with pytest.raises(ValidationError, match="does not match"):
        approvals.request_approval(treasurer, expenses.PAY_ACTION, payload)
    payload.update(amount="25000.00 RUB", submitted_by=treasurer.pk)
    with pytest.raises(ValidationError, match="does not match"):
        approvals.request_approval(treasurer, expenses.PAY_ACTION, payload)
