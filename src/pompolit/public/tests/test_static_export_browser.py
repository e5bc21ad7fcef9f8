"""The static copy in headless Chromium, served by a plain static server (http.server): every
link of every page leads somewhere, nothing is asked of another site, the list's filter and the
offline receipt check work with script, and the pages read without it."""

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest

from pompolit.core.tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from pompolit.ledger.testing import appeal, general, lawyers, treasurer  # noqa: F401
from pompolit.public.static_export import export
from pompolit.public.tests.test_static_export import site  # noqa: F401 (fixture)
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse fixture)
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="browser tests need Debian's chromium at /usr/bin/chromium"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(site, tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:  # noqa: F811
    folder = tmp_path / "site"
    export(folder)
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser: Any, base: str, *, script: bool = True) -> tuple[Any, list[str]]:
    context = browser.new_context(java_script_enabled=script, locale="en-GB")
    problems: list[str] = []
    # Anything asked of another site is refused and noted.
    context.route(lambda url: not url.startswith(base),
                  lambda route: (problems.append(f"asked another site: {route.request.url}"),
                                 route.abort()))
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    return page, problems


@pytest.mark.parametrize("script", [True, False])
def test_every_page_and_every_link_of_the_copy(served, browser, script):
    base, _site = served
    page, problems = open_page(browser, base, script=script)
    seen: set[str] = set()
    waiting = [base]
    while waiting:
        url = waiting.pop()
        if url in seen:
            continue
        seen.add(url)
        if not url.endswith((".html", "/")):  # a download, a calendar, a photo, a script
            assert page.context.request.get(url).status == 200, url
            continue
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        for href in page.eval_on_selector_all(
            "a[href], link[href], img[src], script[src]",
            "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))",
        ):
            assert not href.startswith(("/", "http:", "https:")), (url, href)
            target = urldefrag(urljoin(url, href)).url
            if target.startswith(base):
                waiting.append(target)
    assert any(u.endswith("/statement.json") for u in seen)
    assert any(u.endswith("/hearings.ics") for u in seen)
    assert sum(u.endswith("/index.html") and "/prisoners/" in u for u in seen) > 6
    assert problems == []


def test_the_list_filters_in_the_page_and_shows_everyone_without_script(served, browser):
    base, _site = served
    page, problems = open_page(browser, base)
    page.goto(base + "en/prisoners/index.html")
    assert page.locator("#static-list > li:visible").count() == 3
    page.get_by_label("Name").fill("Gorinow")
    assert page.locator("#static-list > li:visible").count() == 1
    assert page.locator("#static-list > li:visible h2").inner_text() == "Горинов Алексей"
    assert page.locator("#static-count").inner_text() == "Shown: 1 of 3"
    page.get_by_label("Name").fill("")
    page.get_by_label("Can receive letters").check()
    assert page.locator("#static-list > li:visible").count() == 1
    assert problems == []

    page, problems = open_page(browser, base, script=False)
    page.goto(base + "ru/prisoners/index.html")
    assert not page.locator("#static-filter").is_visible()
    assert page.locator("#static-list > li:visible").count() == 3
    assert problems == []


def test_the_receipt_check_works_offline_in_the_page(served, browser):
    base, data = served
    page, problems = open_page(browser, base)
    page.goto(base + "en/ledger/check/index.html")
    code = data["codes"]["march"]
    grouped = "-".join(code[i:i + 4] for i in range(0, 28, 4)).lower()
    page.get_by_label("Receipt code").fill(grouped)
    page.get_by_role("button", name="Check").click()
    result = page.locator("#receipt-result")
    result.get_by_text("Your donation is in the books").wait_for()
    text = result.inner_text()
    assert "1500.50 EUR" in text and "2025-03" in text and "lawyers" in text
    assert "Checked in your browser" in text

    page.get_by_label("Receipt code").fill(data["codes"]["reversed"])
    page.get_by_role("button", name="Check").click()
    result.get_by_text("later reversed").wait_for()

    # A typo is caught by the check symbols; a well-formed code of no donation is not found.
    typo = ("0" if code[0] != "0" else "1") + code[1:]
    page.get_by_label("Receipt code").fill(typo)
    page.get_by_role("button", name="Check").click()
    result.get_by_text("typing mistake").wait_for()
    from pompolit.core.private_codes import new_code

    page.get_by_label("Receipt code").fill(new_code())
    page.get_by_role("button", name="Check").click()
    result.get_by_text("No donation with this receipt code").wait_for()
    # April's donation is after the latest statement: not there yet.
    page.get_by_label("Receipt code").fill(data["codes"]["april"])
    page.get_by_role("button", name="Check").click()
    result.get_by_text("No donation with this receipt code").wait_for()
    assert problems == []


def test_the_receipt_check_refuses_data_that_does_not_verify(served, browser, tmp_path):
    import json

    from pompolit.ledger import receipts

    base, data = served
    code = data["codes"]["march"]
    wanted = receipts.receipt_id(code)
    shard = tmp_path / "site" / "ledger" / "receipts" / f"{wanted[:2]}.json"
    data = json.loads(shard.read_text())
    document = data["receipts"][wanted]["inclusion"]
    document["leaf_data"] = document["leaf_data"].replace("A", "B", 1)  # a forged leaf
    shard.write_text(json.dumps(data))
    page, _problems = open_page(browser, base)
    page.goto(base + "ru/ledger/check/index.html")
    page.locator("#receipt-code").fill(code)
    page.locator("#receipt-check button").click()
    page.locator("#receipt-result .warn").wait_for()
    assert "не проходят проверку" in page.locator("#receipt-result").inner_text() or \
        "does not verify" in page.locator("#receipt-result").inner_text()
