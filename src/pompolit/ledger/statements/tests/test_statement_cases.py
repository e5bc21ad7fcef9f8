"""Expenses per case in the public statements: a line of its own only for a case whose
consent in force allows it (scope "expenses"), under its public id; the verifier recomputes
it from the leaves the statement lists; withdrawn consent → no line in the next statement;
never anything about a donor."""

import csv
import datetime
import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from pompolit.transparency.report import Report
from pompolit.transparency.statement.verify import verify_statement_file

from pompolit.cases import services as cases
from pompolit.cases.public import consent
from pompolit.ledger import services
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.statements import services as statements
from pompolit.members.roles import Role
from pompolit.names import Name

MARCH = datetime.date(2025, 3, 14)
APRIL = datetime.date(2025, 4, 9)
AFTER_APRIL = datetime.date(2025, 5, 5)
DONOR = "Вера Засулич"


@pytest.fixture
def worker(make_member, compartment):
    return make_member("Николай Морозов", Role.CASE_WORKER, compartments=[compartment])


@pytest.fixture
def open_case(worker, compartment):
    def make(surname):
        return cases.open_case(worker, compartment=compartment, name=Name(surname, "Анна"))

    return make


def agree(worker, case, *scope):
    return consent.give(worker, case, given_by="prisoner",
                        given_on=timezone.localdate() - datetime.timedelta(days=3),
                        scope=["name", *scope])


@pytest.fixture
def pay(treasurer, general):
    def run(case_ref, amount, *, account="expenses:parcels", category="parcel", date=MARCH):
        expense = expenses.submit_expense(
            treasurer, incurred_on=date, amount=services.money(amount, "RUB"), fund=general,
            account=services.account(account), category=category, case_ref=case_ref)
        return expenses.pay_expense(treasurer, expense, date=date)

    return run


@pytest.fixture
def march(unsealed_vault, treasurer, general, worker, open_case, pay):
    """Three cases: one agreed to publish its expenses, one only its page, one nothing."""
    services.record_donation(treasurer, date=MARCH, amount=services.money("50000", "RUB"),
                             fund=general, channel="bank_transfer", donor_name=DONOR,
                             donor_contact="vera@example.org")
    public, page_only, secret = open_case("Ремизова"), open_case("Спиридонова"), open_case("Тайная")
    agree(worker, public, "expenses")
    agree(worker, page_only, "status")
    pay(str(public.pk), "300")
    undone = pay(public.public_id, "400")  # the public id names the case too
    services.reverse_entry(treasurer, undone.entry, date=MARCH, memo="paid twice")
    pay(str(public.pk), "1000", account="expenses:legal", category="lawyer")
    pay(str(page_only.pk), "200")
    pay(str(secret.pk), "250")
    pay("", "50")
    return {"public": public, "page_only": page_only, "secret": secret}


def bundle(statement) -> str:
    out = io.StringIO()
    statements.write_bundle(statement, out)
    return out.getvalue()


def test_only_a_consented_case_has_lines_and_they_verify(treasurer, march, log_signing_key):
    statement = statements.publish(treasurer, "2025-03", today=AFTER_APRIL)
    head = json.loads(statement.head)
    public = march["public"].public_id
    assert head["figures"]["expenses_by_case"] == [
        {"case": public, "category": "expenses:legal", "currency": "RUB", "amount": "1000.00"},
        {"case": public, "category": "expenses:parcels", "currency": "RUB", "amount": "300.00"},
    ]
    assert list(head["case_leaves"]) == [public] and len(head["case_leaves"][public]) == 4
    # The other cases' expenses are only in their category.
    assert {"category": "expenses:parcels", "currency": "RUB", "amount": "800.00"} in (
        head["figures"]["expenses"])
    text = bundle(statement)
    for other in ("page_only", "secret"):
        assert march[other].public_id not in text
    report = Report()
    verify_statement_file(io.StringIO(text), log_signing_key, report)
    assert any("every figure of 2025-03" in check for check in report.checks)


def test_the_page_and_the_csv_show_the_line(treasurer, march):
    statements.publish(treasurer, "2025-03", today=AFTER_APRIL)
    public = march["public"].public_id
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/ledger/statements/2025-03/").content.decode()
    assert f'href="/prisoners/{public}/"' in page and "1000.00 RUB" in page
    assert march["secret"].public_id not in page
    content = b"".join(Client().get("/ledger/statements/2025-03/figures.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert ["expenses_by_case", public, "expenses:parcels", "RUB", "300.00", ""] in rows


def test_withdrawn_consent_removes_the_line_from_the_next_statement(treasurer, worker, march,
                                                                    pay, log_signing_key):
    first = statements.publish(treasurer, "2025-03", today=AFTER_APRIL)
    public = march["public"]
    consent.withdraw(worker, public, given_by="prisoner")
    pay(str(public.pk), "600", date=APRIL)
    second = statements.publish(treasurer, "2025-04", today=AFTER_APRIL)
    head = json.loads(second.head)
    assert "expenses_by_case" not in head["figures"] and "case_leaves" not in head
    assert {"category": "expenses:parcels", "currency": "RUB", "amount": "600.00"} in (
        head["figures"]["expenses"])
    text = bundle(second)
    assert public.public_id not in text
    verify_statement_file(io.StringIO(text), log_signing_key, Report(),
                          io.StringIO(bundle(first)))


def test_consent_given_later_adds_the_line(treasurer, worker, march, pay):
    statements.publish(treasurer, "2025-03", today=AFTER_APRIL)
    page_only = march["page_only"]
    agree(worker, page_only, "status", "expenses")
    pay(str(page_only.pk), "150", date=APRIL)
    head = json.loads(statements.publish(treasurer, "2025-04", today=AFTER_APRIL).head)
    assert head["figures"]["expenses_by_case"] == [{
        "case": page_only.public_id, "category": "expenses:parcels", "currency": "RUB",
        "amount": "150.00"}]


def test_no_statement_download_or_page_names_a_donor(treasurer, march):
    statements.publish(treasurer, "2025-03", today=AFTER_APRIL)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    texts = [client.get("/ledger/statements/2025-03/").content.decode()]
    for name in ("statement.json", "figures.csv"):
        response = client.get(f"/ledger/statements/2025-03/{name}")
        texts.append(b"".join(response.streaming_content).decode())
    leaves = json.loads(texts[1])["leaves"]
    texts += [__import__("base64").b64decode(leaf).decode() for leaf in leaves]
    for text in texts:
        assert DONOR not in text and "vera@example.org" not in text
        assert "Ремизова" not in text  # the public id, not the name
