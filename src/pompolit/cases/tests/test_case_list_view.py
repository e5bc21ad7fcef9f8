"""The case list and its search box (`cases.views.case_list`). What a case worker types — a
name, a case number, a phone number — goes by POST, so it is in no address that access logs,
proxies or browser history keep; paging goes by POST too."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pompolit.cases import services, views
from pompolit.cases.testing import P, event_type, status

SURNAMES = ["Ремизова", "Гершуни", "Спиридонова", "Каховская", "Измайлович"]


@pytest.fixture
def sisters(open_case, exile):
    """Five more people named Измайлович (and the exile): enough for pages of two."""
    return [open_case("Измайлович", given, status=status("in-exile"))
            for given in ["Александра", "Мария", "Екатерина", "Анна", "Ольга"]]


def names_in(response):
    return re.findall(r'<a href="/cases/[\w-]+/\d+/">([^<]+)</a>', response.content.decode())


def test_the_search_box_sends_by_post(worker, client_for):
    page = client_for(worker).get(reverse("case_list")).content.decode()
    form = re.search(r'<form method="(\w+)"[^>]*role="search"[^>]*>', page)
    assert form is not None and form.group(1) == "post"
    assert 'hx-post="/cases/"' in form.group(0)


def test_a_name_in_latin_letters_finds_the_case(worker, exile, client_for):
    response = client_for(worker).post(reverse("case_list"), {"q": "Remizova"})
    assert names_in(response) == ["Ремизова Анна Петровна"]


def test_a_case_number_finds_the_case(worker, exile, client_for):
    response = client_for(worker).post(reverse("case_list"), {"q": "ГПУ № 7-1922"})
    assert names_in(response) == ["Ремизова Анна Петровна"]


def test_an_old_bookmark_with_the_name_in_the_address_loses_only_the_name(worker, exile,
                                                                          client_for):
    client = client_for(worker)
    response = client.get(reverse("case_list"), {"q": "Ремизова", "status": "in-exile"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/?status=in-exile"
    page = client.get(response["Location"])
    assert "Type your search again" in page.content.decode()
    assert names_in(page) == ["Ремизова Анна Петровна"]  # the filter still applies


def test_filters_without_a_name_still_work_in_the_address(worker, exile, open_case, client_for):
    open_case("Гершуни", "Григорий", status=status("detained"))
    response = client_for(worker).get(reverse("case_list"), {"status": "in-exile"})
    assert names_in(response) == ["Ремизова Анна Петровна"]


def test_the_list_pages_by_post(worker, sisters, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for(worker)
    seen = []
    for number in [1, 2, 3]:
        response = client.post(reverse("case_list"), {"page": str(number)})
        seen += names_in(response)
        page = response.content.decode()
        assert (f'name="page" value="{number + 1}"' in page) == (number < 3)
        assert (f'name="page" value="{number - 1}"' in page) == (number > 1)
    assert len(seen) == 6 and len(set(seen)) == 6


def test_search_results_page_by_post_without_repeating_anyone(worker, sisters, client_for,
                                                              monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for(worker)
    pages = [names_in(client.post(reverse("case_list"), {"q": "Izmailovich", "page": n}))
             for n in ["1", "2", "3", "4"]]
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    found = [name for page in pages for name in page]
    assert len(set(found)) == 5 and all(n.startswith("Измайлович") for n in found)


@pytest.mark.parametrize("page", ["0", "-3", "много", ""])
def test_an_odd_page_number_is_the_first_page(worker, exile, client_for, page):
    response = client_for(worker).post(reverse("case_list"), {"page": page})
    assert response.status_code == 200
    assert names_in(response) == ["Ремизова Анна Петровна"]


def test_a_page_far_beyond_the_end_is_empty_not_an_error(worker, exile, client_for):
    response = client_for(worker).post(reverse("case_list"), {"page": "9" * 30})
    assert response.status_code == 200
    assert names_in(response) == []


def test_htmx_gets_the_results_to_swap_in(worker, exile, client_for):
    response = client_for(worker).post(reverse("case_list"), {"q": "Ремизова"},
                                       headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert '<div id="results">' in response.content.decode()
    assert names_in(response) == ["Ремизова Анна Петровна"]


def test_nothing_typed_appears_in_any_address_on_the_page(worker, sisters, client_for,
                                                          monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    page = client_for(worker).post(reverse("case_list"),
                                   {"q": "Izmailovich", "page": "2"}).content.decode()
    addresses = re.findall(r'(?:href|action|hx-post|hx-get)="([^"]*)"', page)
    assert addresses and not [a for a in addresses if "Izmailovich" in a or "q=" in a]


@pytest.mark.parametrize(("form", "before"),
                         [({"q": "Измайлович"}, 5), ({"status": "in-exile"}, 6)])
def test_a_longer_page_costs_no_more_queries(worker, sisters, open_case, facilities, client_for,
                                            django_assert_num_queries, form, before):
    """The list loads only what it shows (`search.services.SHOWN`): a column it reads that the
    search left unloaded would cost a query for every case on the page."""
    for case, facility in zip(sisters, ["ik6", "solovki", "orenburg"], strict=False):
        services.add_event(worker, case, type=event_type("arrest"), date=P("1921-03"),
                           facility=facilities[facility])
    client = client_for(worker)
    client.post(reverse("case_list"), form)  # the session's first request reads more
    with CaptureQueriesContext(connection) as shorter:
        assert len(names_in(client.post(reverse("case_list"), form))) == before
    queries = len(shorter)  # now: the connection keeps only the last 9,000 queries
    for given in ["Вера", "Надежда", "Любовь"]:
        case = open_case("Измайлович", given, status=status("in-exile"))
        services.add_event(worker, case, type=event_type("arrest"), date=P("1921-04"),
                           facility=facilities["lubyanka"])
    client.post(reverse("case_list"), form)  # writing dropped the vault's cached index key
    with django_assert_num_queries(queries):
        page = client.post(reverse("case_list"), form)
    assert len(names_in(page)) == before + 3
    shown = page.content.decode()
    assert "Лубянка" in shown and "Омская область" in shown and "in exile" in shown
