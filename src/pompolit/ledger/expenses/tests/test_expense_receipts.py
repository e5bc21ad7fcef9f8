"""Issue 13, point 7: an expense's receipts open from its page — for those who may see the
expense, decrypted for the response only; anyone else is refused."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from PIL import Image

from pompolit.audit.models import AuditEntry
from pompolit.ledger import services
from pompolit.ledger.expenses import services as expenses
from pompolit.members.roles import Role
from pompolit.vault.fields.files import Upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def worker(make_member):
    return make_member("Николай Суханов", Role.CASE_WORKER)


@pytest.fixture
def expense(worker, lawyers, unsealed_vault):
    return expenses.submit_expense(
        worker, incurred_on=datetime.date(2025, 3, 20),
        amount=services.money("4500", "RUB"), fund=lawyers,
        account=services.account("expenses:legal"), category="lawyer",
        attachments=[Upload("чек.jpg", _photo(), "image/jpeg"),
                     Upload("счёт адвоката.pdf", PDF, "application/pdf")])


def _client(member):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)
    return client


def _receipt(expense, number):
    return reverse("expense_receipt", kwargs={"expense": expense.pk, "number": number})


def test_the_expense_page_links_its_receipts(expense, treasurer):
    page = _client(treasurer).get(
        reverse("expense_detail", kwargs={"expense": expense.pk})).content.decode()
    assert _receipt(expense, 1) in page and _receipt(expense, 2) in page


def test_a_treasurer_sees_the_image_inline_and_downloads_the_pdf(expense, treasurer):
    client = _client(treasurer)
    image = client.get(_receipt(expense, 1))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert image["Content-Disposition"].startswith("inline")
    assert image.content.startswith(b"\xff\xd8\xff")
    assert "no-store" in image["Cache-Control"]
    pdf = client.get(_receipt(expense, 2))
    assert pdf.status_code == 200 and pdf.content == PDF
    assert pdf["Content-Disposition"] == 'attachment; filename="attachment-2.pdf"'
    reads = AuditEntry.objects.filter(action="read.sensitive",
                                      object_type="ledger.expenseattachment")
    assert reads.count() == 2


def test_the_submitter_sees_their_receipt(expense, worker):
    assert _client(worker).get(_receipt(expense, 2)).status_code == 200


def test_an_outsider_is_refused_and_a_missing_receipt_is_not_found(
    expense, treasurer, make_member
):
    other = make_member("Другой работник", Role.CASE_WORKER)
    assert _client(other).get(_receipt(expense, 1)).status_code == 404
    with pytest.raises(PermissionDenied):
        expenses.receipt(other, expense, 1)
    coordinator = make_member("Вера Засулич", Role.COORDINATOR)
    assert _client(coordinator).get(_receipt(expense, 1)).status_code in {403, 404}
    assert _client(treasurer).get(_receipt(expense, 3)).status_code == 404
