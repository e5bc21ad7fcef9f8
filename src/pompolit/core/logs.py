"""No query string in any log line the service writes.

Query strings carry what people typed: an old bookmark of a search (`/cases/?q=<name>`), a
phone number, a `next=` address that itself held a search. The searches go by POST, and this
filter is the second line: it drops the query from every URL in a log record, whichever logger
wrote it (runserver's `django.server`, `django.request`, gunicorn's access and error logs, our
own). It sits on every handler the settings and the shipped gunicorn configuration define, so
records propagated from any logger pass through it.
"""

from __future__ import annotations

import logging
import re

# A "?" after something that looks like a path or a URL, up to the end of the token: a space,
# a quote, or the end of the line. Catches `/cases/?q=x`, `http://host/?q=x`, `"GET /?q=x
# HTTP/1.1"` and percent-encoded copies inside a `next=` (`%3Fq%3D`).
_QUERY = re.compile(r"(?P<path>(?:https?://[^\s/\"'?]+)?/[^\s\"'?]*)(?:\?|%3[Ff])[^\s\"'<>]*")


def strip_query_strings(text: str) -> str:
    return _QUERY.sub(r"\g<path>", text)


class StripQueryStrings(logging.Filter):
    """Rewrites the record's message without query strings; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the formatter
            return True
        cleaned = strip_query_strings(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Tracebacks quote request lines too (a bad request's first line, say): format now,
            # cleaned, so the formatter uses this text instead of formatting the exception.
            record.exc_text = strip_query_strings(
                logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = strip_query_strings(record.exc_text)
        return True
