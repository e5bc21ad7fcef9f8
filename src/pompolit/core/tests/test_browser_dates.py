"""End to end in headless Chromium: a case worker reads and types dates in English — a new rule
for the demo's colony from 01.01.2026 (the Russian way, which English pages take too) is added
and shown as "1 Dec 2026"-style dates, never 12/01/2026; the date box is a text box with its
hint, not the browser's picker. The demo server and the browser are core/tests/test_browser.py's."""

import re
from typing import Any

import pytest

from pompolit.core.tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    browser_page,
    demo_server,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
]
MONTH_FIRST = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


def test_an_english_page_takes_a_dotted_date_and_writes_day_month_year(
    demo_server: str,  # noqa: F811
    browser_page: tuple[Any, list[str]],  # noqa: F811
) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    sign_in(page, demo_server, "nikolai", secrets["nikolai"])
    page.locator("button[name=language][value=en]").first.click()
    page.wait_for_load_state()

    page.goto(f"{demo_server}/cases/facilities/")
    page.get_by_role("link", name=re.compile("ИК-6")).first.click()
    page.wait_for_url(re.compile(r".*/cases/facilities/\d+/$"))
    facility = page.url
    page.goto(f"{facility}rules/new/")
    box = page.locator("[name=valid_from]")
    assert box.get_attribute("type") == "text"
    hint = page.locator("#id_valid_from_helptext").inner_text()
    assert "31 Dec 2026" in hint and "31.12.2026" in hint and "2026-12-31" in hint

    box.fill("01.01.2026")
    page.locator("[name=source]").fill("Приказ Минюста № 110")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(facility)
    rules = page.locator("main").inner_text()
    assert "1 Jan 2026" in rules
    assert not MONTH_FIRST.search(page.content())
    assert not problems, problems
