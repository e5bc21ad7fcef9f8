#!/usr/bin/env python
"""Screenshots of every page, in English and Russian: `make screenshots`.

Starts `pompolit demo` on a throwaway SQLite file, signs in as each demo role in headless
Chromium (Debian's /usr/bin/chromium), follows every link a member of that role can see —
one page per URL shape (`/cases/12/` and `/cases/13/` are the same page) — and saves one
screenshot per page and language, plus the public pages seen without signing in.

It also reads what it sees: a page that answers with an error, logs a console error, breaks
the Content Security Policy, still shows English words where Russian is expected, or scrolls
sideways at a phone's width (390 px: its scroll width is wider than the screen) is listed at
the end, and the script exits 1. The gallery goes to docs/screenshots/pages/ with an
index (docs/screenshots/pages/README.md).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

import page_checks  # scripts/page_checks.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the demo's published password
# Who looks at the pages: each sees what their role may see.
VISITORS = ["vera", "nikolai", "kaznachei", "hotline", "lev", "auditor"]
SKIP = re.compile(r"/accounts/logout/|/logout|/download|\.(csv|json|xlsx|pdf|svg|png|txt)$"
                  r"|/static/|/i18n/")
PAGE_LIMIT = 400
# Where the visitor who is not signed in starts (the rest is found by following links).
PUBLIC_START = ["/", "/accounts/login/", "/prisoners/", "/prisoners/help/",
                "/prisoners/hearings/", "/accounts/", "/intake/report/", "/intake/report/status/",
                "/intake/counts/"]
# Public pages people mostly open on a phone: also saved at 390 px (`…-phone.png`).
PHONE_SHOTS = {"/prisoners/", "/prisoners/help/", "/prisoners/hearings/", "/intake/report/",
               "/intake/counts/"}


def demo_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POMPOLIT_", "DJANGO_"))}
    return env | {"POMPOLIT_VAR_DIR": str(var_dir), "POMPOLIT_DEMO": "1",
                  "DJANGO_SETTINGS_MODULE": "pompolit.settings.dev", "PYTHONUNBUFFERED": "1"}


POMPOLIT = str(Path(sys.executable).with_name("pompolit"))


def totp_now(var_dir: Path, pseudonym: str) -> str:
    """The demo login's current second factor, as `pompolit demo codes` prints it."""
    codes = subprocess.run([POMPOLIT, "demo", "codes"], env=demo_env(var_dir), check=True,  # noqa: S603
                           capture_output=True, text=True, timeout=60).stdout
    return dict(line.split() for line in codes.splitlines() if line.strip())[pseudonym]


def shape(path: str) -> str:
    """One page per URL shape: numbers and long tokens become placeholders."""
    path = re.sub(r"/\d+(?=/|$)", "/N", path)
    path = re.sub(r"/(?=[^/]*\d)[A-Za-z0-9_-]{12,}(?=/|$)", "/T", path)
    return path


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", shape(path).lower()).strip("-") or "home"


@dataclass
class Shot:
    who: str
    lang: str
    path: str
    file: str
    title: str


@dataclass
class Report:
    shots: list[Shot] = field(default_factory=list)
    phone_shots: list[Shot] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    catalogue: frozenset[str] = frozenset()  # the project's English strings (page_checks)
    pseudonyms: frozenset[str] = frozenset()  # the demo members' (Latin words, not codes)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_demo(var_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = demo_env(var_dir)
    pompolit = POMPOLIT
    print("Loading the demo data…", flush=True)
    subprocess.run([pompolit, "demo"], env=env, check=True, capture_output=True,  # noqa: S603
                   timeout=600)
    port = free_port()
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [pompolit, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2):  # noqa: S310
                return server, base
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("runserver did not start:\n" + (var_dir / "server.log").read_text())


def sign_in(page: Any, base: str, pseudonym: str, var_dir: Path) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(pseudonym)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=login]) button[type=submit]").first.click()
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.locator("input[name=code]").fill(totp_now(var_dir, pseudonym))
    page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_url(f"{base}/dashboard/")


# Words that must not be left in English on a Russian page (menu and common buttons).
def pseudonyms(var_dir: Path) -> frozenset[str]:
    """The demo's members: their pseudonyms are Latin words a Russian page shows as they are."""
    names = subprocess.run(  # noqa: S603
        [POMPOLIT, "shell", "-c", "from pompolit.members.models import Member; "
         "print(*Member.objects.values_list('pseudonym', flat=True))"],
        env=demo_env(var_dir), check=True, capture_output=True, text=True, timeout=60,
    ).stdout
    lines = names.strip().splitlines()  # the shell may say what it imported first
    return frozenset(lines[-1].split()) if lines else frozenset()


def crawl(context: Any, base: str, who: str, lang: str, start: list[str], out: Path,
          report: Report, seen_shapes: set[tuple[str, str]]) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    queue = deque(start)
    visited: set[str] = set()
    while queue and len(visited) < PAGE_LIMIT:
        path = queue.popleft()
        key = shape(path)
        if key in visited:
            continue
        visited.add(key)
        errors.clear()
        try:
            response = page.goto(base + path)
        except Exception as error:  # a download, or a page that never loads
            if "Download is starting" not in str(error):
                report.problems.append(f"{who} {lang} {path}: {str(error).splitlines()[0]}")
            continue
        if response is None:
            continue
        ctype = response.headers.get("content-type", "")
        if not ctype.startswith("text/html"):
            continue
        if response.status >= 400:
            report.problems.append(f"{who} {lang} {path}: HTTP {response.status}")
            continue
        page.wait_for_load_state("networkidle")
        current = urlparse(page.url).path
        if shape(current) != key and shape(current) in visited:
            continue  # a redirect to a page already seen
        for error in errors:
            report.problems.append(f"{who} {lang} {path}: console: {error}")
        texts = page.evaluate(page_checks.PAGE_TEXTS_JS)
        if lang == "ru":
            leftovers = page_checks.untranslated(texts, report.catalogue, report.pseudonyms)
            if leftovers:
                report.problems.append(f"{who} ru {path}: English left: {'; '.join(leftovers)}")
        codes = page_checks.codes_shown(texts, russian=lang == "ru", allowed=report.pseudonyms)
        if codes:
            report.problems.append(f"{who} {lang} {path}: codes shown: {', '.join(codes)}")
        too_wide = phone_overflow(page)
        if too_wide:
            report.problems.append(f"{who} {lang} {path}: wider than a phone: {too_wide}")
        if (shape(current), lang) not in seen_shapes:
            seen_shapes.add((shape(current), lang))
            name = f"{slug(current)}-{lang}.png"
            png = page.screenshot(full_page=True)
            save_small_png(png, out / name)
            report.shots.append(Shot(who, lang, current, name, page.title()))
            print(f"  {who:<9} {lang} {current}", flush=True)
            if who == "public" and current in PHONE_SHOTS:
                wide = page.viewport_size
                page.set_viewport_size(PHONE)
                phone = f"{slug(current)}-{lang}-phone.png"
                save_small_png(page.screenshot(full_page=True), out / phone)
                page.set_viewport_size(wide)
                report.phone_shots.append(Shot(who, lang, current, phone, page.title()))
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
        ):
            href = urldefrag(href)[0]
            if not href.startswith("/") or href.startswith("//") or SKIP.search(href):
                continue
            link = urlparse(href).path
            if shape(link) not in visited:
                queue.append(link)
    page.close()


PHONE = {"width": 390, "height": 844}


def phone_overflow(page: Any) -> str:
    """At a phone's width (390 px), does the page scroll sideways? "" if not, else the
    document's scroll width and the widest element that is not inside a scrolling box."""
    wide = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        found: str = page.evaluate(r"""() => {
            const width = document.documentElement.clientWidth;
            const scroll = document.documentElement.scrollWidth;
            if (scroll <= width) { return ""; }
            const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                if (getComputedStyle(p).overflowX !== "visible") { return true; } } return false; };
            let culprit = null, right = width;
            for (const e of document.body.querySelectorAll("*")) {
                const r = e.getBoundingClientRect().right;
                if (r > right && !scrolls(e)) { culprit = e; right = r; }
            }
            const name = culprit ? culprit.tagName.toLowerCase() +
                (culprit.className && typeof culprit.className === "string"
                    ? "." + culprit.className.trim().split(/\s+/).join(".") : "") : "?";
            return `scroll width ${scroll} at ${width} px (widest: ${name})`;
        }""")
    finally:
        page.set_viewport_size(wide)
    return found


def save_small_png(png: bytes, target: Path) -> None:
    """A 256-colour PNG: pages are flat colours and text, so this is a fraction of the size."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image = image.convert("RGB")
        if image.height > 6000:
            image = image.crop((0, 0, image.width, 6000))
        image.quantize(colors=256).save(target, "PNG", optimize=True)


def write_index(report: Report, out: Path) -> None:
    lines = ["# Every page, in English and Russian", "",
             "Made by `make screenshots` (scripts/screenshots.py) from the demo data: one "
             "screenshot per page and language, as the first role that can see the page sees "
             "it.", "", "| Page | Seen as | English | Русский |", "|---|---|---|---|"]
    by_path: dict[str, dict[str, Shot]] = {}
    for shot in report.shots:
        by_path.setdefault(shape(shot.path), {})[shot.lang] = shot
    for path in sorted(by_path):
        shots = by_path[path]
        who = next(iter(shots.values())).who
        cells = [f"[{s.lang}]({s.file})" if (s := shots.get(lang)) else "—" for lang in
                 ("en", "ru")]
        lines.append(f"| `{path}` | {who} | {cells[0]} | {cells[1]} |")
    if report.phone_shots:
        lines += ["", "On a phone (390 px), not signed in:", ""]
        lines += [f"- `{s.path}` {s.lang}: [{s.file}]({s.file})" for s in report.phone_shots]
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "pages")
    parser.add_argument("--public-only", action="store_true",
                        help="only the visitor who is not signed in (a few minutes, not 12)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    out: Path = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    report = Report()
    seen: set[tuple[str, str]] = set()
    var_dir = Path(tempfile.mkdtemp(prefix="pompolit-shots-"))
    server, base = start_demo(var_dir)
    report.catalogue = page_checks.english_catalogue(
        ROOT / "src" / "pompolit" / "locale" / "ru" / "LC_MESSAGES" / "django.mo")
    report.pseudonyms = pseudonyms(var_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
            for lang, locale in (("en", "en-GB"), ("ru", "ru-RU")):
                for who in [None, *([] if args.public_only else VISITORS)]:
                    context = browser.new_context(locale=locale,
                                                  viewport={"width": 1200, "height": 800})
                    context.route(lambda url: not url.startswith(base),
                                  lambda route: route.abort())
                    if who is None:
                        crawl(context, base, "public", lang, PUBLIC_START, out, report, seen)
                    else:
                        page = context.new_page()
                        sign_in(page, base, who, var_dir)
                        page.close()
                        crawl(context, base, who, lang, ["/dashboard/"], out, report, seen)
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(var_dir, ignore_errors=True)
    write_index(report, out)
    print(f"{len(report.shots)} screenshots in {out}")
    for problem in report.problems:
        print("PROBLEM", problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
