"""The README tour's expense step in headless Chromium, in English: a treasurer records an
expense above the threshold from a fund that cannot pay it, a second treasurer approves, the
payment waits with its reason in English; money arrives and the first treasurer pays it.

The demo server and the browser are core/tests/test_browser.py's (a `pompolit demo` SQLite
database of its own, Debian's chromium)."""

import io
import re
import time
from typing import Any

import pytest
from PIL import Image

from pompolit.core.tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    browser_page,
    demo_server,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="end-to-end browser tests need Debian's chromium"),
]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(out, "PNG")
    return out.getvalue()


# The TOTP period each login used: a code is accepted once, so a second login of the same
# member waits for the next one.
USED: dict[str, int] = {}


def _as(page: Any, base: str, pseudonym: str) -> None:
    from pompolit.members.management.commands.demo import DEMO_MEMBERS

    secrets = {name: secret for name, secret, _roles in DEMO_MEMBERS}
    while USED.get(pseudonym) == int(time.time()) // 30:
        time.sleep(1)
    USED[pseudonym] = int(time.time()) // 30
    page.context.clear_cookies()
    sign_in(page, base, pseudonym, secrets[pseudonym])
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()


def test_two_treasurers_pay_an_expense_once_its_fund_has_the_money(
    demo_server: str, browser_page: tuple[Any, list[str]]  # noqa: F811
) -> None:
    page, problems = browser_page
    base = demo_server

    # Treasurer 1 records 900 000 RUB for parcels, with a receipt: the fund is short.
    _as(page, base, "kaznachei")
    page.goto(f"{base}/ledger/expenses/new/")
    assert page.get_by_role("heading", name="What the restricted funds hold").is_visible()
    page.get_by_label("Amount", exact=True).fill("900000")
    page.get_by_label("Currency", exact=True).select_option("RUB")
    page.get_by_label("Fund", exact=True).select_option("parcels")
    page.get_by_label("Expense account", exact=True).select_option("expenses:parcels")
    page.get_by_label("Category", exact=True).select_option("parcel")
    page.locator("#id_description").fill("Передачи на зиму для ИК-6")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "чек.png", "mimeType": "image/png", "buffer": _png()}])
    page.get_by_role("button", name="Submit the expense").click()
    page.wait_for_url(re.compile(r".*/ledger/expenses/\d+/$"))
    expense_url = page.url
    assert page.get_by_text("less than this expense").first.is_visible()

    # The receipt opens from the expense's page.
    page.get_by_role("link", name="Receipt 1").click()
    page.wait_for_url(re.compile(r".*/receipts/1/$"))
    page.goto(expense_url)

    page.get_by_role("button", name="Ask for approval to pay").click()
    page.get_by_text("A second treasurer must now approve request").wait_for()
    request_id = re.search(r"request #(\d+)", page.locator(".message").first.inner_text())
    assert request_id is not None

    # Treasurer 2 approves: nothing is paid, and the reason is in English.
    _as(page, base, "kassir")
    page.goto(f"{base}/approvals/{request_id.group(1)}/")
    page.get_by_role("button", name="Approve and carry out").click()
    page.get_by_text("has only").first.wait_for()
    page.goto(expense_url)
    assert page.get_by_role("heading", name="Approved, not paid yet").is_visible()
    reason = page.locator("#h-stuck ~ .errors").inner_text()
    assert "has only" in reason and "Передачи в Оренбург" in reason

    # Money arrives; treasurer 1 pays it now.
    _as(page, base, "kaznachei")
    page.goto(f"{base}/ledger/donations/new/")
    page.get_by_label("Amount", exact=True).fill("1000000")
    page.get_by_label("Currency", exact=True).select_option("RUB")
    page.get_by_label("Fund", exact=True).select_option("parcels")
    page.get_by_role("button", name=re.compile("Record")).click()
    page.wait_for_load_state()
    page.goto(expense_url)
    page.get_by_role("button", name="Pay now").click()
    page.get_by_text("Paid and posted to the books.").wait_for()
    assert page.locator("dd").first.inner_text() == "paid"
    assert not problems, problems
