"""Development and demo: SQLite under var/, a generated secret kept in var/."""

import secrets

from pompolit.settings.base import *  # noqa: F403
from pompolit.settings.base import DEMO_MODE, VAR_DIR
from pompolit.settings.env import envbool

# Debug pages for development; never in the demo, whose visitors must see the styled error
# pages (Django's debug 404 lists every URL pattern, its debug 500 the local variables, which
# may hold decrypted secrets). POMPOLIT_DEBUG=1 or 0 overrides either way.
DEBUG = envbool("POMPOLIT_DEBUG", not DEMO_MODE)
VAR_DIR.mkdir(parents=True, exist_ok=True)
# WhiteNoise serves straight from the apps' static folders: no collectstatic in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
(VAR_DIR / "static").mkdir(exist_ok=True)
_secret_file = VAR_DIR / "secret-key"
if not _secret_file.exists():
    _secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    _secret_file.chmod(0o600)
SECRET_KEY = _secret_file.read_text(encoding="utf-8").strip()
# allauth's WebAuthn refuses plain http except on an explicitly insecure dev origin.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
