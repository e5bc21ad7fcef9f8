"""The pages a member sees when something goes wrong: 400, 403, 404 and 500.

The root URLconf names them (handler400 …). Each says what happened and where to go next, in
the reader's language. 400, 403 and 404 show the site's header and menu, since the request
itself is sound; the 500 page is rendered without the request's context, so it needs neither
the database nor the session (either may be what failed). If the full page cannot be
rendered, a small static page in both languages is sent instead: an error page never fails.

Django shows its own debug pages instead of these only when DEBUG is on; the demo runs with
DEBUG off (settings/dev.py), so it shows these.
"""

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

TITLES: dict[int, Any] = {
    400: _("The request could not be understood"),
    403: _("This page is not for you"),
    404: _("There is no such page"),
    500: _("Something went wrong on our side"),
}

# The last resort: no template, no translation machinery, no database.
STATIC_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>{status}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>{status}</h1>
<p>Что-то пошло не так. <a href="/">На главную</a></p>
<p lang="en">Something went wrong. <a href="/">Go to the front page</a></p>
</body></html>
"""


def _static(status: int) -> HttpResponse:
    return HttpResponse(STATIC_PAGE.format(status=status), status=status)


def _page(request: HttpRequest, status: int) -> HttpResponse:
    try:
        html = loader.render_to_string(
            f"errors/{status}.html", {"status": status, "title": TITLES[status]}, request=request
        )
    except Exception:
        logger.exception("the %s page could not be rendered", status)
        return _static(status)
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The exception's text is for the log (it may name a URL pattern), never for the page.
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        html = loader.render_to_string("errors/500.html", {
            "status": 500, "title": TITLES[500], "organisation": settings.POMPOLIT_ORGANISATION,
        })
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return _static(500)
    return HttpResponse(html, status=500)
