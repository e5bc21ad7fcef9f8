"""The exchange rate pages: the list, and upload → preview of every row → import."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pompolit.ledger.models import ExchangeRate
from pompolit.ledger.rates import services as rates
from pompolit.ledger.rates.tests.test_rates_import import GOOD
from pompolit.members.roles import Role

# The uploaded file waits for its commit encrypted with the vault.
pytestmark = pytest.mark.usefixtures("unsealed_vault")


@pytest.fixture
def client(treasurer):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(treasurer)
    client.cookies["django_language"] = "en"
    return client


def _upload(client, text, encoding="utf-8"):
    return client.post(reverse("rate_import"), {
        "rates": SimpleUploadedFile("курсы ЦБ.csv", text.encode(encoding), "text/csv")})


def test_upload_preview_and_import(client):
    page = _upload(client, GOOD, "cp1251")
    html = page.content.decode()
    assert "New: 5 · already in the books: 0 · repeated in the file: 0 · with errors: 0" in html
    assert "1 GEL = 32.6814 RUB" in html and "Enter 5 rates" in html
    assert not ExchangeRate.objects.exists()
    done = client.post(reverse("rate_import_commit"), {
        "upload": page.context["upload"], "fingerprint": page.context["plan"].file_fingerprint})
    assert done.status_code == 302 and done["Location"] == reverse("rate_list")
    assert ExchangeRate.objects.count() == 5
    listing = client.get(reverse("rate_list")).content.decode()
    assert "5 rates entered; 0 already in the books." in listing
    assert "1 USDT = 0.9998 USD" in listing
    again = _upload(client, GOOD)
    assert "already in the books: 5" in again.content.decode()
    assert "Enter 0 rates" in again.content.decode()


def test_errors_are_listed_by_line_and_column_and_nothing_is_entered(client, treasurer):
    rates.set_rate(treasurer, on=datetime.date(2025, 3, 14), currency_code="USD",
                      rate=Decimal("91"))
    page = _upload(client, GOOD + "2025-03-16;EUR;abc;RUB;cbr.ru\n")
    html = page.content.decode()
    assert "Nothing was entered" in html
    assert "line 3, column «rate»: the books already have 1 USD = 91 RUB on 14 Mar 2025" in html
    assert "line 7, column «rate»: expected a number more than zero" in html
    assert 'value="commit"' not in html and "Enter " not in html
    forced = client.post(reverse("rate_import_commit"), {"upload": page.context["upload"]})
    assert "Nothing was entered" in forced.content.decode()
    assert ExchangeRate.objects.count() == 1


def test_a_lost_file_is_said_so(client):
    page = client.post(reverse("rate_import_commit"), {"upload": "not a token"})
    assert "The file is no longer on the server" in page.content.decode()


def test_an_auditor_reads_the_rates_but_imports_nothing(make_member):
    auditor = Client(HTTP_ACCEPT_LANGUAGE="en")
    auditor.force_login(make_member("Михаил Фроленко", Role.AUDITOR))
    page = auditor.get(reverse("rate_list"))
    assert page.status_code == 200 and "Import rates" not in page.content.decode()
    assert auditor.get(reverse("rate_import")).status_code == 403


@pytest.mark.parametrize(("language", "by_hand", "from_file"),
                         [("en", "entered by hand", "from a file"),
                          ("ru", "введён вручную", "из файла")])
def test_the_list_says_where_a_rate_came_from_in_words_not_codes(
    treasurer, language, by_hand, from_file
):
    by_hand_rate = rates.set_rate(treasurer, on=datetime.date(2026, 11, 2),
                                  currency_code="EUR", rate=Decimal("92.50"))
    ExchangeRate.objects.create(on=datetime.date(2026, 11, 3), currency_id="EUR",
                                base_id=by_hand_rate.base_id, rate=Decimal("92.75"), source="csv")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(treasurer)
    client.cookies["django_language"] = language
    html = client.get(reverse("rate_list")).content.decode()
    assert by_hand in html and from_file in html
    assert "<td>manual</td>" not in html and "<td>csv</td>" not in html
