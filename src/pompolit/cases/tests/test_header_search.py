"""The case search in every page's header, for case workers: a name in any script or a case
number, sent by POST to the case list, so what is typed never sits in an address."""

import re

import pytest
from django.urls import reverse

from pompolit.members.roles import Role

HEADER_SEARCH = re.compile(r'<form method="(\w+)" action="([^"]*)" class="header-search"[^>]*>')


def header_search(page: str) -> re.Match[str] | None:
    return HEADER_SEARCH.search(page)


@pytest.mark.parametrize("where", ["dashboard", "approval_list", "compartment_list"])
def test_a_case_worker_finds_the_search_in_every_pages_header(worker, client_for, where):
    form = header_search(client_for(worker).get(reverse(where)).content.decode())
    assert form is not None
    assert form.group(1) == "post" and form.group(2) == reverse("case_list")


@pytest.mark.parametrize("roles", [[Role.COORDINATOR], [Role.TREASURER], [Role.AUDITOR],
                                   [Role.HOTLINE_OPERATOR], []])
def test_members_who_keep_no_cases_have_no_case_search(make_member, client_for, roles):
    member = make_member("Ольга Любатович", *roles)
    assert header_search(client_for(member).get(reverse("dashboard")).content.decode()) is None


def test_the_case_list_has_its_own_search_and_no_second_one(worker, client_for):
    assert header_search(client_for(worker).get(reverse("case_list")).content.decode()) is None


@pytest.mark.parametrize("typed", ["Remizova", "Ремизова", "ГПУ № 7-1922"])
def test_what_is_typed_in_the_header_finds_the_case_and_stays_out_of_the_address(
    worker, exile, client_for, typed
):
    # What the header's form sends: the text and the first page, by POST, to the case list.
    response = client_for(worker).post(reverse("case_list"), {"q": typed, "page": "1"})
    assert response.status_code == 200  # the list itself, not a redirect carrying the text
    names = re.findall(r'<a href="/cases/[\w-]+/\d+/">([^<]+)</a>', response.content.decode())
    assert names == ["Ремизова Анна Петровна"]
    assert typed not in response.wsgi_request.get_full_path()
