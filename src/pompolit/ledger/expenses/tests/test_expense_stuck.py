"""Issue 13, point 2: an approved expense its fund could not pay is not stuck forever — the
submission warns, the requester or any treasurer pays it once the money is in (or withdraws
it), and the stored reason reads in the reader's language."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pompolit.ledger import services
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.expenses.models import Expense, ExpensePayment
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest
from pompolit.members.roles import Role

APRIL = datetime.date(2025, 4, 2)


@pytest.fixture
def kassir(make_member):
    return make_member("Анна Корба", Role.TREASURER)


@pytest.fixture
def third(make_member):
    return make_member("Геся Гельфман", Role.TREASURER)


@pytest.fixture
def client_for():
    def make(member, language="en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(member)
        client.cookies["django_language"] = language
        return client
    return make


@pytest.fixture
def short(treasurer, lawyers, donate, unsealed_vault, settings):
    """A 25 000 RUB lawyer's fee from a fund holding 3 000 RUB, asked for and approved."""
    settings.POMPOLIT_EXPENSE_APPROVAL_THRESHOLD = "10000"
    donate("3000", "RUB", fund=lawyers)
    return expenses.submit_expense(
        treasurer, incurred_on=datetime.date(2025, 3, 20),
        amount=services.money("25000", "RUB"), fund=lawyers,
        account=services.account("expenses:legal"), category="lawyer",
        description="Гонорар адвоката Стасова за апелляцию")


def _approve(expense, requester, approver):
    request = expenses.request_payment(requester, expense, date=APRIL)
    with pytest.raises(ValidationError):
        approvals.approve(request.pk, approver, seen_digest=request.payload_digest)
    request.refresh_from_db()
    return request


def test_a_short_fund_leaves_the_request_approved_with_its_reason_by_code(
    short, treasurer, kassir
):
    request = _approve(short, treasurer, kassir)
    assert request.status == ApprovalRequest.Status.APPROVED
    assert expenses.status(short) == "approved"
    assert "ledger.expense_fund_short" in request.last_error
    assert "Адвокаты" in request.last_error and "has only" not in request.last_error
    with translation.override("en"):
        english = approvals.error_text(request)
    with translation.override("ru"):
        russian = approvals.error_text(request)
    assert "has only 3000.00 RUB" in english and "25000.00 RUB" in english
    assert "только 3000.00 RUB" in russian and "25000.00 RUB" in russian


def test_an_older_rows_stored_text_shows_as_it_is(short, treasurer, kassir):
    request = _approve(short, treasurer, kassir)
    ApprovalRequest.objects.filter(pk=request.pk).update(
        last_error="В целевом фонде «Адвокаты» только 3000.00 RUB")
    request.refresh_from_db()
    assert approvals.error_text(request) == "В целевом фонде «Адвокаты» только 3000.00 RUB"


def test_the_requester_pays_once_the_money_is_in(short, treasurer, kassir, donate, lawyers):
    _approve(short, treasurer, kassir)
    with pytest.raises(ValidationError, match="has only"):
        expenses.retry_payment(treasurer, short)
    donate("30000", "RUB", fund=lawyers)
    request = expenses.retry_payment(treasurer, short)
    assert request.status == ApprovalRequest.Status.EXECUTED and request.last_error == ""
    payment = ExpensePayment.objects.get(expense=short)
    assert payment.approved_by == kassir and payment.paid_by == treasurer
    assert expenses.status(short) == "paid"


def test_another_treasurer_pays_it_but_a_case_worker_may_not(
    short, treasurer, kassir, third, donate, lawyers, make_member
):
    _approve(short, treasurer, kassir)
    donate("30000", "RUB", fund=lawyers)
    worker = make_member("Николай Суханов", Role.CASE_WORKER)
    with pytest.raises(PermissionDenied):
        expenses.retry_payment(worker, short)
    expenses.retry_payment(third, short)
    assert ExpensePayment.objects.get(expense=short).approved_by == kassir


def test_withdrawing_leaves_it_unpaid_and_it_may_be_asked_for_again(
    short, treasurer, kassir
):
    request = _approve(short, treasurer, kassir)
    with pytest.raises(ValidationError, match="already approved"):
        expenses.request_payment(treasurer, short, date=APRIL)
    expenses.withdraw_payment(kassir, short)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.WITHDRAWN
    assert expenses.status(short) == "submitted"
    with pytest.raises(ValidationError, match="No approved payment"):
        expenses.retry_payment(treasurer, short)
    expenses.request_payment(treasurer, short, date=APRIL)
    assert not ExpensePayment.objects.exists()


def test_the_form_lists_the_funds_and_the_submission_warns_without_refusing(
    treasurer, lawyers, donate, client_for, unsealed_vault
):
    donate("3000", "RUB", fund=lawyers)
    client = client_for(treasurer)
    page = client.get(reverse("expense_new")).content.decode()
    assert "What the restricted funds hold" in page and "Адвокаты" in page
    response = client.post(reverse("expense_new"), {
        "incurred_on": "2025-03-20", "amount": "25 000", "currency": "RUB", "fund": "lawyers",
        "account": "expenses:legal", "category": "lawyer", "case_ref": "",
        "description": "Гонорар", "payee": "Адвокат Стасов", "token": "short-1"}, follow=True)
    text = response.content.decode()
    assert Expense.objects.count() == 1, re.findall(r"error.{0,300}", text)
    assert "has only" in text and "less than this expense" in text


def test_the_expense_page_shows_the_reason_in_each_language_and_pays_again(
    short, treasurer, kassir, donate, lawyers, client_for
):
    _approve(short, treasurer, kassir)
    url = reverse("expense_detail", kwargs={"expense": short.pk})
    english = client_for(treasurer).get(url).content.decode()
    assert "Approved, not paid yet" in english and "has only" in english
    assert "Pay now" in english
    russian = client_for(kassir, "ru").get(url).content.decode()
    assert "Одобрен, ещё не оплачен" in russian and "только" in russian
    assert "has only" not in russian
    donate("30000", "RUB", fund=lawyers)
    response = client_for(kassir).post(
        reverse("expense_retry", kwargs={"expense": short.pk}), follow=True)
    assert "Paid and posted to the books." in response.content.decode()
    assert expenses.status(short) == "paid"


def test_the_withdraw_button(short, treasurer, kassir, client_for):
    _approve(short, treasurer, kassir)
    response = client_for(treasurer).post(
        reverse("expense_withdraw", kwargs={"expense": short.pk}), follow=True)
    assert "was withdrawn" in response.content.decode()
    assert expenses.status(short) == "submitted"


def test_the_approval_pages_retry_works_through_the_service_for_a_treasurer(
    short, treasurer, kassir, donate, lawyers
):
    request = _approve(short, treasurer, kassir)
    donate("30000", "RUB", fund=lawyers)
    assert approvals.can_retry(request, kassir) and approvals.can_retry(request, treasurer)
    approvals.retry(request.pk, kassir)
    assert expenses.status(short) == "paid"


def test_a_coordinator_may_not_retry_a_payment(short, treasurer, kassir, founders):
    request = _approve(short, treasurer, kassir)
    coordinator = founders[0]
    assert not approvals.can_retry(request, coordinator)
    with pytest.raises(approvals.ApprovalError):
        approvals.retry(request.pk, coordinator)


def test_the_approval_page_shows_the_reason_in_the_readers_language_and_its_retry_button(
    short, treasurer, kassir, donate, lawyers, client_for, founders
):
    request = _approve(short, treasurer, kassir)
    url = reverse("approval_detail", kwargs={"pk": request.pk})
    english = client_for(treasurer).get(url).content.decode()
    assert "has only" in english and "ledger.expense_fund_short" not in english
    assert reverse("approval_retry", kwargs={"pk": request.pk}) in english
    russian = client_for(kassir, "ru").get(url).content.decode()
    assert "только" in russian and "has only" not in russian
    # A coordinator may not approve a payment, so sees no such request at all.
    assert client_for(founders[0]).get(url).status_code == 404
    assert client_for(founders[0]).post(
        reverse("approval_retry", kwargs={"pk": request.pk})).status_code == 404
    donate("30000", "RUB", fund=lawyers)
    response = client_for(treasurer).post(
        reverse("approval_retry", kwargs={"pk": request.pk}), follow=True)
    assert "Carried out." in response.content.decode()
    assert expenses.status(short) == "paid"
