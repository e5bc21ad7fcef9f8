"""Every public page passes axe-core's WCAG 2 A and AA rules, in English and Russian, with
script and without — and without script its content and forms still work.

In Debian's headless Chromium against a `pompolit demo` server of its own (the fixtures of
core/tests/test_browser.py). axe-core comes bundled with axe-playwright-python and is injected
into the page from disk: nothing is fetched. A violation fails the test with its rule, its impact
and the offending elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pompolit.core.tests.test_browser import CHROMIUM, CHROMIUM_ARGS, demo_server

__all__ = ["demo_server"]  # a fixture, used by name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium"),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOCALES = {"en": "en-GB", "ru": "ru-RU"}
DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['id']}] ({v.get('impact')}) {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


class Checker:
    """Runs axe on a page and keeps what it found, so one test reports every page at once."""

    def __init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.failures: list[str] = []

    def check(self, page: Any, label: str) -> None:
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        if violations:
            self.failures.append(f"== {label} ({page.url})\n{describe(violations)}")

    def assert_clean(self) -> None:
        assert not self.failures, "accessibility violations:\n" + "\n".join(self.failures)


@pytest.fixture(scope="module")
def browser(demo_server: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("axe_playwright_python")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Any, demo_server: str) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def make(lang: str, *, script: bool, viewport: dict[str, int] = DESKTOP,
             browser_script: bool | None = None) -> Any:
        """A page as a visitor sees it. Without `script` the site's scripts are not loaded;
        the browser's own script stays on (unless `browser_script` is False) because axe runs
        in the page: with the browser's script off its checks never finish."""
        context = browser.new_context(
            locale=LOCALES[lang], viewport=viewport,
            java_script_enabled=True if browser_script is None else browser_script)
        context.route(lambda url: not url.startswith(demo_server), lambda route: route.abort())
        if not script:
            context.route("**/*.js", lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def first_href(page: Any, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    assert href, f"no link {selector} on {page.url}"
    return str(href)


def public_ids(page: Any, base: str) -> list[str]:
    page.goto(f"{base}/prisoners/")
    hrefs = page.locator("ul.prisoners h2 a").evaluate_all("els => els.map(e => e.pathname)")
    return [h.strip("/").split("/")[-1] for h in hrefs]


def submit(page: Any, form: str, button: str | None = None) -> None:
    """Send a form as a person would: its submit button, then wait for the answer."""
    target = page.locator(form)
    clicked = target.locator(button) if button else target.locator(
        "button[type=submit], input[type=submit]").last
    with page.expect_navigation():
        clicked.click()


def walk_public_pages(page: Any, base: str, lang: str, label: str, checker: Checker) -> None:
    """Every public page and its states, checked as it is reached. With or without script,
    the forms are sent with their buttons: without script that is a full page load."""
    script = label.endswith("script")

    def at(path: str, what: str) -> None:
        response = page.goto(base + path)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        check(what)

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, page.url
        main = page.locator("main#main")
        assert main.count() == 1 and main.is_visible(), f"{what}: no visible <main> ({page.url})"
        assert page.locator("main h1").count() >= 1, f"{what}: no heading ({page.url})"
        checker.check(page, f"{lang} {label}: {what}")

    # The prisoner list, then a name search and filters (sent by POST, as a person would).
    at("/prisoners/", "prisoner list")
    ids = public_ids(page, base)
    assert ids, "the demo publishes nobody"
    page.goto(base + "/prisoners/")
    page.locator("#id_q").fill("Kibaltchiche")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#prisoner-search button[type=submit]").click()
    page.locator("#results").wait_for()
    found = page.locator("#results ul.prisoners li.prisoner")
    found.first.wait_for()
    assert "Кибальчич" in found.first.inner_text() or "Kibal" in found.first.inner_text()
    check("prisoner list, a name found")
    page.goto(base + "/prisoners/")
    if not page.locator("details.more-filters").get_attribute("open"):
        page.locator("details.more-filters summary").click()
    page.locator("#id_letters").check()
    page.locator("#id_sort").select_option("age")
    page.locator("#id_age_min").fill("20")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#prisoner-search button[type=submit]").click()
    page.locator("#results .found-count").wait_for()
    check("prisoner list, filtered")
    # "From" larger than "up to": the error shown beside its field.
    page.goto(base + "/prisoners/")
    page.locator("details.more-filters summary").click()
    page.locator("#id_age_min").fill("60")
    page.locator("#id_age_max").fill("20")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#prisoner-search button[type=submit]").click()
    if not script:
        error = page.locator("#id_age_max_error")
        assert error.is_visible(), "the filter's error is not shown"
        assert "id_age_max_error" in (page.locator("#id_age_max").get_attribute(
            "aria-describedby") or "")
        check("prisoner list, a filter refused")

    profile = f"/prisoners/{ids[0]}/"
    at(profile, "a profile")
    at("/prisoners/help/", "who you can help right now")
    at("/prisoners/hearings/", "hearings")

    # Report an inaccuracy: the form, then sent empty (errors beside the field).
    at(f"{profile}report/", "report an inaccuracy")
    page.locator("#id_text").evaluate("el => el.removeAttribute('required')")
    submit(page, "main form")
    assert page.locator("#id_text_error").is_visible(), "no error shown for an empty report"
    assert "id_text_error" in (page.locator("#id_text").get_attribute("aria-describedby") or "")
    assert page.locator("#id_text").get_attribute("aria-invalid") == "true"
    check("report an inaccuracy, refused")

    at("/intake/report/", "report a detention")
    at("/intake/report/status/", "a report's status")
    page.locator("main form input[name=code]").fill("AAAA-BBBB-CCCC")
    submit(page, "main form")
    check("a report's status, code not found")
    at("/intake/counts/", "detention counts")

    at("/letters/", "letters")
    letter = first_href(page, "main a[href^='/letters/to/']") if page.locator(
        "main a[href^='/letters/to/']").count() else f"/letters/to/{ids[0]}/"
    at(letter, "write a letter (the facility's rules)")
    at("/letters/status/", "a letter's status")

    at("/ledger/statements/", "published statements")
    at(first_href(page, "main a[href^='/ledger/statements/20']"), "a statement")
    at("/ledger/check/", "check a donation")
    at("/accounts/login/", "sign in")


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_public_page_passes_axe(
    demo_server: str, new_page: Callable[..., Any], lang: str, script: bool
) -> None:
    checker = Checker()
    page = new_page(lang, script=script)
    walk_public_pages(page, demo_server, lang, "script" if script else "no script", checker)
    checker.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_public_pages_on_a_phone_pass_axe(
    demo_server: str, new_page: Callable[..., Any], lang: str
) -> None:
    """At 390 px the layout changes (folded filters, stacked cards): contrast and target
    sizes are checked there too, on the pages people open from a link on a phone."""
    checker = Checker()
    page = new_page(lang, script=True, viewport=PHONE)
    ids = public_ids(page, demo_server)
    for path in ["/prisoners/", f"/prisoners/{ids[0]}/", "/prisoners/help/",
                 "/prisoners/hearings/", f"/prisoners/{ids[0]}/report/", "/letters/"]:
        page.goto(demo_server + path)
        checker.check(page, f"{lang} phone: {path}")
    checker.assert_clean()


def test_without_script_the_search_and_the_report_form_still_work(
    demo_server: str, new_page: Callable[..., Any]
) -> None:
    page = new_page("ru", script=False, browser_script=False)
    page.goto(f"{demo_server}/prisoners/")
    page.locator("#id_q").fill("Кибальчич")
    submit(page, "#prisoner-search")
    assert page.url == f"{demo_server}/prisoners/"  # no name in the address
    assert re.search("Кибальчич", page.locator("#results").inner_text())
    # After a search the folded filters stay open, what was set in sight; on a fresh page
    # they are folded and open without script (<details>).
    assert page.locator("#id_region").is_visible()
    page.goto(f"{demo_server}/prisoners/")
    assert not page.locator("#id_region").is_visible()
    page.locator("details.more-filters summary").click()
    assert page.locator("#id_region").is_visible()

    ids = public_ids(page, demo_server)
    page.goto(f"{demo_server}/prisoners/{ids[0]}/report/")
    page.locator("#id_text").fill("Неверно указано учреждение: он уже в ИК-6.")
    submit(page, "main form")
    assert page.locator("main").get_by_role("heading").count()
    assert not page.locator("#id_text_error").count()
