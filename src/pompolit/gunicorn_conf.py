"""gunicorn's settings for Pompolit: `gunicorn -c python:pompolit.gunicorn_conf pompolit.wsgi`.

The access log keeps when, which path, the status, the size and how long it took — never the
query string, the referrer (the previous page's address, query included), the client's
address or its user agent. Even an access_log_format given on the command line cannot bring
the query back: the logger below empties those atoms, and strips query strings from the
error log as well (a malformed request line is quoted there).
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from pompolit.core.logs import StripQueryStrings, strip_query_strings

access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# Sync workers, two per core: a request waits on PostgreSQL and the key agent for about half
# its time, and sync workers keep one database connection each (docs/intake.md, "Capacity";
# bench/intake_load.py). `--workers` or POMPOLIT_WEB_WORKERS overrides it.
workers = int(os.environ.get("POMPOLIT_WEB_WORKERS") or 2 * (os.cpu_count() or 1))


class QueryFreeLogger(Logger):  # type: ignore[misc]
    # Atoms that are nothing but a query string, or an address that may end in one.
    EMPTIED = ("q", "{query_string}e")

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(StripQueryStrings())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in self.EMPTIED:
            atoms[key] = "-"
        atoms["r"] = "{} {} {}".format(environ.get("REQUEST_METHOD"),
                                       environ.get("PATH_INFO"), environ.get("SERVER_PROTOCOL"))
        return {key: strip_query_strings(value) if isinstance(value, str) else value
                for key, value in atoms.items()}


logger_class = QueryFreeLogger
