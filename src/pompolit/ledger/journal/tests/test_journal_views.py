"""The journal and the donations list: filters, postings with names, notes, reversals, totals;
treasurers and auditors read them, case workers are refused."""

import datetime
import re

import pytest
from django.urls import reverse

from pompolit.ledger import services
from pompolit.ledger.models import Entry, EntryKind
from pompolit.members.roles import Role

APRIL = datetime.date(2025, 4, 7)


@pytest.fixture
def books(treasurer, donate, general, lawyers, appeal, unsealed_vault):
    """Donations in RUB, EUR and USD across two months, one reversed with a reason, an
    expense and an exchange."""
    rub = donate("15000", "RUB", note="перевод от читателей «Новой»")
    eur = donate("250", "EUR", fund=lawyers, channel="card", campaign=appeal)
    usd = donate("120", "USD", channel="foreign_chapter", date=APRIL)
    wrong = donate("70000", "RUB", channel="cash", date=APRIL)
    reversal = services.reverse_entry(treasurer, wrong.donation.entry, date=APRIL,
                                      reason="лишний ноль в сумме")
    services.record_exchange(
        treasurer, date=APRIL, fund=general, sold_from=services.account("assets:bank"),
        sold=services.money("3000", "RUB"), bought_into=services.account("assets:bank"),
        bought=services.money("30", "EUR"))
    return {"rub": rub.donation, "eur": eur.donation, "usd": usd.donation,
            "wrong": wrong.donation, "reversal": reversal}


def leaves(html):
    return [int(n) for n in re.findall(r'<tr id="leaf-(\d+)"', html)]


def test_the_journal_shows_every_entry_newest_first_with_names_amounts_and_notes(
    treasurer, client_for, books
):
    page = client_for(treasurer).get(reverse("journal"))
    html = page.content.decode()
    assert page.status_code == 200
    indexes = list(Entry.objects.order_by("-leaf_index").values_list("leaf_index", flat=True))
    assert leaves(html) == indexes
    # Account names (the built-in ones in the reader's language), not their codes; amounts
    # with their currency.
    assert "Donations · " in html and "income:donations" not in html
    assert "€250.00" in html and "$120.00" in html and "-RUB\xa070,000.00" in html
    # The note typed with the donation, and the reversal's reason, decrypted.
    assert "перевод от читателей «Новой»" in html
    assert "лишний ноль в сумме" in html
    # The reversal and what it reverses link to each other.
    wrong, reversal = books["wrong"].entry.leaf_index, books["reversal"].leaf_index
    assert f'href="{reverse("journal_entry", kwargs={"leaf": wrong})}"' in html
    assert f'href="{reverse("journal_entry", kwargs={"leaf": reversal})}"' in html


@pytest.mark.parametrize(("query", "expected"), [
    ({"kind": "reversal"}, ["reversal"]),
    ({"kind": "exchange"}, ["exchange"]),
    ({"month": "2025-03"}, ["rub", "eur"]),
    ({"fund": "lawyers"}, ["eur"]),
    ({"channel": "cash"}, ["reversal", "wrong"]),
    ({"campaign": "appeal-2025"}, ["eur"]),
    ({"month": "2025-04", "kind": "donation"}, ["wrong", "usd"]),
])
def test_the_journal_filters(treasurer, client_for, books, query, expected):
    html = client_for(treasurer).get(reverse("journal"), query).content.decode()
    index = {name: (found.leaf_index if isinstance(found, Entry) else found.entry.leaf_index)
             for name, found in books.items()}
    if query.get("kind") == "exchange":
        index["exchange"] = Entry.objects.get(kind=EntryKind.EXCHANGE).leaf_index
    assert leaves(html) == sorted((index[name] for name in expected), reverse=True)


def test_a_bad_month_is_said_and_the_rest_of_the_filters_still_apply(
    treasurer, client_for, books
):
    html = client_for(treasurer).get(reverse("journal"),
                                     {"month": "весна", "fund": "lawyers"}).content.decode()
    assert "Enter the month as Dec 2026, 12.2026 or 2026-12." in html
    assert leaves(html) == [books["eur"].entry.leaf_index]


def test_the_journal_pages(treasurer, client_for, donate, unsealed_vault):
    for n in range(55):
        donate(str(100 + n), "RUB")
    client = client_for(treasurer)
    first = client.get(reverse("journal"), {"kind": "donation"}).content.decode()
    assert len(leaves(first)) == 50 and "page 1 of 2" in first
    assert "?kind=donation&amp;page=2" in first
    second = client.get(reverse("journal"), {"kind": "donation", "page": 2}).content.decode()
    assert len(leaves(second)) == 5


def test_the_donations_list_filters_and_totals_per_currency(treasurer, client_for, books):
    client = client_for(treasurer)
    html = client.get(reverse("donation_list")).content.decode()
    # The reversed 70 000 RUB is listed (struck through) but not in the totals.
    assert "<del>RUB\xa070,000.00</del>" in html
    totals = re.search(r'<ul class="plain totals">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", totals) == [
        "€250.00", "RUB\xa015,000.00", "$120.00"]
    april = client.get(reverse("donation_list"), {"month": "2025-04"}).content.decode()
    totals = re.search(r'<ul class="plain totals">(.*?)</ul>', april, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", totals) == ["$120.00"]
    card = client.get(reverse("donation_list"), {"channel": "card"}).content.decode()
    assert "€250.00" in card and "RUB\xa015,000.00" not in card


def test_the_old_address_of_the_donations_list_answers(treasurer, client_for, books):
    assert client_for(treasurer).get("/ledger/donations/").status_code == 200


def test_auditors_read_but_cannot_correct_and_case_workers_are_refused(
    make_member, client_for, books
):
    auditor = client_for(make_member("Михаил Фроленко", Role.AUDITOR))
    listing = auditor.get(reverse("donation_list")).content.decode()
    assert "RUB\xa015,000.00" in listing and "Correct" not in listing
    entry = auditor.get(reverse("journal_entry", kwargs={"leaf": books["rub"].entry.leaf_index}))
    assert entry.status_code == 200 and b"Correct this donation" not in entry.content
    correct = reverse("donation_correct", kwargs={"donation": books["rub"].pk})
    assert auditor.get(correct).status_code == 403
    worker = client_for(make_member("Николай Морозов", Role.CASE_WORKER))
    for url in (reverse("journal"), reverse("donation_list"), correct,
                reverse("journal_entry", kwargs={"leaf": books["rub"].entry.leaf_index})):
        assert worker.get(url).status_code == 403, url


def test_with_the_vault_sealed_the_journal_shows_the_rest_and_says_a_note_is_sealed(
    treasurer, client_for, books
):
    from pompolit.vault.keys import services as vault

    vault.seal()
    html = client_for(treasurer).get(reverse("journal")).content.decode()
    assert "лишний ноль в сумме" not in html and "перевод от читателей" not in html
    assert html.count("A note, encrypted: the vault is sealed.") == 2
    assert leaves(html) == list(
        Entry.objects.order_by("-leaf_index").values_list("leaf_index", flat=True))
