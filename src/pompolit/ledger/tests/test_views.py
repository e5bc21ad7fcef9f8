"""The treasurer's pages: fund balances, record a donation, the receipt shown once."""

import re

from django.urls import reverse

from pompolit.ledger import receipts
from pompolit.ledger.models import Donation
from pompolit.ledger.rates import services as rates
from pompolit.members.roles import Role


def form_data(**changes):
    data = {"date": "2025-03-14", "amount": "1 500,50", "currency": "RUB", "fund": "general",
            "channel": "bank_transfer", "campaign": "", "donor_name": "", "donor_contact": "",
            "memo": "", "token": "t-" + receipts.new_code()}
    data.update(changes)
    return data


def test_recording_a_donation_shows_the_receipt_once(treasurer, client_for, lawyers):
    client = client_for(treasurer)
    page = client.get(reverse("record_donation"))
    assert page.status_code == 200 and b'name="token"' in page.content
    response = client.post(reverse("record_donation"), form_data(fund="lawyers"))
    assert response.status_code == 200
    html = response.content.decode()
    code = re.search(r'id="receipt-code">([0-9A-Z-]+)<', html).group(1)
    assert 'src="data:image/svg+xml' in html
    donation = Donation.objects.get()
    assert donation.receipt_id == receipts.receipt_id(code) and donation.fund == lawyers
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response[
        "Cache-Control"]
    # The code is nowhere in the database.
    assert code.replace("-", "") not in str(list(Donation.objects.values()))


def test_sending_the_same_form_twice_records_one_donation(treasurer, client_for):
    client = client_for(treasurer)
    data = form_data()
    client.post(reverse("record_donation"), data)
    again = client.post(reverse("record_donation"), data)
    assert b"already sent" in again.content and Donation.objects.count() == 1
    assert b"receipt-code" not in again.content


def test_errors_are_shown_next_to_the_field_and_input_is_kept(treasurer, client_for):
    client = client_for(treasurer)
    response = client.post(reverse("record_donation"),
                           form_data(amount="10.005", currency="EUR", memo="от Лизы"))
    html = response.content.decode()
    assert response.status_code == 200 and not Donation.objects.exists()
    assert re.search(r'id="id_amount_error">\s*<li>EUR has 2 decimal places', html)
    assert 'value="10.005"' in html and 'value="от Лизы"' in html


def test_the_balances_page_converts_at_the_named_rate(treasurer, client_for, donate, lawyers):
    import datetime
    from decimal import Decimal

    donate("1000", "RUB")
    donate("10", "EUR", fund=lawyers)
    rates.set_rate(treasurer, on=datetime.date(2025, 3, 1), currency_code="EUR",
                      rate=Decimal("100"))
    html = client_for(treasurer).get(reverse("ledger_balances")).content.decode()
    assert "Адвокаты для фигурантов «дела Сети»" in html or "Адвокаты для фигурантов" in html
    assert "€10.00" in html and "RUB\xa02,000.00" in html  # Babel, the reader's way
    assert "1 EUR = 100.0000000000 RUB" in html


def test_auditors_see_balances_but_cannot_record(make_member, client_for):
    auditor = client_for(make_member("Михаил Фроленко", Role.AUDITOR))
    assert auditor.get(reverse("ledger_balances")).status_code == 200
    assert auditor.get(reverse("record_donation")).status_code == 403
    assert auditor.post(reverse("record_donation"), form_data()).status_code == 403
    assert not Donation.objects.exists()
