"""Publishing a statement: the figures the database computes are the figures the verifier
recomputes from the leaves; the period closes; what was published cannot change."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from pompolit.transparency.report import Report
from pompolit.transparency.statement.problems import StatementProblems
from pompolit.transparency.statement.read import read_statement
from pompolit.transparency.statement.verify import verify_statement, verify_statement_file

from pompolit.audit.models import AuditEntry
from pompolit.ledger import services
from pompolit.ledger.models import Statement
from pompolit.ledger.statements import services as statements
from pompolit.ledger.testing import AFTER_MARCH, MARCH, make_books
from pompolit.members.roles import Role


@pytest.fixture
def books(treasurer, general, lawyers, appeal):
    return make_books(treasurer, general, lawyers, appeal)


def bundle(statement: Statement) -> str:
    out = io.StringIO()
    statements.write_bundle(statement, out)
    return out.getvalue()


def verified(text: str, vkey: str, previous: str | None = None) -> Report:
    report = Report()
    verify_statement_file(io.StringIO(text), vkey, report,
                          io.StringIO(previous) if previous else None)
    return report


def test_a_published_statement_verifies_with_the_logs_key(treasurer, books, log_signing_key):
    february = statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    report = verified(bundle(february), log_signing_key)
    assert any("every figure of 2025-02" in check for check in report.checks)
    assert AuditEntry.objects.filter(action="ledger.statement_published").exists()


def test_the_database_and_the_leaves_give_the_same_figures(treasurer, books, log_signing_key):
    statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    march = statements.publish(treasurer, "2025-03", today=AFTER_MARCH)
    text = bundle(march)
    parsed = read_statement(io.StringIO(text))
    recomputed = verify_statement(parsed, log_signing_key, Report())
    assert recomputed.problems == []
    assert recomputed.scan.figures.as_json(parsed.places) == json.loads(march.head)["figures"]
    figures = json.loads(march.head)["figures"]
    # The reversed cash donation nets to nothing; the April donation is signed but later.
    assert {"campaign": "", "channel": "cash", "currency": "RUB", "amount": "20000.00"} not in (
        figures["income"])
    assert figures["later_entries"] == 1
    assert {"campaign": "appeal-2025", "channel": "foreign_chapter", "currency": "EUR",
            "amount": "1500.50"} in figures["income"]
    assert {"category": "expenses:legal", "currency": "EUR", "amount": "800.00"} in (
        figures["expenses"])
    assert {"fund": "general", "currency": "EUR", "amount": "30.00"} in (
        figures["closing_balances"])
    head = json.loads(march.head)
    assert head["rates"] == [{"currency": "EUR", "base": "RUB", "on": "2025-03-31",
                              "rate": "98.4567"}]
    assert head["closing_in_base"]["not_converted"] == ["USDT"]


def test_the_next_statement_is_consistent_with_the_previous(treasurer, books, log_signing_key):
    february = statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    march = statements.publish(treasurer, "2025-03", today=AFTER_MARCH)
    assert march.previous == february
    report = verified(bundle(march), log_signing_key, bundle(february))
    assert "the opening balances are the previous statement's closing balances" in report.checks


def test_a_published_bundle_is_what_was_hashed(treasurer, books):
    february = statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    import hashlib

    assert hashlib.sha256(bundle(february).encode()).hexdigest() == february.sha256


def test_publishing_closes_the_period(treasurer, books, general):
    statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    with pytest.raises(ValidationError, match="closed up to 28 Feb 2025"):
        services.record_donation(treasurer, date=datetime.date(2025, 2, 27),
                                 amount=services.money("10", "RUB"), fund=general,
                                 channel="cash")


@pytest.mark.parametrize("period, message", [
    ("2025-03", "has not ended yet"),
    ("2025-13", "A period is a month"),
    ("2025-03-01..2025-03-15", "whole months"),
    ("сентябрь", "A period is a month"),
])
def test_bad_periods_are_refused_clearly(treasurer, books, period, message):
    with pytest.raises(ValidationError, match=message):
        statements.publish(treasurer, period, today=MARCH if period == "2025-03" else AFTER_MARCH)
    assert not Statement.objects.exists()


def test_periods_join_up_and_are_published_once(treasurer, books):
    statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    with pytest.raises(ValidationError, match="already been published"):
        statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    with pytest.raises(ValidationError, match="must start the day after"):
        statements.publish(treasurer, "2025-04", today=datetime.date(2025, 6, 1))


def test_only_a_treasurer_publishes(make_member, books):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        statements.publish(make_member("Николай Кибальчич", Role.AUDITOR), "2025-02",
                           today=AFTER_MARCH)


def test_a_published_statement_cannot_be_changed(treasurer, books):
    february = statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    with pytest.raises(DatabaseError), transaction.atomic():
        Statement.objects.filter(pk=february.pk).update(head="{}")
    with pytest.raises(DatabaseError), transaction.atomic():
        Statement.objects.filter(pk=february.pk).delete()


def test_a_figure_changed_after_publishing_is_caught(treasurer, books, log_signing_key):
    february = statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    document = json.loads(bundle(february))
    document["figures"]["closing_balances"][0]["amount"] = "4999.00"
    with pytest.raises(StatementProblems, match="closing_balances"):
        verified(json.dumps(document), log_signing_key)


def test_the_publish_command_writes_a_bundle_that_verifies(books, tmp_path, log_signing_key):
    import time_machine
    from django.core.management import call_command

    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2025, 4, 5, 12, tzinfo=datetime.UTC)):
        call_command("publish", "--period", "2025-02", "-o", tmp_path / "s.json",
                     "--csv", tmp_path / "s.csv", stdout=out)
    assert "Published the statement for 2025-02" in out.getvalue()
    verified((tmp_path / "s.json").read_text(encoding="utf-8"), log_signing_key)
    assert "closing_balances" in (tmp_path / "s.csv").read_text(encoding="utf-8")


def test_ledger_publish_is_the_new_name_of_publish(books, tmp_path, log_signing_key):
    import time_machine
    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(datetime.datetime(2025, 4, 5, 12, tzinfo=datetime.UTC)):
        call_command("ledger", "publish", "--period", "2025-02", "-o", tmp_path / "s.json",
                     stdout=out, stderr=err)
    assert "Published the statement for 2025-02" in out.getvalue() and err.getvalue() == ""
    verified((tmp_path / "s.json").read_text(encoding="utf-8"), log_signing_key)
    err = io.StringIO()
    with pytest.raises(CommandError, match="A period is a month"):
        call_command("publish", "--period", "октябрь", stderr=err)
    assert "`pompolit publish` is now `pompolit ledger publish`" in err.getvalue()


def test_the_publish_command_explains_a_refusal(books):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="A period is a month"):
        call_command("publish", "--period", "октябрь")
