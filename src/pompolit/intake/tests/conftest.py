"""The browser test's fixtures: a demo server and a Chromium page (core/tests/test_browser.py)."""

from pompolit.core.tests.test_browser import browser_page, demo_server  # noqa: F401 (fixtures)
