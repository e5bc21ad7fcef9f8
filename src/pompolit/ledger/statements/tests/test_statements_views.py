"""The public accounts pages and "check my donation" (no login, English and Russian), and
the treasurer's publish page (sudo mode)."""

import base64
import csv
import hashlib
import io
import json

import pytest
from django.test import Client
from pompolit.transparency.report import Report
from pompolit.transparency.statement.verify import verify_statement_file
from pompolit.transparency.statement.write import write_statement

from pompolit.ledger import receipts
from pompolit.ledger.models import Statement
from pompolit.ledger.statements import services as statements
from pompolit.ledger.statements.views import CHECKS_PER_WINDOW
from pompolit.ledger.testing import AFTER_MARCH, make_books
from pompolit.members.tests.conftest import submit_password, totp_code
from pompolit.tlog import services as tlog


@pytest.fixture
def client():
    """A visitor whose browser asks for English (the site's default is Russian)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def books(treasurer, general, lawyers, appeal):
    return make_books(treasurer, general, lawyers, appeal)


@pytest.fixture
def published(treasurer, books):
    statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    return statements.publish(treasurer, "2025-03", today=AFTER_MARCH)


@pytest.mark.parametrize(("language", "general_fund", "legal", "channel"), [
    ("en", "General fund", "Lawyers", "via a foreign chapter"),
    ("ru", "Общий фонд", "Адвокаты", "через зарубежное отделение"),
])
def test_the_statement_shows_names_where_the_published_figures_keep_codes(
    client, published, language, general_fund, legal, channel
):
    page = client.get("/ledger/statements/2025-03/", HTTP_ACCEPT_LANGUAGE=language)
    main = page.content.decode().split("<main", 1)[1]

    # The fund a treasurer named as they named it; the built-in one in the reader's language;
    # the expense account and the channel by name. The codes stay in the downloads.
    assert "Адвокаты для фигурантов «дела Сети»" in main and general_fund in main
    assert f"<td>{legal}</td>" in main and channel in main
    for code in ("general", "lawyers", "expenses:legal", "bank_transfer", "foreign_chapter",
                 "appeal-2025"):
        assert code not in main.replace('href="/ledger/statements/2025-03/', ""), code
    bundle = b"".join(client.get("/ledger/statements/2025-03/statement.json").streaming_content)
    assert b"expenses:legal" in bundle and b'"general"' in bundle


@pytest.mark.parametrize("language, title", [("en", "Statement for Mar 2025"),
                                             ("ru", "Отчёт за 03.2025")])
def test_the_statement_page_is_public_in_both_languages(client, published, language, title):
    response = client.get("/ledger/statements/2025-03/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert title in page
    assert "Сбор на апелляцию" in page and "1500.50" in page
    # The charts are images (data: URIs, allowed by the CSP), never inline <svg> markup.
    assert page.count('src="data:image/svg+xml;base64,') == 2 and "<svg" not in page
    chart = page.split('src="data:image/svg+xml;base64,')[1].split('"')[0]
    assert base64.b64decode(chart).startswith(b"<?xml")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_list_and_the_check_page_are_public(client, published, language):
    listing = client.get("/ledger/statements/", HTTP_ACCEPT_LANGUAGE=language)
    assert listing.status_code == 200 and "/ledger/statements/2025-02/" in listing.content.decode()
    assert client.get("/ledger/check/", HTTP_ACCEPT_LANGUAGE=language).status_code == 200


def test_an_unknown_period_is_404(client, published):
    assert client.get("/ledger/statements/1999-01/").status_code == 404


def downloaded(response) -> bytes:
    assert response.streaming, "large downloads must stream"
    return b"".join(response.streaming_content)


def test_the_downloaded_bundle_verifies(client, published, log_signing_key):
    response = client.get("/ledger/statements/2025-03/statement.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statement-2025-03.json"'
    previous = downloaded(client.get("/ledger/statements/2025-02/statement.json")).decode()
    verify_statement_file(io.StringIO(downloaded(response).decode()), log_signing_key, Report(),
                          io.StringIO(previous))


def test_the_streamed_bundle_is_the_published_bytes(client, published):
    """Streamed in chunks, with the leaf hashes from a second read of the leaves: the same
    bytes as the bundle written in one go (hashes collected on the way), whose SHA-256 was
    recorded when it was published."""
    log = tlog.find_log("ledger")
    size = published.checkpoint.size
    whole = io.StringIO()
    write_statement(whole, json.loads(published.head), tlog.entries(log, 0, size))
    streamed = downloaded(client.get("/ledger/statements/2025-03/statement.json"))
    assert streamed == whole.getvalue().encode()
    assert hashlib.sha256(streamed).hexdigest() == published.sha256
    chunks = list(statements.encoded_chunks(["x" * 1000] * 200, size=4096))
    assert len(chunks) == 40 and {len(c) for c in chunks} == {5000}


def test_the_csv_has_every_figure(client, published):
    response = client.get("/ledger/statements/2025-03/figures.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statement-2025-03.csv"'
    content = downloaded(response)
    whole = io.StringIO(newline="")
    csv.writer(whole).writerows(statements.csv_rows(published))
    assert content == whole.getvalue().encode()
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["figure", "key", "subkey", "currency", "amount", "expenses"]
    assert ["income", "appeal-2025", "foreign_chapter", "EUR", "1500.50", ""] in rows
    assert ["expenses", "expenses:legal", "", "EUR", "800.00", ""] in rows


# -- check my donation ------------------------------------------------------------------------


def test_a_donor_checks_a_donation_and_downloads_the_proof(client, books, published,
                                                           log_signing_key):
    typed = receipts.grouped(books["march"]).lower().replace("0", "o")
    page = client.post("/ledger/check/", {"code": typed})
    assert page.status_code == 200
    text = page.content.decode()
    assert "1500.50 EUR" in text and "2025-03" in text and "Адвокаты" in text
    assert "statement-2025-03.json" in text
    proof = client.post("/ledger/check/", {"code": typed, "download": "1"})
    assert "attachment" in proof["Content-Disposition"]
    document = json.loads(proof.content)
    from pompolit.transparency.bundle import verify_inclusion_document

    verify_inclusion_document(document, log_signing_key)


def test_a_reversed_donation_says_so(client, books, published):
    page = client.post("/ledger/check/", {"code": books["reversed"]})
    assert "reversed" in page.content.decode()


def test_a_donation_after_the_last_checkpoint_has_no_proof_yet(client, books, general):
    from pompolit.ledger import services

    late = services.record_donation(None, date=AFTER_MARCH, amount=services.money("5", "RUB"),
                                    fund=general, channel="cash")
    page = client.post("/ledger/check/", {"code": late.code}).content.decode()
    assert "5.00 RUB" in page and "No signed checkpoint covers this entry yet" in page


def test_a_donation_posted_before_publishing_is_covered_by_the_statement(client, books,
                                                                         published):
    # The April donation was posted before March was published: the checkpoint covers it.
    page = client.post("/ledger/check/", {"code": books["april"]}).content.decode()
    assert "Download the proof" in page


@pytest.mark.parametrize("typed, message", [
    ("", "This field is required"),
    ("<script>alert(1)</script>", "only digits and Latin letters"),
    ("1234", "has 28 characters"),
    ("x" * 5000, "at most 80 characters"),
    ("09Y8-\x00", "found U+0000 (NULL)"),
])
def test_hostile_input_gets_a_sentence_not_a_500(client, published, typed, message):
    response = client.post("/ledger/check/", {"code": typed})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "<script>alert" not in response.content.decode()


def test_an_unknown_code_is_not_found_and_a_typo_is_a_typo(client, published):
    code = receipts.new_code()
    assert "No donation has this receipt code" in client.post(
        "/ledger/check/", {"code": code}).content.decode()
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert "typing mistake" in client.post("/ledger/check/", {"code": typo}).content.decode()


def test_checks_are_rate_limited_per_address(client, published):
    code = receipts.new_code()
    for _ in range(CHECKS_PER_WINDOW):
        assert client.post("/ledger/check/", {"code": code}).status_code == 200
    assert client.post("/ledger/check/", {"code": code}).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.7", HTTP_ACCEPT_LANGUAGE="en")
    assert other.post("/ledger/check/", {"code": code}).status_code == 200


# -- publishing -------------------------------------------------------------------------------


def test_publishing_needs_a_fresh_password(client, treasurer, books):
    client.force_login(treasurer)
    response = client.post("/ledger/statements/publish/", {"period": "2025-02"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not Statement.objects.exists()


def test_a_treasurer_publishes_from_the_page(client, treasurer, books):
    response = submit_password(client, treasurer.pseudonym)
    if response["Location"].startswith("/accounts/2fa/authenticate/"):
        client.post(response["Location"], {"code": totp_code()})
    response = client.post("/ledger/statements/publish/", {"period": "2025-02"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/ledger/statements/2025-02/"
    refused = client.post("/ledger/statements/publish/", {"period": "2025-02"})
    assert "already been published" in refused.content.decode()


def test_a_statement_s_charts_are_drawn_once(client, published, monkeypatch):
    """Drawn charts are kept under what they are drawn from (charts.kept_bars): the page shows
    the same bytes without drawing them again; another language draws its own."""
    from pompolit.ledger.statements import charts

    drawn = []
    bars = charts.bars
    monkeypatch.setattr(charts, "bars", lambda *a: (drawn.append(a[3]), bars(*a))[1])
    def shown() -> list[str]:
        page = client.get("/ledger/statements/2025-03/").content.decode()
        return [part.split('"')[0] for part in page.split('src="data:image/svg+xml')[1:]]

    first = shown()
    assert len(drawn) == 2 and len(first) == 2
    assert shown() == first and len(drawn) == 2
    client.get("/ledger/statements/2025-03/", HTTP_ACCEPT_LANGUAGE="ru")
    assert len(drawn) == 4
