"""Pages name funds and accounts, in the reader's language: the payment's approval page, the
expense's page and list, the journal and the balances show no fund code (`lawyers`,
`general`) and no account code (`expenses:legal`) — only the folded "exactly what will run"
keeps the payload as it is stored."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pompolit.ledger import services
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.expenses.models import Expense, ExpenseCategory
from pompolit.ledger.models import Channel, FundKind
from pompolit.members.roles import Role
from pompolit.members.testing import PASSWORD

PDF = b"%PDF-1.4\n%%EOF\n"
CODES = ("lawyers", "general", "expenses:legal", "assets:bank", "income:donations", "bank_transfer")
NAMES = {
    "en": ("General fund", "Lawyers", "Bank account"),
    "ru": ("Общий фонд", "Адвокаты", "Банковский счёт"),
}


def reader(member, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.post("/accounts/login/", {"login": member.pseudonym, "password": PASSWORD})
    client.force_login(member)
    client.cookies["django_language"] = language
    return client


def shown(response):
    """The page's main part as a reader sees it, without the folded stored request."""
    html = response.content.decode().split("<main", 1)[1]
    html = re.sub(r'<details class="card exact">.*?</details>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_no_codes(text):
    for code in CODES:
        assert not re.search(rf"(?<![\w:/-]){re.escape(code)}(?![\w:-])", text), code


@pytest.fixture
def books(treasurer, make_member, donate, unsealed_vault, settings):
    """A fund the treasurer named, and a 25 000 ₽ lawyer's fee from it waiting for a second
    treasurer; the general fund keeps the name the system gave it."""
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"
    fund = services.create_fund(
        treasurer,
        code="lawyers",
        name="Защита Юлии Цветковой",
        kind=FundKind.PURPOSE,
        purpose="expenses:legal",
    )
    donate("200000", "RUB", fund=fund)
    services.record_donation(
        treasurer,
        date=datetime.date(2025, 3, 3),
        amount=services.money("5000", "RUB"),
        fund=services.fund("general"),
        channel=Channel.BANK_TRANSFER,
    )
    submitter = make_member("Анна Якимова", Role.TREASURER)
    reader(submitter, "en").post(
        reverse("expense_new"),
        {
            "incurred_on": "2025-03-20",
            "amount": "25 000",
            "currency": "RUB",
            "fund": "lawyers",
            "account": "expenses:legal",
            "category": ExpenseCategory.LAWYER,
            "case_ref": "",
            "description": "Гонорар за апелляцию",
            "payee": "Адвокат Стасов",
            "token": "t-1",
            "attachments": SimpleUploadedFile("счёт.pdf", PDF, "application/pdf"),
        },
    )
    expense = Expense.objects.get()
    request = expenses.request_payment(treasurer, expense, date=datetime.date(2025, 4, 2))
    return expense, request, make_member("Геся Гельфман", Role.TREASURER)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_payments_approval_page_names_the_fund_and_the_account(books, language):
    _expense, request, approver = books
    _general, legal, _bank = NAMES[language]

    text = shown(reader(approver, language).get(reverse("approval_detail", args=[request.pk])))

    assert "Защита Юлии Цветковой" in text and legal in text
    assert_no_codes(text)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_expense_its_list_the_journal_and_the_balances_name_funds_and_accounts(
    books, treasurer, language
):
    expense, _request, _approver = books
    general, legal, bank = NAMES[language]
    client = reader(treasurer, language)

    detail = shown(client.get(reverse("expense_detail", args=[expense.pk])))
    listing = shown(client.get(reverse("expense_list")))
    journal = shown(client.get(reverse("journal")))
    balances = shown(client.get(reverse("ledger_balances")))

    assert legal in detail and "Защита Юлии Цветковой" in listing
    assert bank in journal and general in journal and general in balances
    for text in (detail, listing, journal, balances):
        assert_no_codes(text)
