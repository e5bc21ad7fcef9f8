"""Exchange rates from CSV (ledger/rates_import.py): every row's outcome, errors by line and
column, all or nothing, no duplicates on re-import, no silent overwrite."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.ledger.models import ExchangeRate
from pompolit.ledger.rates import services as rates_import
from pompolit.members.roles import Role

GOOD = (
    "date;currency;rate;base;source\n"
    "2025-03-14;EUR;98,4512;RUB;cbr.ru\n"
    "2025-03-14;USD;90.7716;RUB;cbr.ru\n"
    "14.03.2025;GEL;32,6814;;cbr.ru\n"
    "2025-03-14;USDT;0.9998;USD;exchange\n"
    "2025-03-15;EUR;98.6001;RUB;cbr.ru\n"
)


def test_preview_shows_each_row_and_changes_nothing(db):
    plan = rates_import.preview(GOOD.encode())
    assert plan.ready and plan.count("new") == 5
    gel = plan.rows[2]
    assert (gel.line_no, gel.on, gel.currency, gel.base, gel.rate, gel.source) == (
        4, datetime.date(2025, 3, 14), "GEL", "RUB", Decimal("32.6814"), "cbr.ru")
    assert not ExchangeRate.objects.exists()


def test_import_then_the_same_file_again_adds_nothing(treasurer):
    done = rates_import.import_rates(treasurer, GOOD.encode("cp1251"))
    assert (done.created, done.known) == (5, 0)
    rate = ExchangeRate.objects.get(currency="USDT")
    assert (rate.base_id, rate.rate, rate.source, rate.entered_by) == (
        "USD", Decimal("0.9998"), "exchange", treasurer)
    audit = AuditEntry.objects.get(action="ledger.rates_imported")
    assert audit.details["created"] == 5 and audit.details["from"] == "2025-03-14"
    # Re-imported with a BOM, Windows line ends and commas: the same rates, recognised.
    again = "\ufeff" + GOOD.replace(";", ",").replace("98,4512", '"98,4512"').replace(
        "32,6814", '"32.68140"').replace("\n", "\r\n")
    plan = rates_import.preview(again.encode())
    assert plan.ready and plan.count("known") == 5
    assert rates_import.import_rates(treasurer, again.encode()).created == 0
    assert ExchangeRate.objects.count() == 5


def test_a_different_rate_for_a_day_in_the_books_is_an_error_not_an_overwrite(treasurer):
    rates_import.set_rate(treasurer, on=datetime.date(2025, 3, 14), currency_code="EUR",
                      rate=Decimal("98.45"))
    plan = rates_import.preview(GOOD.encode())
    assert not plan.ready
    assert plan.errors == [
        "line 2, column «rate»: the books already have 1 EUR = 98.45 RUB on 14 Mar 2025 "
        "(source manual); the file says 98.4512. A rate in the books is not overwritten: "
        "correct the file or leave this line out"]
    with pytest.raises(ValidationError):
        rates_import.import_rates(treasurer, GOOD.encode())
    assert ExchangeRate.objects.count() == 1
    assert ExchangeRate.objects.get().rate == Decimal("98.45")


def test_the_same_day_twice_in_the_file(treasurer):
    text = GOOD + "2025-03-15;EUR;98.6001;RUB;cbr.ru\n2025-03-15;EUR;99;RUB;cbr.ru\n"
    plan = rates_import.preview(text.encode())
    assert plan.rows[5].outcome == "repeat" and plan.rows[5].note == "the same as line 6"
    assert plan.errors == ["line 8, column «rate»: line 6 gives another rate for the same day, "
                           "currency and base (98.6001, here 99)"]


def test_every_bad_row_is_named_by_line_and_column_and_nothing_is_imported(treasurer):
    text = ("Дата;Валюта;Курс;База;Источник\n"
            "2025-03-14;EUR;98,45;RUB;cbr.ru\n"
            "31.02.2025;EUR;98,45;RUB;cbr.ru\n"
            "2025-03-14;XYZ;1;RUB;cbr.ru\n"
            "2025-03-14;USD;-3;RUB;cbr.ru\n"
            "2025-03-14;GEL;1,234.5;RUB;cbr.ru\n"
            "2025-03-14;RUB;1;RUB;cbr.ru\n"
            "2025-03-14;KZT;0.00000000001;RUB;cbr.ru\n"
            "2025-03-14;AMD;0.23;RUB;=HYPERLINK(\"x\")\n")
    plan = rates_import.preview(text.encode())
    assert plan.errors == [
        "line 3, column «date»: expected a date like 2025-03-14 or 14.03.2025, found «31.02.2025»",
        "line 4, column «currency»: expected a currency code the books know, like RUB or EUR, "
        "found «XYZ»",
        "line 5, column «rate»: expected a number more than zero, like 98.4512, found «-3»",
        "line 6, column «rate»: expected a number more than zero, like 98.4512, found «1,234.5»",
        "line 7, column «base»: the base must differ from the currency (RUB)",
        "line 8, column «rate»: A rate has at most 10 decimal places; 0.00000000001 has more.",
        "line 9, column «source»: expected a short name of at most 16 letters, digits or "
        ". : / - _ (like cbr.ru), found «=HYPERLINK(\"x\")»",
    ]
    assert plan.rows[0].outcome == "new"
    with pytest.raises(ValidationError) as refused:
        rates_import.import_rates(treasurer, text.encode())
    assert len(refused.value.messages) == 7
    assert not ExchangeRate.objects.exists()
    assert not AuditEntry.objects.filter(action="ledger.rates_imported").exists()


def test_what_is_wrong_with_the_file_as_a_whole(db):
    assert rates_import.preview(b"").errors == ["The file is empty."]
    assert rates_import.preview(b"day;code;value\n2025-03-14;EUR;1\n").errors == [
        "line 1: the header must name the columns «currency», «rate» (found: «day», «code», "
        "«value»). The columns are date, currency, rate, and optionally base and source."]
    assert rates_import.preview(b"date,currency,rate\n").errors == [
        "The file has a header but no rates under it."]
    unquoted = rates_import.preview(b"date,currency,rate\n2025-03-14,EUR,98,45\n")
    assert unquoted.errors[0].startswith("line 2: 4 fields, the header has 3")


def test_only_a_treasurer_imports_and_a_changed_file_is_refused(make_member, treasurer):
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        rates_import.import_rates(auditor, GOOD.encode())
    with pytest.raises(ValidationError, match="not the one previewed"):
        rates_import.import_rates(treasurer, GOOD.encode(), expected_fingerprint="0" * 64)
    assert not ExchangeRate.objects.exists()


# -- hostile and careless files (issue 11, items 7 and 8; issue 18) -----------------------------


def test_a_quote_never_closed_is_refused_by_its_line(db):
    plan = rates_import.preview(b'date;currency;rate\n2025-03-14;"EUR;98,45\n'
                                b"2025-03-15;EUR;98,50\n")
    assert not plan.ready
    assert plan.errors[0].startswith("line 2: a quote (\") opens here")


def test_rows_wider_or_narrower_than_the_header_and_control_characters_are_named(db):
    plan = rates_import.preview(b"date;currency;rate\n2025-03-14;EUR\n2025-03-15;EUR;98,5;x\n"
                                b"2025-03-16;EU\x1bR;98,5\n")
    assert plan.errors[:2] == ["line 2: 2 fields, the header has 3",
                               "line 3: 4 fields, the header has 3"]
    assert plan.errors[2].startswith("line 4, column «currency»: Expected text without")
    assert not plan.ready


def test_a_utf16_file_of_rates_is_read(db):
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        assert rates_import.preview(GOOD.encode(encoding)).count("new") == 5


def test_the_trail_counts_the_rows_and_names_no_file(treasurer):
    import hashlib

    rates_import.import_rates(treasurer, GOOD.encode())
    details = AuditEntry.objects.get(action="ledger.rates_imported").details
    assert details["file_sha256"] == hashlib.sha256(GOOD.encode()).hexdigest()
    assert details["rows"] == 5
