"""The chart of funds and accounts: names in the reader's language until a treasurer renames
them; the trail records the renaming, not the name; auditors read, only treasurers rename."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.ledger.models import Account, Fund
from pompolit.members.roles import Role


def reader(member, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(member)
    client.cookies["django_language"] = language
    return client


def main(response):
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize(
    ("language", "general", "legal"),
    [
        ("en", "General fund", "Lawyers"),
        ("ru", "Общий фонд", "Адвокаты"),
    ],
)
def test_built_in_names_are_in_the_readers_language(treasurer, language, general, legal):
    page = main(reader(treasurer, language).get(reverse("ledger_chart")))

    assert f'value="{general}"' in page and f'value="{legal}"' in page
    assert not re.search(r">[^<]*expenses:legal", page)  # the code only in a hidden field


def test_a_treasurer_renames_a_fund_and_the_trail_keeps_no_name(treasurer):
    client = reader(treasurer)

    response = client.post(
        reverse("ledger_chart_rename"),
        {"kind": "fund", "code": "general", "name": "  Касса  взаимопомощи "},
    )

    assert response.status_code == 302
    assert Fund.objects.get(code="general").name == "Касса взаимопомощи"
    for language in ("en", "ru"):
        assert 'value="Касса взаимопомощи"' in main(
            reader(treasurer, language).get(reverse("ledger_chart"))
        )
    entry = AuditEntry.objects.get(action="ledger.fund_renamed")
    assert entry.details == {"code": "general"}
    assert "взаимопомощи" not in entry.details_json


def test_saving_a_built_in_name_unchanged_keeps_it_translatable(treasurer):
    reader(treasurer).post(
        reverse("ledger_chart_rename"),
        {"kind": "account", "code": "assets:bank", "name": "Bank account"},
    )

    assert Account.objects.get(code="assets:bank").name == "Банковский счёт"
    assert not AuditEntry.objects.filter(action="ledger.account_renamed").exists()


def test_an_auditor_reads_the_chart_but_cannot_rename(make_member):
    auditor = make_member("Михаил Фроленко", Role.AUDITOR)
    client = reader(auditor)

    page = main(client.get(reverse("ledger_chart")))
    refused = client.post(
        reverse("ledger_chart_rename"), {"kind": "fund", "code": "general", "name": "Чужое имя"}
    )

    assert "General fund" in page and reverse("ledger_chart_rename") not in page
    assert refused.status_code == 403
    assert Fund.objects.get(code="general").name == "Общий фонд"
