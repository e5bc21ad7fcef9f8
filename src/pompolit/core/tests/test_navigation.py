"""Every link a member is shown leads somewhere they may go: no page offers a 403.

Follows the links of each role's pages (two levels from the dashboard and the section index
pages) with the test client and asks that each answers. A link to a page that refuses the
member is a dead end in their day; it also tells them what exists that they may not see.
"""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import reverse

from pompolit.members.roles import Role

HREF = re.compile(r'<a\s[^>]*href="(/[^"]*)"')
# Downloads and the language switch are not pages to walk into.
NOT_PAGES = re.compile(r"\.(csv|json|xlsx|pdf|svg|png)$|/accounts/logout/|/i18n/")


def walk(client: Any, starts: list[str], depth: int = 2) -> dict[str, tuple[int, str]]:
    """Each internal path reached → (status, the page that linked to it)."""
    seen: dict[str, tuple[int, str]] = {}
    frontier = [(start, "(start)") for start in starts]
    for _ in range(depth + 1):
        following = []
        for path, came_from in frontier:
            if path in seen:
                continue
            response = client.get(path)
            seen[path] = (response.status_code, came_from)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            for href in HREF.findall(response.content.decode()):
                link = urlparse(urldefrag(href)[0]).path
                if not NOT_PAGES.search(link) and link not in seen:
                    following.append((link, path))
        frontier = following
    return seen


@pytest.mark.parametrize("roles", [
    [Role.TREASURER], [Role.AUDITOR], [Role.CASE_WORKER], [Role.HOTLINE_OPERATOR],
    [Role.COORDINATOR], [],
])
def test_no_link_shown_to_a_member_leads_to_a_refusal(
    make_member: Callable[..., Any], client_for: Callable[[Any], Any], compartment: Any,
    roles: list[str],
) -> None:
    member = make_member("Анна", *roles, compartments=[compartment])
    starts = [reverse("dashboard")]
    if Role.TREASURER in roles or Role.AUDITOR in roles:
        starts.append(reverse("ledger_balances"))
    if Role.CASE_WORKER in roles:
        starts += [reverse("case_list"), reverse("aid_follow_ups")]
    if Role.COORDINATOR in roles:
        starts.append(reverse("aid_plan"))
    reached = walk(client_for(member), starts)
    refused = {path: found for path, found in reached.items() if found[0] in (403, 404, 500)}
    assert not refused, refused
    assert len(reached) > 5


def test_the_books_pages_share_a_menu_that_shows_each_role_only_what_it_may_do(
    make_member: Callable[..., Any], client_for: Callable[[Any], Any],
) -> None:
    treasurer = make_member("Казначей", Role.TREASURER)
    auditor = make_member("Ревизор", Role.AUDITOR)
    as_treasurer = client_for(treasurer).get(reverse("ledger_balances")).content.decode()
    as_auditor = client_for(auditor).get(reverse("ledger_balances")).content.decode()
    for name in ("expense_list", "campaign_list", "statement_list"):
        assert f'href="{reverse(name)}"' in as_treasurer
        assert f'href="{reverse(name)}"' in as_auditor
    for name in ("record_donation", "import_upload", "publish_statement"):
        assert f'href="{reverse(name)}"' in as_treasurer
        assert f'href="{reverse(name)}"' not in as_auditor
