"""A station's people, opened one station at a time when too many are held to list them all on
the board: a fragment for htmx, a page of its own without JavaScript."""

import pytest
from django.urls import reverse

from pompolit.intake import services
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry


@pytest.fixture
def held(operator, hotline, stations):
    for name, where in [("Смирнова Анна", "tverskoy"), ("Орлов Максим", "kitay")]:
        record_report(operator, hotline, entry(name, facility=stations[where]), reporter="lawyer")
    record_report(operator, hotline, entry("Козлова Дарья"), reporter="witness")


def _url(hotline, station):
    return reverse("intake_board_station", args=[hotline.slug]) + f"?station={station}"


def test_above_the_limit_the_board_lists_nobody_and_links_each_station(
    client_for, operator, hotline, stations, held, monkeypatch
):
    monkeypatch.setattr(services, "BOARD_LIST_LIMIT", 2)
    page = client_for(operator).get(reverse("intake_board", args=[hotline.slug])).content.decode()
    assert "Too many are held to list them all here" in page
    assert "Смирнова Анна" not in page
    assert _url(hotline, stations["tverskoy"].pk).replace("?", "?") in page.replace("&amp;", "&")
    assert 'id="station-people"' in page


def test_a_station_opens_as_a_fragment_for_htmx_and_as_a_page_without(
    client_for, operator, hotline, stations, held
):
    client = client_for(operator)
    url = _url(hotline, stations["tverskoy"].pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<section id="station-people"') and "Смирнова Анна" in fragment
    assert "Орлов Максим" not in fragment
    page = client.get(url).content.decode()
    assert "<!doctype" in page.lower() and "Смирнова Анна" in page


def test_those_not_yet_at_a_station_open_too_and_nonsense_is_not_found(
    client_for, operator, hotline, held
):
    client = client_for(operator)
    assert "Козлова Дарья" in client.get(_url(hotline, "none")).content.decode()
    assert client.get(_url(hotline, "tverskoy")).status_code == 404
    assert client.get(_url(hotline, "999999")).status_code == 404
