"""The page that answers a public report with its private code, rendered once per language.

For a visitor who is not signed in, the page is the same for every report to the same
hotlines (whose phones it shows) but for two things: the code, and the CSRF token of the
language buttons. Rendering it (the base layout's
header, language buttons and footer, a dozen `{% url %}` and `{% translate %}`, and Django's
walk of the layout for its blocks) cost more CPU than any other part of a report but its
inserts. So the first answer in a language is rendered as usual, with a mark where the code
goes; the page is kept cut at the code and at the token, and the next answers are those
pieces with their own code and a fresh token (`get_token`, as `{% csrf_token %}` gets it: the
cookie is set the same way).

Rendered as usual, never kept: for a signed-in member (the header shows them their menu), when
messages are waiting, for an address with a query string, in debug and in demo mode (its
banner asks the vault). Any change of
settings (the tests' `override_settings`) forgets the kept pages.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from pompolit.intake.models import Hotline
from pompolit.intake.public import codes

TEMPLATE = "intake/public/received.html"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Letters and digits only: escaping leaves it as it is, and no page says it by chance.
_CODE_MARK = f"reportcode{secrets.token_hex(16)}"

CODE, TOKEN = 0, 1
# (language, path, the hotlines shown) -> the page cut into text, with CODE and TOKEN where
# they go. Forgotten when a hotline is saved (apps.py): its phone may have changed.
_kept: dict[tuple[str, str, tuple[int, ...]], list[str | int]] = {}


def forget(**_kwargs: Any) -> None:
    _kept.clear()


setting_changed.connect(forget, dispatch_uid="pompolit.intake.public.received.forget")


def _keepable(request: HttpRequest) -> bool:
    return not (
        settings.DEBUG
        or settings.DEMO_MODE
        or request.user.is_authenticated
        or len(get_messages(request))  # counts them without marking them shown
        # The language buttons send the address back; one page an address would let anyone
        # fill the memory with addresses of their own.
        or request.META.get("QUERY_STRING")
    )


def _cut(page: str, token: str) -> list[str | int] | None:
    """The page cut at the code and the token; None if the code is not there once."""
    if page.count(_CODE_MARK) != 1:
        return None
    pieces: list[str | int] = []
    for n, text in enumerate(page.split(_CODE_MARK)):
        if n:
            pieces.append(CODE)
        for m, part in enumerate(text.split(token)):
            if m:
                pieces.append(TOKEN)
            pieces.append(part)
    return pieces


def received_page(
    request: HttpRequest, code: str, hotlines: Sequence[Hotline] = ()
) -> HttpResponse:
    """The answer to a report: its code, grouped, shown once; and the hotlines to call."""
    if not _keepable(request):
        return render(request, TEMPLATE, {"code": codes.grouped(code), "hotlines": hotlines})
    shown = str(conditional_escape(codes.grouped(code)))
    key = (get_language() or "", request.path, tuple(h.pk for h in hotlines))
    pieces = _kept.get(key)
    if pieces is None:
        page = render(
            request, TEMPLATE, {"code": _CODE_MARK, "hotlines": hotlines}
        ).content.decode()
        tokens = set(_TOKEN.findall(page))
        cut = _cut(page, tokens.pop()) if len(tokens) == 1 else None
        if cut is not None:
            _kept[key] = cut
        return HttpResponse(page.replace(_CODE_MARK, shown))
    filled = {CODE: shown, TOKEN: str(conditional_escape(get_token(request)))}
    return HttpResponse("".join(filled[p] if isinstance(p, int) else p for p in pieces))
