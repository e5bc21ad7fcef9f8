"""The surge board: per police station, updated by htmx polling; the public counts as JSON."""

import json
import re

import pytest
from django.urls import reverse

from pompolit.intake import services
from pompolit.intake.models import Status
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry
from pompolit.members.roles import Role


@pytest.fixture
def surge(operator, hotline, stations):
    made = {}
    for name, birth, where in [
        ("Смирнова Анна", "2001", "tverskoy"),
        ("Орлов Максим", "2010", "tverskoy"),
        ("Козлова Дарья", "1995", "kitay"),
    ]:
        made[name] = record_report(
            operator,
            hotline,
            entry(name, birth=birth, facility=stations[where], needs=frozenset({"need_water"})),
            reporter="volunteer",
        ).detention
    services.change_status(operator, made["Козлова Дарья"], Status.RELEASED)
    return made


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CASE_WORKER])
def test_coordinators_and_case_workers_on_duty_read_the_board(
    client_for, make_member, hotline, surge, role
):
    member = make_member("Вера Засулич", role, compartments=[hotline])
    page = client_for(member).get(reverse("intake_board", args=[hotline.slug])).content.decode()
    assert "ОВД «Тверской»" in page and "Смирнова Анна" in page
    assert 'hx-trigger="every 10s"' in page
    # Only operators open a detention's page: the board lists names without links for others.
    assert reverse("intake_detention", args=[hotline.slug, surge["Смирнова Анна"].pk]) not in page


def test_the_polled_part_has_the_counts_per_station(client_for, operator, hotline, surge):
    page = (
        client_for(operator).get(reverse("intake_board_rows", args=[hotline.slug])).content.decode()
    )
    assert page.startswith('<div id="board-rows"')
    assert "<!doctype" not in page  # a fragment, swapped in place
    row = page.split('href="#station-')[1].split("</tr>")[0]
    assert "ОВД «Тверской»" in row
    cells = [re.sub(r"<[^>]+>", "", c.split("</td>")[0]) for c in row.split("<td>")[1:]]
    assert cells == ["2", "1", "2", "2", "0", "—"]  # no lawyer on duty there
    assert "Козлова Дарья" not in page  # released: counted, not listed


def test_treasurers_auditors_and_other_hotlines_see_no_board(
    client_for, make_member, hotline, spb_operator, surge
):
    url = reverse("intake_board", args=[hotline.slug])
    for member in (
        make_member("Мария Ошанина", Role.TREASURER, compartments=[hotline]),
        make_member("Михаил Фроленко", Role.AUDITOR, compartments=[hotline]),
        spb_operator,
    ):
        assert client_for(member).get(url).status_code in {403, 404}


def test_public_counts_are_json_for_anyone_and_name_nobody(client, surge):
    response = client.get(reverse("intake_public_counts"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert (data["detentions"], data["people"]) == (3, 3)
    assert data["by_city"] == [{"city": "Москва", "detentions": 3, "people": 3}]
    body = response.content.decode()
    assert "Смирнова" not in body and "Орлов" not in body and "Тверской" not in body


def test_a_long_list_is_cut_and_says_how_many_more(
    client_for, operator, hotline, surge, monkeypatch
):
    monkeypatch.setattr(services, "BOARD_PEOPLE_PER_STATION", 1)
    page = (
        client_for(operator).get(reverse("intake_board_rows", args=[hotline.slug])).content.decode()
    )
    assert "and 1 more held here" in page
    assert ("Смирнова Анна" in page) != ("Орлов Максим" in page)


def test_the_dashboard_shows_each_hotline_with_how_many_are_held(
    client_for, operator, hotline, surge
):
    page = client_for(operator).get(reverse("dashboard")).content.decode()
    assert "Detention hotlines" in page and "2 held now" in page
    assert reverse("intake_console", args=[hotline.slug]) in page
