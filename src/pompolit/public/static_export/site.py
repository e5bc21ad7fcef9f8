"""Rendering the public side for the static copy: the real views and templates, once per
language, then every link made relative (links.py)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponseBase
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from pompolit.cases.models import Consent
from pompolit.cases.photos import services as photos
from pompolit.cases.public import hearings as public_hearings
from pompolit.cases.public.profiles import PublicProfile, profile, published_consents
from pompolit.ledger import conf as ledger_conf
from pompolit.ledger.statements import services as statements
from pompolit.ledger.statements import views as statement_views
from pompolit.ledger.statements.models import Statement
from pompolit.public import feeds, helpnow
from pompolit.public import views as public_views
from pompolit.public.links import donate_urls, letter_urls
from pompolit.public.static_export import links, receipts
from pompolit.public.static_export.layout import Layout
from pompolit.tlog import services as tlog

HERE = Path(__file__).parent
ASSETS = {  # the copy's own scripts, beside the site's static files
    "static/static-export/filter.js": HERE / "assets" / "filter.js",
    "static/static-export/check.js": HERE / "assets" / "check.js",
}
_STATIC_REF = re.compile(r'(?:href|src)="(/static/[^"?#]+)"')


@dataclass
class Rendered:
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # file: (html, language)
    files: dict[str, bytes] = field(default_factory=dict)  # written as they are
    # Profile pages: what each is made from (a digest), and those left as the last export
    # wrote them because that has not changed (not rendered at all).
    inputs: dict[str, str] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    # Pages not in the copy whose static files it needs all the same (a kept page's).
    also_needs: list[str] = field(default_factory=list)


def _template(name: str) -> Any:
    return engines["django"].from_string((HERE / "templates" / name).read_text("utf-8"))


class Site:
    def __init__(self, live_url: str = "", previous: dict[str, str] | None = None) -> None:
        """`previous`: the profile pages the folder holds, with what each was made from
        (output.previous_inputs); those made from the same are not rendered again."""
        self.previous = previous or {}
        self.photos: dict[str, bool] = {}
        self.live_url = live_url or getattr(settings, "POMPOLIT_PUBLIC_LIVE_URL", "")
        self.host = urlsplit(self.live_url).hostname or "pompolit.invalid"
        self.factory = RequestFactory(HTTP_HOST=self.host)
        self.out = Rendered()
        self.today = timezone.localdate()
        self.consents: list[Consent] = []
        self.notes: dict[str, str] = {}

    # -- requests and responses ------------------------------------------------------------

    def request(self, path: str, language: str) -> HttpRequest:
        request = self.factory.get(path, secure=self.live_url.startswith("https:"))
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = language
        try:
            request.resolver_match = resolve(path)
        except Resolver404:
            request.resolver_match = None
        return request

    def view(self, path: str, language: str, view: Callable[..., HttpResponseBase],
             **kwargs: Any) -> bytes:
        response = view(self.request(path, language), **kwargs)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        if response.streaming:
            return b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return bytes(response.content)  # type: ignore[attr-defined]

    def page(self, path: str, language: str, html: bytes | str) -> None:
        text = html.decode() if isinstance(html, bytes) else html
        self.out.pages[links.file_for(path, language)] = (text, language)

    def file(self, path: str, language: str, data: bytes) -> None:
        self.out.files[links.file_for(path, language)] = data

    # -- the pages ---------------------------------------------------------------------------

    def render(self) -> Rendered:
        with override_settings(ALLOWED_HOSTS=[self.host]):
            self.shared()
            # In their own order, as the help page's view reads them (its lists keep it for
            # people of one name and day).
            self.consents = list(published_consents(self.today))
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    self.language(language)
            with translation.override(settings.LANGUAGE_CODE):
                self.out.pages["index.html"] = (_template("index.html").render(
                    {"languages": settings.LANGUAGES}, self.request("/", settings.LANGUAGE_CODE)),
                    settings.LANGUAGE_CODE)
        self.static_files()
        return self.out

    def shared(self) -> None:
        """What is the same in both languages: the statements' documents, the log's key and
        checkpoints, the receipt index."""
        for statement in Statement.objects.select_related("checkpoint"):
            base = f"/ledger/statements/{statement.period}/"
            self.out.files[base.lstrip("/") + "statement.json"] = b"".join(
                statements.encoded_chunks(statements.bundle_parts(statement)))
            self.out.files[base.lstrip("/") + "figures.csv"] = b"".join(
                statements.encoded_chunks(statements.csv_parts(statement)))
            self.out.files[base.lstrip("/") + "checkpoint.txt"] = \
                statement.checkpoint.note.encode()
        # No log key yet (nothing published): no key, and no statements either.
        vkey = statement_views._vkey()
        if vkey:
            self.out.files["ledger/vkey.txt"] = (vkey + "\n").encode()
        latest = Statement.objects.select_related("checkpoint").first()
        if latest is not None:
            log = tlog.find_log(ledger_conf.LOG_NAME)
            leaves = list(tlog.entries(log, 0, latest.checkpoint.size))
            self.out.files["ledger/checkpoint.txt"] = latest.checkpoint.note.encode()
            self.out.files.update(receipts.index_files(leaves, latest.checkpoint.note,
                                                       latest.period))

    def language(self, language: str) -> None:
        # The consents are read once for both languages; each is projected in the language
        # (the labels and the story are the reader's).
        projected = [(c, profile(c.case, c, self.today)) for c in self.consents]
        found = [p for _c, p in projected if p is not None]
        ids = [p.public_id for p in found]
        letters, donate = letter_urls(ids), donate_urls(ids)
        found.sort(key=lambda p: (p.name.casefold(), p.public_id))
        entries: list[dict[str, Any]] = [
            {"profile": p, "letter_url": letters.get(p.public_id, ""),
             "donate_url": donate.get(p.public_id, "")} for p in found]
        self.prisoner_list(language, entries)
        self.profiles(language, entries)
        self.page("/prisoners/help/", language, render_to_string(
            "public/help_now.html", helpnow.context(self.today, projected),
            self.request("/prisoners/help/", language)))
        self.hearings(language)
        self.statement_pages(language)
        self.page("/ledger/check/", language, _template("check.html").render(
            {"latest": Statement.objects.first(), "vkey": "ledger/vkey.txt" in self.out.files},
            self.request("/ledger/check/", language)))
        self.page(f"/{links.LIVE_PAGE.removesuffix('index.html')}", language,
                  _template("live.html").render({"live_url": self.live_url},
                                                self.request("/", language)))

    def prisoner_list(self, language: str, entries: list[dict[str, Any]]) -> None:
        self.page("/prisoners/", language, _template("list.html").render(
            {"entries": entries, "total": len(entries)},
            self.request("/prisoners/", language)))

    def profiles(self, language: str, entries: list[dict[str, Any]]) -> None:
        # One template, and the context processors run once: every profile is rendered for the
        # same anonymous visitor (the processors read the vault's state, the messages...).
        request = self.request("/prisoners/x/", language)
        template = get_template("public/profile.html").template  # type: ignore[attr-defined]
        shared: dict[str, Any] = {}
        for processor in engines["django"].engine.template_context_processors:  # type: ignore[attr-defined]
            shared.update(processor(request))
        page = Layout(template, shared)
        version = self.profile_version(page, language)
        for entry in entries:
            found: PublicProfile = entry["profile"]
            path = f"/prisoners/{found.public_id}/"
            name = links.file_for(path, language)
            # Everything a profile page is made from besides the code, the settings and the
            # layout (`version`): the projection, its two buttons, whether the copy has its
            # photo. Every other page it links to is always in the copy.
            made_of = self.out.inputs[name] = hashlib.sha256(repr((
                version, dataclasses.astuple(found), entry["letter_url"], entry["donate_url"],
                found.has_photo and self.photo(found.public_id),
            )).encode()).hexdigest()
            if self.previous.get(name) == made_of:
                self.out.kept.add(name)
            else:
                self.page(path, language, page.render(entry))

    def photo(self, public_id: str) -> bool:
        """Whether the copy has this prisoner's photo (read once, shared by both languages)."""
        if public_id not in self.photos:
            data = photos.public_photo(public_id)
            self.photos[public_id] = data is not None
            if data is not None:
                self.file(f"/prisoners/{public_id}/photo/", settings.LANGUAGE_CODE, data)
        return self.photos[public_id]

    def profile_version(self, page: Layout, language: str) -> str:
        """What every profile page of `language` is made from besides its own data: the code,
        templates and translations (_code), and the settings, the layout and the static files'
        names as a sample profile's page shows them once its links are made relative."""
        sample = PublicProfile(
            public_id="sample", name="Sample", has_photo=True, status="status",
            charges=["charge"], sentence="sentence", facility="facility",
            letter_address=["address"], birthday="2000-01-02", story="story",
            story_language=language, expected_release="2030-01", release_estimated=True,
            receives_letters=True, interests=["interest"])
        html = page.render({"profile": sample, "letter_url": "/letters/", "donate_url": "/d/"})
        self.out.also_needs.append(html)
        shown = self.rewrite(links.file_for("/prisoners/sample/", language), html, language,
                             _Everything())
        return hashlib.sha256(f"{_code()}\n{shown}".encode()).hexdigest()

    def hearings(self, language: str) -> None:
        self.page("/prisoners/hearings/", language,
                  self.view("/prisoners/hearings/", language, public_views.hearings))
        for name, view in (("calendar.ics", public_views.hearings_ics),
                           ("atom.xml", public_views.hearings_atom)):
            path = f"/prisoners/hearings/{name}"
            self.file(path, language, self.view(path, language, view))
        for public_id in sorted({h.public_id for h in public_hearings.upcoming(
                days=feeds.FEED_DAYS)}):
            path = f"/prisoners/{public_id}/hearings.ics"
            self.file(path, language, self.view(path, language,
                                                public_views.prisoner_hearings_ics,
                                                public_id=public_id))

    def statement_pages(self, language: str) -> None:
        self.page("/ledger/statements/", language, self.view(
            "/ledger/statements/", language, statement_views.statement_list))
        for period in Statement.objects.values_list("period", flat=True):
            path = f"/ledger/statements/{period}/"
            self.page(path, language, self.view(path, language, statement_views.statement_detail,
                                                period=period))

    def static_files(self) -> None:
        wanted = {ref for html in [*(h for h, _lang in self.out.pages.values()),
                                   *self.out.also_needs]
                  for ref in _STATIC_REF.findall(html)}
        for ref in sorted(wanted):
            name = ref.removeprefix("/static/")
            target = f"static/{name}"
            if target in ASSETS:
                self.out.files[target] = ASSETS[target].read_bytes()
                continue
            found = finders.find(name)
            if isinstance(found, str):
                self.out.files[target] = Path(found).read_bytes()

    # -- links -------------------------------------------------------------------------------

    def finish(self, extra: dict[str, bytes]) -> dict[str, bytes]:
        """Every page with its links made relative, and every other file, by export path."""
        exported = {*self.out.pages, *self.out.files, *extra, *self.out.kept}
        done = dict(self.out.files)
        for page, (html, language) in self.out.pages.items():
            done[page] = self.rewrite(page, html, language or settings.LANGUAGE_CODE,
                                      exported).encode()
        done.update(extra)
        return done

    def rewrite(self, page: str, html: str, language: str, exported: Collection[str]) -> str:
        note = self.notes.get(language)
        if note is None:
            with translation.override(language):
                note = self.notes[language] = _server_note()

        def languages(p: str) -> str:
            return _language_links(p, language, exported)

        def server_note(href: str) -> str:
            return note.replace("{live}", href)

        with translation.override(language):
            return links.rewrite_html(html, page, language, exported, language_links=languages,
                                      server_note=server_note)


class _Everything(Collection[str]):
    """Every file, as far as `in` asks (a sample page's links, made relative)."""

    def __contains__(self, item: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@functools.cache
def _code() -> str:
    """A digest of the code, the templates and the translations the pages are made with (any
    change renders every page again)."""
    import django

    root = HERE.parents[1]  # the pompolit package
    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo", ".js", ".css") and path.is_file():
            digest.update(f"\n{path.relative_to(root)}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _server_note() -> str:
    return (f'<p class="notice">{escape(_("This is a copy of the site: it cannot send forms."))} '
            f'<a href="{{live}}">{escape(_("Where to do this on the live site"))}</a></p>')


def _language_links(page: str, current: str, exported: Collection[str]) -> str:
    parts = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        other = f"{code}/{page.split('/', 1)[1]}" if page.startswith(f"{current}/") else \
            f"{code}/prisoners/index.html"
        if other not in exported:
            other = f"{code}/prisoners/index.html"
        current_mark = ' aria-current="true"' if code == current else ""
        parts.append(f'<a href="{links.relative(other, page)}" lang="{code}" '
                     f'hreflang="{code}" title="{escape(info["name_local"])}"{current_mark}>'
                     f'{code.upper()}</a>')
    return (f'<nav class="lang" aria-label="{escape(_("Language"))}">'
            f'{" · ".join(parts)}</nav>')
