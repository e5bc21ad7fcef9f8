"""End to end in headless Chromium: the demo's treasurer records a donation with a mistyped
amount, finds it in the donations list, corrects it (reversal with the reason, the corrected
donation in the same step) and sees both in the journal. The demo server and the browser are
core/tests/test_browser.py's."""

import re
from typing import Any

import pytest

from pompolit.core.tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    browser_page,
    demo_server,
    sign_in,
)

# After the demo's last published statement (October 2026): the books are open then.
RECEIVED = "2026-11-30"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install "
                       "chromium)"),
]


def test_a_treasurer_corrects_a_mistyped_donation_from_the_donations_list(
    demo_server: str, browser_page: tuple[Any, list[str]]  # noqa: F811
) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    page, problems = browser_page
    secrets = {pseudonym: secret for pseudonym, secret, _roles in DEMO_MEMBERS}
    sign_in(page, demo_server, "kaznachei", secrets["kaznachei"])

    # 5 000 typed for 500 (below the approval threshold: one treasurer corrects it).
    page.goto(f"{demo_server}/ledger/donations/new/")
    page.locator("[name=date]").fill(RECEIVED)
    page.locator("[name=amount]").fill("5000")
    page.locator("section.card button[type=submit]").click()
    page.locator("#receipt-code").wait_for()

    # The books' menu leads to the donations list; the newest is first.
    page.goto(f"{demo_server}/ledger/")
    page.locator(".sub-nav a[href='/ledger/donations/']").click()
    page.wait_for_url(f"{demo_server}/ledger/donations/")
    first = page.locator("tbody tr").first
    assert "5000,00" in first.inner_text().replace("\xa0", "").replace(" ", "")
    first.locator("a[href$='/correct/']").click()
    page.wait_for_url(re.compile(r".*/ledger/donations/\d+/correct/$"))

    # The form has the old values; the treasurer fixes the amount and says why.
    assert page.locator("[name=amount]").input_value() == "5000.00"
    # Shown as the page writes dates (the demo signs in in Russian); ISO was typed.
    assert page.locator("[name=date]").input_value() == "30.11.2026"
    page.locator("[name=amount]").fill("500")
    page.locator("[name=reason]").fill("лишний ноль в сумме")
    page.locator("section.card button[type=submit]").click()
    page.locator("#receipt-code").wait_for()
    assert page.locator("#receipt-code").inner_text() != ""

    # The journal shows the reversal with its reason, and the corrected donation above it.
    page.goto(f"{demo_server}/ledger/journal/?kind=reversal")
    reversal = page.locator("tbody tr").first
    assert "лишний ноль в сумме" in reversal.inner_text()
    page.goto(f"{demo_server}/ledger/donations/")
    rows = page.locator("tbody tr")
    assert "500,00" in rows.nth(0).inner_text().replace("\xa0", "").replace(" ", "")
    assert rows.nth(1).locator("del").count() == 1
    assert not problems, problems
