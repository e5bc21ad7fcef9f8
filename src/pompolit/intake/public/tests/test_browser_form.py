"""End to end in headless Chromium, with JavaScript: the form solves its proof-of-work stamp
before it is sent, the report is received with a private code, the code's status page answers;
at 390 px the form needs no sideways scrolling. Against a real demo server
(core/tests/test_browser.py's fixtures)."""

import re
from typing import Any

import pytest

from pompolit.core.tests.test_browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="end-to-end browser tests need Debian's chromium"
    ),
]


def test_a_relative_reports_a_detention_with_the_stamp_solved(
    demo_server: str, browser_page: tuple[Any, list[str]], tmp_path: Any
) -> None:
    page, problems = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo_server}/intake/report/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "public-form-390.png"), full_page=True)

    page.fill("#id_surname", "Тестова")
    page.fill("#id_given", "Вера")
    page.fill("#id_birth", "1990")
    page.select_option("#id_city", "Москва")
    page.fill("#id_now_at_text", "автозак 3")
    page.check("input[name=needs][value=water]")
    page.check("input[name=reporter][value=relative]")
    page.fill("#id_note", "<b>не жирным</b>")
    with page.expect_request(lambda r: r.method == "POST" and "/intake/report/" in r.url) as sent:
        page.click("#public-report button[type=submit]")
    # The form is multipart (it takes photos): the solved counter is one of its parts.
    counter = re.search(r'name="pow_counter"\r\n\r\n(\d+)\r\n', sent.value.post_data or "")
    assert counter is not None, "the stamp was not solved"
    page.wait_for_selector("#report-code")
    code = page.inner_text("#report-code")
    assert len(code.replace("-", "")) == 28
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "public-code-390.png"), full_page=True)

    page.goto(f"{demo_server}/intake/report/status/")
    page.fill("#id_code", code)
    page.click("form[action$='/status/'] button[type=submit]")
    page.wait_for_selector("#h-status")
    assert code not in page.content()
    assert not problems, problems
