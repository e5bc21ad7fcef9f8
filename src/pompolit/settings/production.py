"""Production: everything comes from the environment; refuses to start half-configured."""

import os

from django.core.exceptions import ImproperlyConfigured

from pompolit.settings.base import *  # noqa: F403
from pompolit.settings.base import DEMO_MODE
from pompolit.settings.env import envbool, envint, envsecret

if DEMO_MODE:
    raise ImproperlyConfigured(
        "POMPOLIT_DEMO is set, but demo mode is insecure and refused under production settings."
    )

if POMPOLIT_INTAKE_BENCH_NO_LIMITS:  # noqa: F405
    raise ImproperlyConfigured(
        "POMPOLIT_INTAKE_BENCH_NO_LIMITS turns off the public form's rate limits and "
        "proof-of-work for load tests; it is refused under production settings."
    )

_secret = envsecret("POMPOLIT_SECRET_KEY")
if not _secret:
    raise ImproperlyConfigured(
        "Set POMPOLIT_SECRET_KEY_FILE to a file holding a long random secret key."
    )
SECRET_KEY = _secret

if not os.environ.get("POMPOLIT_VAULT_SOCKET"):
    # Several worker processes must share one unsealed vault: the key agent's socket.
    raise ImproperlyConfigured(
        "Set POMPOLIT_VAULT_SOCKET to the key agent's socket (e.g. /run/pompolit/agent.sock) "
        "for both `pompolit vault keyagent` and the web server; see docs/vault.md."
    )

DEBUG = False
# Each gunicorn worker keeps its database connection between requests (a new PostgreSQL
# connection costs more than a whole public report), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = envint("POMPOLIT_DB_CONN_MAX_AGE", 300)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
SECURE_SSL_REDIRECT = envbool("POMPOLIT_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("POMPOLIT_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("POMPOLIT_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
