"""Expense pages: submit with receipts, pay below the threshold, ask above it; the submitter
cannot approve on the approvals page either."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pompolit.ledger.expenses.models import Expense, ExpenseAttachment, ExpensePayment
from pompolit.members.models import ApprovalRequest
from pompolit.members.roles import Role
from pompolit.members.testing import PASSWORD

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def client_for():
    def make(member):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.post("/accounts/login/", {"login": member.pseudonym, "password": PASSWORD})
        client.force_login(member)
        client.cookies["django_language"] = "en"
        return client
    return make


def form(**changes):
    data = {"incurred_on": "2025-03-20", "amount": "25 000", "currency": "RUB",
            "fund": "lawyers", "account": "expenses:legal", "category": "lawyer",
            "case_ref": "", "description": "Гонорар за апелляцию", "payee": "Адвокат Стасов",
            "token": "t-" + str(len(changes)) + str(sorted(changes.items()))}
    data.update(changes)
    return data


@pytest.fixture
def funded(donate, lawyers):
    donate("200000", "RUB", fund=lawyers)
    return lawyers


def test_a_case_worker_submits_with_a_receipt_and_the_form_keeps_what_was_typed(
    make_member, client_for, funded, unsealed_vault
):
    worker = make_member("Николай Суханов", Role.CASE_WORKER)
    client = client_for(worker)
    bad = client.post(reverse("expense_new"), form(amount="abc"))
    assert bad.status_code == 200 and "Гонорар за апелляцию" in bad.content.decode()
    response = client.post(reverse("expense_new"), {
        **form(), "attachments": SimpleUploadedFile("счёт.pdf", PDF, "application/pdf")})
    assert response.status_code == 302, re.findall(r"error.{0,300}", response.content.decode())
    expense = Expense.objects.get()
    assert ExpenseAttachment.objects.get(expense=expense).file.name == "attachment-1.pdf"
    page = client.get(reverse("expense_detail", kwargs={"expense": expense.pk}))
    assert "Адвокат Стасов" in page.content.decode()
    other = make_member("Другой работник", Role.CASE_WORKER)
    assert client_for(other).get(
        reverse("expense_detail", kwargs={"expense": expense.pk})).status_code == 404


def test_the_pay_button_pays_small_expenses_and_asks_for_large_ones(
    treasurer, client_for, funded, unsealed_vault, settings
):
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"
    client = client_for(treasurer)
    client.post(reverse("expense_new"), form(amount="5000", token="a"))
    client.post(reverse("expense_new"), form(amount="50000", token="b"))
    small, large = Expense.objects.order_by("pk")
    pay = {"date": "2025-04-02", "from_account": "assets:bank"}
    client.post(reverse("expense_pay", kwargs={"expense": small.pk}), pay)
    client.post(reverse("expense_pay", kwargs={"expense": large.pk}), pay)
    assert ExpensePayment.objects.filter(expense=small).exists()
    assert not ExpensePayment.objects.filter(expense=large).exists()
    assert ApprovalRequest.objects.filter(action="pay_expense").count() == 1


def test_the_submitter_cannot_approve_on_the_approvals_page(
    treasurer, make_member, client_for, funded, unsealed_vault
):
    submitter = make_member("Анна Якимова", Role.TREASURER)
    client_for(submitter).post(reverse("expense_new"), form(amount="50000", token="c"))
    expense = Expense.objects.get()
    client_for(treasurer).post(reverse("expense_pay", kwargs={"expense": expense.pk}),
                               {"date": "2025-04-02", "from_account": "assets:bank"})
    request = ApprovalRequest.objects.get(action="pay_expense")
    client = client_for(submitter)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post(reverse("approval_decide", kwargs={"pk": request.pk}),
                           {"decision": "approve", "digest": request.payload_digest,
                            "note": ""}, follow=True)
    assert response.status_code == 200
    assert "cannot approve its payment" in response.content.decode()
    assert not ExpensePayment.objects.exists()


def test_bulk_pay_page(treasurer, client_for, funded, unsealed_vault):
    client = client_for(treasurer)
    client.post(reverse("expense_new"), form(amount="5000", token="d"))
    client.post(reverse("expense_new"), form(amount="50000", token="e"))
    ids = [str(pk) for pk in Expense.objects.values_list("pk", flat=True)]
    client.post(reverse("expense_pay_many"), {"expense": ids})
    assert ExpensePayment.objects.count() == 1
    assert ApprovalRequest.objects.filter(action="pay_expense").count() == 1
