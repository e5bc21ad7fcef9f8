"""From the live site's addresses to the static copy's files, and every link made relative.

The live site serves one address in the reader's language; the copy has a tree per language
(`ru/…`, `en/…`) and files shared by both (statements' JSON and CSV, photos, the receipt index,
`static/`). A page's links are rewritten after every page is rendered, so that a link to
something the copy does not have (a form that needs the server, a profile whose consent was
withdrawn since) goes to the copy's "live site" page instead of a file that is not there.
Links are relative (`../../prisoners/index.html`): the copy works from any folder of any host,
and from the disk.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Collection
from urllib.parse import urlsplit

# Paths that are the same file in both languages (their bytes do not depend on the reader).
SHARED = (
    re.compile(r"^/static/"),
    re.compile(r"^/prisoners/[^/]+/photo/$"),
    re.compile(r"^/ledger/statements/[^/]+/(statement\.json|figures\.csv)$"),
    re.compile(r"^/ledger/(receipts/|vkey\.txt$|checkpoint\.txt$)"),
    re.compile(r"^/data/"),
)
LIVE_PAGE = "live/index.html"  # in each language's tree


def file_for(path: str, language: str) -> str:
    """The export's file for a live address (path only), in `language`'s tree if it has one."""
    if path in ("", "/"):
        path = "/prisoners/"
    photo = re.fullmatch(r"/prisoners/([^/]+)/photo/", path)
    if photo:
        return f"photos/{photo.group(1)}.jpg"
    name = path.lstrip("/")
    if path.endswith("/"):
        name += "index.html"
    if any(p.match(path) for p in SHARED):
        return name
    return f"{language}/{name}"


@functools.lru_cache(maxsize=4096)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("/")) if path else ()


def relative(target: str, page: str) -> str:
    """`target` (a file of the export) as seen from `page` (another)."""
    # posixpath.relpath, without its two os.getcwd() calls: both are clean relative paths
    # (links.file_for), tens of thousands a export.
    there, here = _parts(target), _parts(posixpath.dirname(page))
    if "" in there or "" in here or any(p in (".", "..") for p in (*there, *here)):
        return posixpath.relpath(target, posixpath.dirname(page) or ".")
    common = 0
    for a, b in zip(there, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + list(there[common:])) or "."


_ATTRIBUTE = re.compile(r'\b(href|src|action|data-url-[a-z]+)="([^"]*)"')
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL)
_LANGUAGE_FORM = re.compile(r'<form\b[^>]*action="/i18n/setlang/"[^>]*>.*?</form>', re.DOTALL)


def rewrite_html(html: str, page: str, language: str, exported: Collection[str],
                 language_links: Callable[[str], str], server_note: Callable[[str], str]) -> str:
    """Every link of `html` (the file `page`) made relative; forms that need the server
    replaced by `server_note(link to the live page)`; the language buttons by links to the
    same page in the other tree (`language_links(page)`)."""
    html = _LANGUAGE_FORM.sub(lambda _m: language_links(page), html, count=1)
    live = relative(f"{language}/{LIVE_PAGE}", page)

    def form(match: re.Match[str]) -> str:
        text = match.group(0)
        return text if "data-static-form" in text[:text.index(">")] else server_note(live)

    html = _FORM.sub(form, html)

    def attribute(match: re.Match[str]) -> str:
        name, value = match.groups()
        return f'{name}="{link(value, page, language, exported)}"'

    return _ATTRIBUTE.sub(attribute, html)


def link(value: str, page: str, language: str, exported: Collection[str]) -> str:
    """One attribute's address: relative if it is the site's own, unchanged otherwise."""
    if not value.startswith("/") or value.startswith("//"):
        return value  # relative already, a fragment, data:, or another site (donations)
    parts = urlsplit(value.replace("&amp;", "&"))
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    path = parts.path
    qualified = re.match(r"^/(ru|en)(/.*)$", path)
    if qualified:  # a language link: the same address in that tree
        language, path = qualified.group(1), qualified.group(2)
    target = file_for(path, language)
    if target not in exported:
        target = f"{language}/{LIVE_PAGE}"
        fragment = ""
    # A query (a filter, "?city=") is left out: the copy has one page for all of them.
    return relative(target, page) + fragment
