"""Campaign progress from the books, and the treasurers' campaign pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.ledger import services
from pompolit.ledger.campaigns import services as campaigns
from pompolit.ledger.models import Campaign
from pompolit.ledger.money import Money
from pompolit.ledger.rates import conversion
from pompolit.ledger.rates.services import set_rate
from pompolit.ledger.testing import MARCH
from pompolit.members.roles import Role

TODAY = datetime.date(2025, 4, 30)


@pytest.fixture
def rates(treasurer):
    set_rate(treasurer, on=MARCH, currency_code="EUR", rate=Decimal("98.4512"))
    set_rate(treasurer, on=MARCH, currency_code="USD", rate=Decimal("90"))


def test_progress_counts_the_campaigns_income_in_its_period_at_the_rates_shown(
        treasurer, appeal, donate, rates):
    donate("250", "EUR", campaign=appeal)
    donate("10000", "RUB", campaign=appeal, channel="cash")
    donate("100", "USD", campaign=appeal, channel="card")
    donate("5000", "RUB", campaign=appeal, date=datetime.date(2025, 2, 28))  # before it began
    donate("7000", "RUB")  # not for the campaign
    reversed_one = donate("999", "EUR", campaign=appeal)
    services.reverse_entry(treasurer, reversed_one.donation.entry, date=MARCH)

    progress = campaigns.progress(appeal, TODAY)

    by_currency = {r.money.currency: r for r in progress.raised}
    assert by_currency["EUR"].money == Money("EUR", Decimal("250.00"))
    assert by_currency["EUR"].rate is None
    assert by_currency["RUB"].money == Money("RUB", Decimal("10000.00"))
    # 1 RUB = 1 / 98.4512 EUR: the entered EUR rate, inverted.
    assert by_currency["RUB"].converted == Money("EUR", Decimal("101.57"))
    assert [r.pk for r in by_currency["RUB"].rate.rates] == [
        conversion.rate_on("EUR", MARCH, "RUB").pk]
    # USD through the base currency: 90 / 98.4512 EUR.
    assert by_currency["USD"].converted == Money("EUR", Decimal("91.42"))
    assert len(by_currency["USD"].rate.rates) == 2
    assert progress.total == Money("EUR", Decimal("442.99"))
    assert progress.goal == Money("EUR", Decimal("5000.00"))
    assert progress.percent == 8
    assert progress.missing_rates == []


def test_a_currency_without_a_rate_is_named_not_guessed(appeal, donate):
    donate("15.5", "USDT", campaign=appeal, channel="crypto")
    progress = campaigns.progress(appeal, TODAY)
    assert progress.missing_rates == ["USDT"]
    assert progress.total == Money("EUR", Decimal("0.00"))
    assert progress.raised[0].converted is None


def test_a_finished_campaign_counts_up_to_its_end_at_the_rates_of_its_last_day(
        treasurer, donate):
    parcels = campaigns.create_campaign(
        treasurer, code="parcels-winter", name="Тёплые вещи в СИЗО", currency_code="RUB",
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 3, 31),
    )
    set_rate(treasurer, on=MARCH, currency_code="EUR", rate=Decimal("100"))
    set_rate(treasurer, on=datetime.date(2025, 4, 10), currency_code="EUR",
                      rate=Decimal("120"))
    donate("10", "EUR", campaign=parcels)
    donate("3000", "RUB", campaign=parcels, date=datetime.date(2025, 4, 2))  # after its end
    progress = campaigns.progress(parcels, TODAY)
    assert progress.on == datetime.date(2025, 3, 31)
    assert progress.total == Money("RUB", Decimal("1000.00"))
    assert progress.goal is None and progress.percent is None


def test_only_treasurers_change_a_campaign_and_it_is_audited(treasurer, appeal, make_member):
    auditor = make_member("Анна Прибылёва-Корба", Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        campaigns.update_campaign(auditor, appeal, name="x", currency_code="EUR",
                                  starts_on=MARCH)
    campaigns.update_campaign(treasurer, appeal, name="Сбор на кассацию", currency_code="RUB",
                              starts_on=MARCH, goal=services.money("500000", "RUB"))
    appeal.refresh_from_db()
    assert (appeal.name, appeal.currency_id, appeal.goal_units) == (
        "Сбор на кассацию", "RUB", 50000000)
    assert appeal.code == "appeal-2025"
    assert AuditEntry.objects.filter(action="ledger.campaign_changed").count() == 1


def test_the_campaign_page_shows_progress_bars_without_style_attributes(
        treasurer, appeal, donate, rates, client_for):
    donate("250", "EUR", campaign=appeal)
    page = client_for(treasurer).get(reverse("campaign_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Сбор на апелляцию" in html
    assert '<progress max="100" value="5"' in html
    assert "250.00 EUR of 5000.00 EUR (5%)" in html
    assert "style=" not in html


def test_a_treasurer_creates_and_edits_a_campaign(treasurer, client_for):
    client = client_for(treasurer)
    assert client.get(reverse("campaign_new")).status_code == 200
    response = client.post(reverse("campaign_new"), {
        "code": "lawyers-2026", "name": "Адвокат для Азата", "goal": "300 000",
        "currency": "RUB", "starts_on": "2026-01-01", "ends_on": "", "foreign_chapter": "",
    })
    assert response.status_code == 302
    campaign = Campaign.objects.get(code="lawyers-2026")
    assert campaign.goal_units == 30000000
    edit = reverse("campaign_edit", args=[campaign.pk])
    assert 'value="300000.00"' in client.get(edit).content.decode()
    refused = client.post(edit, {"name": "Адвокат", "goal": "1,005", "currency": "RUB",
                                 "starts_on": "2026-01-01", "ends_on": "2025-12-01"})
    assert refused.status_code == 200
    assert "A campaign cannot end before it starts." in refused.content.decode()
    saved = client.post(edit, {"name": "Адвокат для Азата и Ильи", "goal": "", "currency": "EUR",
                               "starts_on": "2026-01-01", "ends_on": "2026-06-30",
                               "foreign_chapter": "on"})
    assert saved.status_code == 302
    campaign.refresh_from_db()
    assert campaign.goal_units is None and campaign.foreign_chapter
    assert campaign.ends_on == datetime.date(2026, 6, 30)


def test_a_bad_code_is_refused_next_to_its_field(treasurer, client_for):
    response = client_for(treasurer).post(reverse("campaign_new"), {
        "code": "Сбор 2026", "name": "Сбор", "goal": "", "currency": "RUB",
        "starts_on": "2026-01-01",
    })
    assert response.status_code == 200
    assert "lower-case Latin letters" in response.content.decode()
    assert not Campaign.objects.filter(name="Сбор").exists()


def test_auditors_see_campaigns_but_cannot_create_them(appeal, make_member, client_for):
    client = client_for(make_member("Анна Прибылёва-Корба", Role.AUDITOR))
    assert client.get(reverse("campaign_list")).status_code == 200
    assert client.get(reverse("campaign_new")).status_code == 403


def test_the_campaign_pages_are_in_russian(treasurer, appeal):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(treasurer)
    client.cookies["django_language"] = "ru"
    form = client.get(reverse("campaign_new")).content.decode()
    assert "Новый сбор" in form and ">Код<" in form and "Кодекс" not in form
    assert "Сборы" in client.get(reverse("campaign_list")).content.decode()
