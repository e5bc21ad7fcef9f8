"""The import pages: upload → preview (each line's outcome, choices kept) → commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pompolit.ledger.bank_import.models import BankImport
from pompolit.ledger.bank_import.tests.test_bank_import import rules, sber_file, sberbank  # noqa: F401
from pompolit.ledger.models import Donation

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


def _statement(count):
    lines = [f"{1 + n % 28:02d}.03.2025;{n};Петров П.;408;;{100 + n},00;возврат" for n in
             range(count)]
    return sber_file(lines)


def _upload(client, data, name="выписка-Орёл.csv"):
    return client.post(reverse("import_upload"), {
        "format": "csv", "mapping": "sberbank",
        "statement": SimpleUploadedFile(name, data, "text/csv")})


def test_the_statement_waits_on_the_server_not_in_the_page(client, sberbank):  # noqa: F811
    from pompolit.cases.testing import everything_stored as _everything_stored

    canary = "канарейка-банк"
    page = _upload(client, sber_file([f"14.03.2025;1;{canary};408;;1,00;x"]))
    html = page.content.decode()
    assert page.status_code == 200 and 'name="data"' not in html
    assert canary not in "".join(_everything_stored())


def test_a_long_statement_is_previewed_a_page_at_a_time_with_its_counts(
        client, sberbank):  # noqa: F811
    page = _upload(client, _statement(250))
    html = page.content.decode()
    assert "250 lines: 0 donations, 0 bank fees, 0 skipped, 0 already imported; 250 wait" in html
    assert html.count('<select name="line-') == 100 and "Page 1 of 3" in html
    token = page.context["upload"]
    second = client.post(reverse("import_commit"), {"upload": token, "page": "2",
                                                    "line-4": "skip"})
    assert "Page 2 of 3" in second.content.decode()
    assert second.context["rows"][0][0].line.line_no == 104
    again = client.post(reverse("import_commit"), {"upload": token, "page": "1"})
    assert ('<select name="line-4"><option value="">— choose —</option><option value="skip" '
            'selected>') in again.content.decode()


def test_every_waiting_line_gets_one_choice_and_the_import_forgets_the_file(
        client, sberbank, general):  # noqa: F811
    from pompolit.audit.models import AuditEntry
    from pompolit.vault.uploads.models import PendingUpload

    page = _upload(client, _statement(150))
    token = page.context["upload"]
    chosen = client.post(reverse("import_commit"), {
        "upload": token, "action": "choose_all", "all_waiting": "donation:general"})
    assert "150 donations" in chosen.content.decode()
    done = client.post(reverse("import_commit"), {"upload": token, "action": "commit"})
    assert "150 posted" in done.content.decode()
    assert Donation.objects.count() == 150 and not PendingUpload.objects.exists()
    assert "Орёл" not in str(AuditEntry.objects.get(action="ledger.bank_imported").details)


def test_cancel_deletes_the_statement(client, sberbank):  # noqa: F811
    from pompolit.vault.uploads.models import PendingUpload

    token = _upload(client, sber_file()).context["upload"]
    client.post(reverse("import_commit"), {"upload": token, "action": "cancel"})
    assert not PendingUpload.objects.exists()
    lost = client.post(reverse("import_commit"), {"upload": token, "action": "commit"})
    assert "no longer on the server" in lost.content.decode()
