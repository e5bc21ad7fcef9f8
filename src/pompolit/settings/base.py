"""Settings shared by every mode. Everything deployment-specific comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from pompolit.settings.env import envbool, envint, envlist, envsecret

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("POMPOLIT_VAR_DIR", Path.cwd() / "var"))

DEBUG = False
# Demo mode: insecure conveniences (one founding coordinator, demo logins, printed TOTP secrets).
DEMO_MODE = envbool("POMPOLIT_DEMO", False)
ALLOWED_HOSTS = envlist("POMPOLIT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "pompolit.core",
    "pompolit.members",
    "pompolit.audit",
    "pompolit.vault",
    "pompolit.tlog",
    "pompolit.ledger",
    "pompolit.cases",
    "pompolit.aid",
    "pompolit.intake",
    "pompolit.letters",
    "pompolit.public",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # allauth's security-key list page loads the humanize template tags.
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Background tasks (`django.tasks`) kept in the database, run by `pompolit db_worker`.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "pompolit.members.middleware.AccessPolicyMiddleware",
    "pompolit.core.middleware.NoStoreMiddleware",
    "pompolit.vault.middleware.SealedMiddleware",
    # Expired pending uploads and sessions are deleted every few minutes (vault.uploads).
    "pompolit.vault.uploads.housekeeping.HousekeepingMiddleware",
]

ROOT_URLCONF = "pompolit.urls"
WSGI_APPLICATION = "pompolit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pompolit.members.context_processors.pompolit",
                "pompolit.vault.context_processors.vault",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict[str, object]:
    url = os.environ.get("POMPOLIT_DATABASE_URL") or f"sqlite:///{default_sqlite}"
    db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE: a writer takes the write lock when its transaction starts, so two
        # writers never both read the audit chain head and then collide.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA foreign_keys=ON;",
        }
    db["ATOMIC_REQUESTS"] = False
    db["TEST"] = {"NAME": os.environ.get("POMPOLIT_TEST_DATABASE_NAME") or None}
    return db


DATABASES = {"default": database_from_env(VAR_DIR / "pompolit.sqlite3")}
# Shared by every worker process: rate limits and used TOTP codes must not be per-process.
CACHES = {
    "default": {
        # Django's, with one-statement add and incr and no culling of live entries (a flood
        # of stamps must not make the server forget the counters): core/dbcache.py.
        "BACKEND": "pompolit.core.dbcache.DatabaseCache",
        "LOCATION": "pompolit_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000_000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# Sessions expire after inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = envint("POMPOLIT_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# In the database; a request that changed nothing only moves the expiry (core/sessions.py).
SESSION_ENGINE = "pompolit.core.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-allauth: members log in with their pseudonym; no e-mail is needed or kept.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "pseudonym"
ACCOUNT_USER_MODEL_EMAIL_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "pompolit.members.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = envint("POMPOLIT_SUDO_MINUTES", 5) * 60
# Failed logins: per client address and per account (the "key" is the pseudonym).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "signup": "5/m/ip",
}
# Behind a reverse proxy the client address is the Nth from the right in X-Forwarded-For;
# with 0 (the default) the header is ignored, because anyone can send it.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("POMPOLIT_TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Pompolit"
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_RECOVERY_CODE_COUNT = 10
# allauth's security-key forms with their name box labelled in the reader's language.
MFA_FORMS = {
    "add_webauthn": "pompolit.members.forms.AddSecurityKeyForm",
    "edit_webauthn": "pompolit.members.forms.RenameSecurityKeyForm",
}
# TOTP secrets and recovery seeds are sealed with the vault (vault/mfa.py).
MFA_ADAPTER = "pompolit.vault.mfa.MFAAdapter"

# Membership rules.
POMPOLIT_VOUCHES_REQUIRED = envint("POMPOLIT_VOUCHES_REQUIRED", 2)
POMPOLIT_APPROVAL_TTL = timedelta(hours=envint("POMPOLIT_APPROVAL_TTL_HOURS", 72))
POMPOLIT_INVITATION_TTL = timedelta(days=envint("POMPOLIT_INVITATION_TTL_DAYS", 7))
POMPOLIT_ORGANISATION = os.environ.get("POMPOLIT_ORGANISATION", "Pompolit")
# The group's own donation page, if it has one (the public list links each prisoner's "donate"
# to it, with ?fund=<the case fund's code> where the case has a fund). Empty: no donate links.
POMPOLIT_PUBLIC_DONATE_URL = os.environ.get("POMPOLIT_PUBLIC_DONATE_URL", "")
# The licence the open data (/prisoners/data/) is published under, as an SPDX identifier.
POMPOLIT_OPEN_DATA_LICENCE = os.environ.get("POMPOLIT_OPEN_DATA_LICENCE", "CC-BY-4.0")
# The live site's address (https://…), named by the static copy (`pompolit public export`) where
# something needs the server: reports, letters, pledges. Empty: the copy says "the live site".
POMPOLIT_PUBLIC_LIVE_URL = os.environ.get("POMPOLIT_PUBLIC_LIVE_URL", "")
POMPOLIT_AUDIT_KEY_FILE = Path(
    os.environ.get("POMPOLIT_AUDIT_KEY_FILE", VAR_DIR / "audit-signing.key")
)
# More sensitive reads than this by one member within an hour raise an alert in the audit trail.
POMPOLIT_BULK_READ_LIMIT = envint("POMPOLIT_BULK_READ_LIMIT", 50)

# An uploaded file waits (encrypted) this long between an import's preview and its commit;
# expired uploads and sessions are swept by the web process this often (0: only by
# `pompolit vault cleanup`).
POMPOLIT_PENDING_UPLOAD_MINUTES = envint("POMPOLIT_PENDING_UPLOAD_MINUTES", 60)
# Uploads stay in memory, never in a temporary file in clear (core/uploads.py): the files of
# one request together up to this size, more is dropped. Above every import's limit (case lists
# 4 MB, statements and rates 5 MB), a case photo (20 MB) and a public report's photos together.
FILE_UPLOAD_HANDLERS = ["pompolit.core.uploads.MemoryOnlyUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024
POMPOLIT_HOUSEKEEPING_MINUTES = envint("POMPOLIT_HOUSEKEEPING_MINUTES", 10)

# Letters to send (docs/letters.md): a group of more letters than this is laid out by the worker,
# not on the request, and its PDF waits (encrypted) this many hours for its download.
POMPOLIT_LETTERS_BACKGROUND_OVER = envint("POMPOLIT_LETTERS_BACKGROUND_OVER", 100)
POMPOLIT_LETTERS_PDF_HOURS = envint("POMPOLIT_LETTERS_PDF_HOURS", 24)

# The public intake form (intake/public, docs/intake.md): where a report lands when the
# reporter picks no town; reports stored per hour from one network (IPv4 /24, IPv6 /48) with a
# solved proof-of-work stamp and without one (no JavaScript: Tor Browser's safest level, where
# everyone behind one exit shares the allowance); sendings of the form per hour, kept or not
# (a form with mistakes uses up none of the reports, but a flood of them stops here); code
# look-ups per hour; the stamp's difficulty in leading zero bits. The bench's switch turns the
# limits and the stamp off; it is refused under production settings.
POMPOLIT_INTAKE_DEFAULT_CITY = os.environ.get("POMPOLIT_INTAKE_DEFAULT_CITY", "")
POMPOLIT_INTAKE_REPORTS_PER_HOUR = envint("POMPOLIT_INTAKE_REPORTS_PER_HOUR", 30)
POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP = envint("POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP", 20)
POMPOLIT_INTAKE_POSTS_PER_HOUR = envint("POMPOLIT_INTAKE_POSTS_PER_HOUR", 120)
POMPOLIT_INTAKE_LOOKUPS_PER_HOUR = envint("POMPOLIT_INTAKE_LOOKUPS_PER_HOUR", 30)
POMPOLIT_INTAKE_POW_BITS = envint("POMPOLIT_INTAKE_POW_BITS", 16)
POMPOLIT_INTAKE_DEDUPE = envbool("POMPOLIT_INTAKE_DEDUPE", True)
# How long a worker keeps the public form's towns and police stations (intake/public/services.py).
POMPOLIT_INTAKE_CHOICES_SECONDS = envint("POMPOLIT_INTAKE_CHOICES_SECONDS", 30)
# How long after a public report its hotline's dedupe run starts: that run takes every report
# arriving meanwhile (intake/proposals.py).
POMPOLIT_INTAKE_DEDUPE_SECONDS = envint("POMPOLIT_INTAKE_DEDUPE_SECONDS", 1)
POMPOLIT_INTAKE_BENCH_NO_LIMITS = envbool("POMPOLIT_INTAKE_BENCH_NO_LIMITS", False)
# Photos with a public report (the form and the bot): how many, and how large each and together
# (the total must stay under FILE_UPLOAD_MAX_MEMORY_SIZE).
POMPOLIT_INTAKE_PHOTOS = envint("POMPOLIT_INTAKE_PHOTOS", 3)
POMPOLIT_INTAKE_PHOTO_MAX_BYTES = envint("POMPOLIT_INTAKE_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
POMPOLIT_INTAKE_PHOTOS_MAX_BYTES = envint("POMPOLIT_INTAKE_PHOTOS_MAX_BYTES", 24 * 1024 * 1024)
# A hotline's exported list of detentions (intake/exports.py) waits, encrypted, this many hours for
# its one download by the member who asked; then it is deleted.
POMPOLIT_INTAKE_EXPORT_HOURS = envint("POMPOLIT_INTAKE_EXPORT_HOURS", 4)

# Background tasks (docs/tasks.md): queued in the database, run by `pompolit db_worker`. A task's
# arguments and result are stored in clear, so tasks take ids only, never what someone typed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The Telegram bot (docs/intake.md, "Telegram bot"): off without a token. The token is a secret:
# it may come from a file (POMPOLIT_TELEGRAM_TOKEN_FILE) and is never logged.
POMPOLIT_TELEGRAM_TOKEN = envsecret("POMPOLIT_TELEGRAM_TOKEN") or ""
# Where the Bot API is: Telegram's, or a local Bot API server (the tests run a fake one).
POMPOLIT_TELEGRAM_API_URL = os.environ.get(
    "POMPOLIT_TELEGRAM_API_URL", "https://api.telegram.org/bot"
)
# A half-answered conversation is deleted this long after its last message.
POMPOLIT_BOT_CONVERSATION_MINUTES = envint("POMPOLIT_BOT_CONVERSATION_MINUTES", 30)
# Messages one chat may send per minute; more are dropped unanswered.
POMPOLIT_BOT_MESSAGES_PER_MINUTE = envint("POMPOLIT_BOT_MESSAGES_PER_MINUTE", 30)

# Transparency log: checkpoint origin lines are "<POMPOLIT_LOG_ORIGIN>/<log name>".
POMPOLIT_LOG_ORIGIN = os.environ.get("POMPOLIT_LOG_ORIGIN", "pompolit.example")
POMPOLIT_LOG_KEY_NAME = os.environ.get("POMPOLIT_LOG_KEY_NAME", POMPOLIT_LOG_ORIGIN)
POMPOLIT_LOG_KEY_FILE = Path(
    os.environ.get("POMPOLIT_LOG_KEY_FILE", VAR_DIR / "log-signing.key")
)

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The group's time zone: every time on a page is shown in it (with its name where it matters:
# the audit trail, approvals, statements, checkpoints); a wrong name stops the service at start.
TIME_ZONE = os.environ.get("POMPOLIT_TIME_ZONE", "Europe/Moscow")
# One way of writing dates per language, for pages and forms (docs/dates.md).
FORMAT_MODULE_PATH = ["pompolit.core.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Nothing is loaded from anywhere but this server; no inline scripts or styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# "same-origin", not "no-referrer": with no referrer Chromium sends `Origin: null` on form
# posts and Django's CSRF check refuses every sign-in. Other sites still learn nothing.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Secrets and personal data never reach the logs: only warnings and our own events, and no
# query string in any line (pompolit.core.logs). Every handler carries the filter, and Django's
# own loggers are named so that their default handlers (without it) are replaced.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "pompolit.core.logs.StripQueryStrings"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
        # runserver's request lines: "GET /cases/ HTTP/1.1" 200, without the query.
        "django.server": {
            "class": "logging.StreamHandler", "formatter": "django.server",
            "filters": ["no_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # SQL with its parameters (what was searched for) is logged at DEBUG only: never here.
        "django.db.backends": {"level": "WARNING"},
        # The Bot API's address holds the bot's token: their request lines are never logged.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "telegram": {"level": "WARNING"},
    },
}
