"""The import pages: upload → preview (each line's outcome, choices kept) → commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pompolit.ledger.bank_import_models import BankImport
from pompolit.ledger.models import Donation
from pompolit.ledger.tests.test_bank_import import rules, sber_file, sberbank  # noqa: F401

# The uploaded statement waits for its commit encrypted with the vault.
pytestmark = pytest.mark.usefixtures("unsealed_vault")


@pytest.fixture
def client(treasurer):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(treasurer)
    client.cookies["django_language"] = "en"
    return client


def test_upload_preview_choose_and_commit(client, sberbank, rules):  # noqa: F811
    upload = SimpleUploadedFile("выписка.csv", sber_file(), "text/csv")
    page = client.post(reverse("import_upload"),
                       {"format": "csv", "mapping": "sberbank", "statement": upload})
    html = page.content.decode()
    assert page.status_code == 200 and "Check the import" in html and 'name="line-7"' in html
    data = {"upload": page.context["upload"],
            "fingerprint": page.context["plan"].file_fingerprint, "line-7": ""}
    refused = client.post(reverse("import_commit"), {**data, "action": "commit"})
    assert "line 7: choose what it is" in refused.content.decode()
    assert not BankImport.objects.exists()
    again = client.post(reverse("import_commit"), {**data, "line-7": "skip",
                                                   "action": "preview"})
    assert '<option value="skip" selected>' in again.content.decode()
    done = client.post(reverse("import_commit"), {**data, "line-7": "skip",
                                                  "action": "commit"})
    assert "3 posted, 1 skipped" in done.content.decode()
    assert Donation.objects.count() == 2


def test_a_malformed_file_is_refused_with_its_lines_named(client, sberbank):  # noqa: F811
    bad = sber_file(["14.03.2025;1;X;4;;abc;пожертвование"])
    page = client.post(reverse("import_upload"), {
        "format": "csv", "mapping": "sberbank",
        "statement": SimpleUploadedFile("a.csv", bad, "text/csv")})
    assert "line 4, column «Сумма по кредиту»: expected an amount like 1 234,56" in (
        page.content.decode())
