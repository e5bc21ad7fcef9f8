"""The bank mapping and import rule pages: list, create, edit, deactivate, the trial on a
file; forms keep what was typed and put each error next to its field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.ledger.bank_import.models import BankMapping, ImportRule
from pompolit.ledger.bank_import.tests.test_bank_import import rules, sber_file, sberbank  # noqa: F401
from pompolit.members.roles import Role

SBER_FORM = {
    "name": "Сбербанк Бизнес", "encoding": "cp1251", "delimiter": ";", "currency": "RUB",
    "account": "assets:bank", "col_date": "Дата проводки", "col_debit": "Сумма по дебету",
    "col_credit": "Сумма по кредиту", "col_reference": "Назначение платежа",
    "col_counterparty": "Контрагент", "col_bank_id": "№ документа",
}


@pytest.fixture
def client(treasurer):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(treasurer)
    client.cookies["django_language"] = "en"
    return client


def test_the_list_shows_mappings_and_offers_presets(client, sberbank):  # noqa: F811
    page = client.get(reverse("bank_mapping_list"))
    html = page.content.decode()
    assert "Сбербанк (выписка, CSV)" in html and "?preset=tinkoff" in html
    preset = client.get(reverse("bank_mapping_new") + "?preset=tinkoff")
    assert 'value="Дата операции"' in preset.content.decode()


def test_create_a_mapping(client):
    page = client.post(reverse("bank_mapping_new"), {**SBER_FORM, "mapping_code": "sber-business"})
    assert page.status_code == 302
    mapping = BankMapping.objects.get(code="sber-business")
    assert mapping.columns["credit"] == "Сумма по кредиту" and "amount" not in mapping.columns
    assert AuditEntry.objects.filter(action="ledger.bank_mapping_saved").exists()


def test_a_wrong_mapping_keeps_what_was_typed_and_names_the_fields(client, sberbank):  # noqa: F811
    form = {**SBER_FORM, "mapping_code": "sberbank", "col_amount": "Сумма", "col_reference":
            "Контрагент"}
    page = client.post(reverse("bank_mapping_new"), form)
    html = page.content.decode()
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert errors["mapping_code"] == ["A mapping with this code exists already; edit it instead."]
    assert errors["col_amount"] == [
        "Name either the signed amount column, or the credit and debit columns — not both."]
    assert errors["col_counterparty"] == [
        "The column «Контрагент» is already named for “Payment purpose column”."]
    assert 'value="Сбербанк Бизнес"' in html and 'value="Сумма"' in html
    assert BankMapping.objects.count() == 1


def test_edit_a_mapping(client, sberbank):  # noqa: F811
    url = reverse("bank_mapping_edit", args=[sberbank.pk])
    assert 'value="Сумма по кредиту"' in client.get(url).content.decode()
    page = client.post(url, {**SBER_FORM, "mapping_code": "renamed"})
    assert page.status_code == 302
    sberbank.refresh_from_db()
    assert (sberbank.code, sberbank.name) == ("sberbank", "Сбербанк Бизнес")


def test_test_a_mapping_on_a_file_saves_nothing(client, rules):  # noqa: F811
    upload = SimpleUploadedFile("выписка.csv", sber_file(), "text/csv")
    page = client.post(reverse("bank_mapping_new"),
                       {**SBER_FORM, "mapping_code": "sber-business", "action": "test",
                        "trial": upload})
    html = page.content.decode()
    assert page.status_code == 200
    assert "The mapping reads 4 lines: 3 incoming, 1 outgoing; 1 matched by no rule." in html
    assert "a bank fee (rule «Комиссии»)" in html
    assert "Петров" not in html  # counterparties are not shown
    assert 'value="sber-business"' in html  # the form keeps what was typed
    assert not BankMapping.objects.exists()


def test_testing_a_mapping_that_does_not_fit_says_why(client):
    upload = SimpleUploadedFile("выписка.csv", sber_file(), "text/csv")
    page = client.post(reverse("bank_mapping_new"), {
        **SBER_FORM, "mapping_code": "x", "col_date": "Дата", "action": "test", "trial": upload})
    html = page.content.decode()
    assert "This mapping cannot read the file" in html
    assert "The file has no column «Дата»" in html
    no_file = client.post(reverse("bank_mapping_new"), {**SBER_FORM, "mapping_code": "x",
                                                        "action": "test"})
    assert no_file.context["form"].errors["trial"] == ["Choose a file to test the mapping on."]


def test_deactivate_a_mapping_and_the_import_no_longer_offers_it(client, sberbank):  # noqa: F811
    page = client.post(reverse("bank_mapping_active", args=[sberbank.pk]), {"active": "0"})
    assert page.status_code == 302
    assert not BankMapping.objects.get().active
    upload = client.get(reverse("import_upload")).content.decode()
    assert 'value="sberbank"' not in upload
    client.post(reverse("bank_mapping_active", args=[sberbank.pk]), {"active": "1"})
    assert BankMapping.objects.get().active


def test_create_edit_and_deactivate_a_rule(client, general, appeal):
    page = client.post(reverse("import_rule_new"), {
        "name": "Сбор на апелляцию", "priority": "10", "reference_contains": "апелляция",
        "direction": "in", "currency": "EUR", "outcome": "donation", "fund": "general",
        "campaign": "appeal-2025"})
    assert page.status_code == 302
    rule = ImportRule.objects.get()
    assert (rule.campaign, rule.currency_id) == (appeal, "EUR")
    listing = client.get(reverse("import_rule_list")).content.decode()
    assert "purpose contains «апелляция»" in listing
    edit = reverse("import_rule_edit", args=[rule.pk])
    assert 'value="апелляция"' in client.get(edit).content.decode()
    client.post(edit, {"name": "Апелляция", "priority": "10", "reference_contains": "апелляц",
                       "direction": "in", "currency": "", "outcome": "donation",
                       "fund": "general", "campaign": ""})
    rule.refresh_from_db()
    assert (rule.name, rule.currency, rule.campaign) == ("Апелляция", None, None)
    client.post(reverse("import_rule_active", args=[rule.pk]), {"active": "0"})
    assert not ImportRule.objects.get().active


def test_a_rule_form_names_its_errors_and_keeps_what_was_typed(client, general):
    page = client.post(reverse("import_rule_new"), {
        "name": "Комиссии банка", "priority": "ten", "reference_contains": "комиссия",
        "direction": "in", "outcome": "fee", "fund": "", "campaign": ""})
    errors = page.context["form"].errors
    assert errors["priority"] == ["Enter a whole number."]
    assert errors["fund"] == ["A donation or a fee needs its fund."]
    assert 'value="Комиссии банка"' in page.content.decode()
    wrong_way = client.post(reverse("import_rule_new"), {
        "name": "Комиссии банка", "priority": "30", "reference_contains": "комиссия",
        "direction": "in", "outcome": "fee", "fund": "general", "campaign": ""})
    assert wrong_way.context["form"].errors["direction"] == ["Donations come in; fees go out."]
    assert not ImportRule.objects.exists()


def test_an_auditor_reads_but_does_not_change(make_member, sberbank, rules):  # noqa: F811
    auditor = Client(HTTP_ACCEPT_LANGUAGE="en")
    auditor.force_login(make_member("Михаил Фроленко", Role.AUDITOR))
    listing = auditor.get(reverse("import_rule_list"))
    assert listing.status_code == 200 and "Deactivate" not in listing.content.decode()
    refused = auditor.post(reverse("bank_mapping_active", args=[sberbank.pk]), {"active": "0"})
    assert refused.status_code == 403
    assert BankMapping.objects.get().active
