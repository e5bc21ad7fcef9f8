"""The approval page of an expense's payment: the second treasurer reads the payee's category,
the amount, the fund and its balance before and after, and finds the receipts a link away;
what the submitter typed (payee, description) stays on the expense's page, an audited read."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.expenses.models import Expense
from pompolit.members import approvals
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


@pytest.fixture
def payment_request(treasurer, make_member, client_for, donate, lawyers, unsealed_vault,
                    settings):
    """Анна submits a 25 000 ₽ lawyer's fee with its invoice; Мария asks to pay it."""
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"
    donate("200000", "RUB", fund=lawyers)
    submitter = make_member("Анна Якимова", Role.TREASURER)
    client_for(submitter).post(reverse("expense_new"), {
        "incurred_on": "2025-03-20", "amount": "25 000", "currency": "RUB", "fund": "lawyers",
        "account": "expenses:legal", "category": "lawyer", "case_ref": "",
        "description": "Гонорар за апелляцию", "payee": "Адвокат Стасов", "token": "t-1",
        "attachments": SimpleUploadedFile("счёт.pdf", PDF, "application/pdf")})
    expense = Expense.objects.get()
    return expense, expenses.request_payment(treasurer, expense,
                                             date=datetime.date(2025, 4, 2))


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_second_treasurer_sees_what_is_paid_from_which_fund(
    make_member, client_for, payment_request
):
    expense, request = payment_request
    approver = make_member("Геся Гельфман", Role.TREASURER)
    response = client_for(approver).get(reverse("approval_detail", args=[request.pk]))
    page, html = _text(response), response.content.decode()

    assert response.context["can_decide"]
    assert "Pay RUB 25,000.00 for lawyer from the fund" in page
    assert "Адвокаты для фигурантов «дела Сети»" in page
    assert "RUB 200,000.00" in page and "RUB 175,000.00" in page
    assert "1 receipt attached" in page
    # The receipts are on the expense's page, which a treasurer may open.
    assert f'href="{reverse("expense_detail", args=[expense.pk])}"' in html
    # What was typed is not copied here (reading it is audited, on the expense's page).
    assert "Адвокат Стасов" not in page


def test_the_fund_check_and_after_payment_the_past_tense(
    make_member, client_for, payment_request
):
    _expense, request = payment_request
    approver = make_member("Геся Гельфман", Role.TREASURER)
    client = client_for(approver)
    page = _text(client.get(reverse("approval_detail", args=[request.pk])))
    assert "The fund “Адвокаты для фигурантов «дела Сети»” can pay it." in page
    assert "What will happen" in page

    approvals.approve(request.pk, approver, seen_digest=request.payload_digest)
    page = _text(client.get(reverse("approval_detail", args=[request.pk])))
    assert "What happened" in page and "What will happen" not in page
    assert "Approved by Геся Гельфман on" in page
    assert "Fund balance after" not in page
