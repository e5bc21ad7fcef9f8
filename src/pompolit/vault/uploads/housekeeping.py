"""Clean-up that needs no one to remember it: expired pending uploads and expired sessions.

`sweep` is what `pompolit vault cleanup` runs (once, or every N seconds as a small worker); the
web process also runs it itself, after a response, at most every POMPOLIT_HOUSEKEEPING_MINUTES
(10 by default; 0 turns that off, as the tests do), so a server with no timer still forgets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from pompolit.vault.uploads import services as uploads

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Swept:
    uploads: int


def sweep() -> Swept:
    """Delete expired pending uploads and expired sessions (Django's clearsessions)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return Swept(uploads=uploads.purge_expired())


def every() -> float:
    return float(getattr(settings, "POMPOLIT_HOUSEKEEPING_MINUTES", 10)) * 60


class HousekeepingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.last = time.monotonic()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        interval = every()
        if interval and time.monotonic() - self.last >= interval:
            self.last = time.monotonic()
            try:
                sweep()
            except DatabaseError:  # a busy database: the page is served, the sweep waits
                logger.warning("The clean-up of expired uploads and sessions failed; it is "
                               "tried again in %s minutes.", interval / 60, exc_info=True)
        return response
