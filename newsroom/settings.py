"""Settings for Newsroom, read from the environment.

Everything that differs between a laptop and production comes from an
environment variable, so the same code runs in both places.  With no
environment at all the project runs in development mode on an SQLite file
under ``var/`` — that is what ``make run`` relies on for a zero set-up start.
When ``DEBUG`` is off the defaults are the secure ones and a real
``SECRET_KEY`` is required.
"""

from __future__ import annotations

import datetime
import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # pytest sets PYTEST_VERSION while it runs: tests need no secret of their own.
    if DEBUG or env_bool("NEWSROOM_TESTING") or "PYTEST_VERSION" in os.environ:
        # Only ever used on a developer's machine or in the test suite.
        SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set DEBUG=1 for local development, or export a long random SECRET_KEY."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, whose site (``admin.site``) is the desk's: the home page is the dashboard.
    "desk.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "django_prose_editor",
    "axes",  # login throttling (security section below)
    "csp",  # Content-Security-Policy system checks (security section below)
    "django_tasks",  # Django's tasks API (the backport; built in from Django 6)
    "django_tasks_db",  # its database-backed queue and worker (``manage.py db_worker``)
    "anymail",  # e-mail providers' backends and tracking webhooks
    # Journalists' accounts (journalists/): sign-up, e-mail verification,
    # password reset, two-factor, and their open sessions (to end them).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Ours, lowest layer first (the dependency rule: docs/ARCHITECTURE.md).
    "core",
    "contacts",
    "releases",
    "search",
    "bulletins",
    "alerts",
    "journalists",  # vetted journalists: accounts, approval, the embargo agreement
    "pressroom",  # the embargoed press room: advance access for approved journalists
    "importer",
    "medialists",  # the journalists' address book, sends to media lists, their reports
    "reach",  # a release's views and downloads per day, counted without cookies
    "desk",  # the staff's desk: admin home dashboard, notifications, invitations
    "api",
    "newsroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise, so static files get it too.
    "newsroom.middleware.CrossOriginResourcePolicyMiddleware",
    # Right after SecurityMiddleware: static files are answered before the
    # session and auth work, but still get the security headers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language of the request, from its URL alone (core/i18n.py), active
    # for everything below — error pages included.
    "core.i18n.PathLocaleMiddleware",
    # Outermost of ours: every 404/410, however made (a view, the 404
    # handler, a middleware below raising Http404), is "no-store".
    "newsroom.middleware.NoStoreErrorsMiddleware",
    "newsroom.middleware.PermissionsPolicyMiddleware",
    "newsroom.middleware.NullBytesMiddleware",
    "newsroom.middleware.NewsroomCSPMiddleware",
    # Before sessions: a 304 or a cached page skips the rest of the work
    # (the outer middlewares above still add their headers to it).
    # Outside the page cache, so cached hits are counted too (reach/counting.py).
    "reach.counting.ReachMiddleware",
    "newsroom.caching.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Journalists' accounts: allauth's own, the record of each open session
    # (so suspension ends them all), and "private, no-store, noindex" on
    # every journalist's page.
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "journalists.middleware.PrivatePagesMiddleware",
    # Last, as django-axes documents: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "newsroom.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file, not SQLite's in-memory default, so that a
    # real task worker (another process) can share it (tests/alerts/).
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
        BASE_DIR / "var" / "test_newsroom.sqlite3"
    )
    if "PYTEST_VERSION" in os.environ:
        (BASE_DIR / "var").mkdir(exist_ok=True)  # a fresh clone has no var/
    # WAL and a busy timeout let the dev server and a management command
    # share the file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The newsroom's languages (core/i18n.py): each has its own edition of the
# public site — its releases, lists, feeds and alerts — at its URL prefix
# (/ur/…); the first, LANGUAGE_CODE, lives at the root.  A comma-separated
# list of Django language codes; Urdu is the second language of the
# organisations this was built for.  Adding one needs its translation of the
# interface in locale/ (makemessages -l <code>), not a migration.
NEWSROOM_LANGUAGES = [
    code.strip().lower()
    for code in os.environ.get("NEWSROOM_LANGUAGES", "en-gb,ur").split(",")
    if code.strip()
]
if NEWSROOM_LANGUAGES[0] != LANGUAGE_CODE:
    raise ImproperlyConfigured(f"NEWSROOM_LANGUAGES must start with {LANGUAGE_CODE}.")


def _language_name(code: str) -> str:
    from django.conf.locale import LANG_INFO

    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0])
    if not info:
        raise ImproperlyConfigured(f"NEWSROOM_LANGUAGES: unknown language code {code!r}.")
    return info["name"]


LANGUAGES = [(code, _language_name(code)) for code in NEWSROOM_LANGUAGES]
# Our own translations of the interface (the public pages, e-mails, errors).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Karachi")
USE_I18N = True
USE_TZ = True
# Dates and times as staff read them: "2 Dec 2026, 10:57 PKT" (core/dates.py).
FORMAT_MODULE_PATH = ["core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Uploads: a decompression bomb or a huge upload is refused early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "admin:login"

# Newsroom's own settings.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The authority of the feeds' permanent item ids (tag: URIs, releases/feeds.py):
# a domain the organisation owns. Set it once and never change it, even when
# the site moves, or feed readers show every release again.
NEWSROOM_FEED_ID_AUTHORITY = os.environ.get(
    "NEWSROOM_FEED_ID_AUTHORITY", urlsplit(NEWSROOM_SITE_URL).hostname or "localhost"
)
# Region used to read phone numbers written without a country code.
NEWSROOM_PHONE_REGION = os.environ.get("NEWSROOM_PHONE_REGION", "PK")
NEWSROOM_PAGE_SIZE = int(os.environ.get("NEWSROOM_PAGE_SIZE", "20"))

# Uploads (core/images.py, releases/documents.py).  A picture is refused above
# these sizes before it is decoded; the pixel count guards against
# decompression bombs (a small file that decodes to gigabytes) and bounds
# what one decode costs a worker.  40 megapixels admit a 40-megapixel
# camera's 7728x5152 and a phone photo in its usual 12-24 MP mode (the
# originals of 45-100 MP cameras and of phones' 50-200 MP modes must be
# exported smaller), and decode to at most 160 MB as PNG and 240 MB of
# libjpeg buffers as a progressive JPEG: the worst accepted picture stays
# under a 320 MB peak in a fresh process (tests/security/
# test_hostile_files.py).  WebP gets a quarter of it (core/images.py).
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", str(20 * 1024 * 1024)))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", "40000000"))
NEWSROOM_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("NEWSROOM_ATTACHMENT_MAX_BYTES", str(25 * 1024 * 1024))
)
# The most releases one imported file may hold (importer/limits.py).  The
# admin imports in the request, twice (preview, then confirm), under
# gunicorn's 30 s timeout; at 200 the slowest accepted file (200 releases,
# 400 contacts, 200 organisations, a million characters) takes about 10 s a
# request on PostgreSQL.
NEWSROOM_IMPORT_MAX_RELEASES = int(os.environ.get("NEWSROOM_IMPORT_MAX_RELEASES", "200"))
# How long browsers and shared caches may keep a public release file
# (releases/views/files.py); short, because a withdrawal must take effect.
NEWSROOM_MEDIA_MAX_AGE = int(os.environ.get("NEWSROOM_MEDIA_MAX_AGE", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Caching -------------------------------------------------------------------
# Public pages carry an ETag and a Cache-Control lifetime that never outlives
# the next embargo instant (newsroom/caching.py).  NEWSROOM_CACHE_MAX_AGE is
# the longest a shared cache may serve a page after the newsroom changed.
NEWSROOM_CACHE_MAX_AGE = int(os.environ.get("NEWSROOM_CACHE_MAX_AGE", "60"))
# How long a worker may reuse the content state before asking the database
# again (writes by this worker and embargo instants always refresh it).
NEWSROOM_STATE_TTL = float(os.environ.get("NEWSROOM_STATE_TTL", "1.0"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    # A shared cache for rendered public pages, keyed on the content state
    # token, so every publish, correction and withdrawal invalidates it.
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
    }
    NEWSROOM_PAGE_CACHE = "pages"
else:
    NEWSROOM_PAGE_CACHE = None
NEWSROOM_BENCH_FLOOR = env_bool("NEWSROOM_BENCH_FLOOR", False)

# ---------------------------------------------------------------------------
# Security and production serving (owned by the "prod" work; keep grouped).
#
# Secure by default: with DEBUG off every switch below is on unless an
# environment variable turns it off, so a forgotten variable fails safe.
# ``manage.py check --deploy`` reports nothing on a production configuration
# (tests/test_security_settings.py runs it).  docs/SECURITY.md explains each
# setting and the deploy checklist.
# ---------------------------------------------------------------------------
TESTING = "PYTEST_VERSION" in os.environ or env_bool("NEWSROOM_TESTING")

# HTTPS.  Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER to the
# header the proxy sets (e.g. "HTTP_X_FORWARDED_PROTO=https"); only do so when
# the proxy always sets or strips it, or clients could claim HTTPS themselves.
# (Off under pytest: the test client speaks plain HTTP; the security tests
# switch it on explicitly.)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    _name, _, _value = _proxy_header.partition("=")
    SECURE_PROXY_SSL_HEADER = (_name.strip(), (_value or "https").strip())
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

# HSTS: one year, subdomains included.  Preloading is a one-way door (removal
# from browsers' lists takes months), so it is opt-in with SECURE_HSTS_PRELOAD=1;
# while it is off, the check that nags about it is silenced on purpose.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS: list[str] = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: never over plain HTTP in production, never readable by scripts.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A stale or forged form gets the branded 403 page with an explanation.
CSRF_FAILURE_VIEW = "newsroom.errors.csrf_failure"

# Browser features the newsroom never uses are switched off for every page
# (newsroom.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}

# Content Security Policy (django-csp 4).  Public pages allow no inline script
# or style at all: templates link the project's CSS and JS files.  The admin
# gets a slightly relaxed policy (NEWSROOM_ADMIN_CSP_UPDATE, applied by
# newsroom.middleware.NewsroomCSPMiddleware under the admin's URL prefix only)
# because Django's admin and the ProseMirror editor set inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # Nothing by default; each kind of resource the pages use is listed.
        "default-src": ["'none'"],
        "manifest-src": ["'self'"],
        "media-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
NEWSROOM_ADMIN_CSP_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}

# Login throttling (django-axes): five failures for one username from one
# address lock that pair out for a cooling-off period; a success resets the
# count.  Locking by username *and* address means an attacker cannot lock a
# colleague out from elsewhere, and one office behind NAT is not locked out
# by one person's typos.  A second, higher limit counts one address across
# all usernames (AXES_ADDRESS_FAILURE_LIMIT, newsroom.auth_backends.
# AddressThrottlingHandler): a password sprayer trying a few guesses at each
# of many names is stopped at the address, and the people whose names were
# sprayed still sign in from anywhere else.  The backend comes first, as
# axes documents.
AUTHENTICATION_BACKENDS = [
    "newsroom.auth_backends.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Journalists sign in with their e-mail address at /account/login/.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
_AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_AXES_COOLOFF_MINUTES)
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "newsroom.auth_backends.AddressThrottlingHandler"
AXES_RESET_ON_SUCCESS = True
# Bounded usernames: a 10 000-character one must not break the login (500).
AXES_USERNAME_CALLABLE = "newsroom.auth_backends.axes_username"
AXES_LOCKOUT_CALLABLE = "newsroom.errors.lockout"  # branded page, status 429
AXES_COOLOFF_MESSAGE = (
    "Too many failed sign-in attempts. For your security, signing in is paused "
    f"for this account from this address; please try again in {_AXES_COOLOFF_MINUTES} minutes."
)
# Behind a reverse proxy the client address is in X-Forwarded-For; set
# AXES_PROXY_COUNT to the number of proxies in front of the app so the
# address cannot be spoofed by a client-supplied header.
if os.environ.get("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

if DEBUG or TESTING:
    # WhiteNoise warns when STATIC_ROOT does not exist yet; in development and
    # tests static files come from the app folders, so that is expected.
    # (pytest resets filters per test: pyproject.toml repeats this one.)
    warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

# Static files are served by WhiteNoise from STATIC_ROOT (``collectstatic``),
# compressed and with hashed names cached for a year.  The test suite and
# DEBUG use plain storage so no collectstatic run is needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# ---------------------------------------------------------------------------
# E-mail alerts and the task worker (alerts/; docs/ARCHITECTURE.md, "Alerts
# and e-mail").
# ---------------------------------------------------------------------------
# Outgoing mail as one URL: smtp://user:pass@host:587/?tls=1, smtps://…,
# console:, file:///path, or anymail://<esp> for a provider (its keys in
# ANYMAIL below).  Development default: one file per message under var/mail/.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The e-mail settings Django reads (EMAIL_BACKEND, EMAIL_HOST…) from EMAIL_URL.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(BASE_DIR / "var" / "mail")
EMAIL_TIMEOUT = 30
if EMAIL_URL.startswith("anymail://"):
    _esp = EMAIL_URL.removeprefix("anymail://").strip("/")
    EMAIL_BACKEND = f"anymail.backends.{_esp}.EmailBackend"
elif EMAIL_URL:
    _email = {k: v for k, v in dj_email_url.parse(EMAIL_URL).items() if v is not None}
    if _email.get("EMAIL_BACKEND", "").endswith("filebased.EmailBackend"):
        # file:///abs/path: dj-email-url drops the leading slash.
        _email["EMAIL_FILE_PATH"] = "/" + _email.get("EMAIL_FILE_PATH", "").lstrip("/")
    globals().update(_email)
# Provider keys for anymail://<esp>, e.g. ANYMAIL_POSTMARK_SERVER_TOKEN; the
# webhook secret is "user:password" of the basic auth the provider sends.
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_") and key != "ANYMAIL_WEBHOOK_SECRET"
}
ANYMAIL["WEBHOOK_SECRET"] = os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")

# Tasks: the database queue (any number of `manage.py db_worker` processes
# share it: rows are claimed with SELECT … FOR UPDATE SKIP LOCKED).  Another
# backend (e.g. RQ/Redis) is one dotted path away.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Messages per second one worker sends (throttle), retries of a temporary
# SMTP failure, and the first back-off in seconds (doubled each time).
ALERTS_SEND_RATE = float(os.environ.get("ALERTS_SEND_RATE", "20"))
ALERTS_MAX_RETRIES = int(os.environ.get("ALERTS_MAX_RETRIES", "3"))
ALERTS_RETRY_BACKOFF = float(os.environ.get("ALERTS_RETRY_BACKOFF", "2"))
# Seconds between two sweeps run by the worker (the sweep sends whatever
# should have gone and has not; `manage.py alerts_sweep` runs one by hand).
ALERTS_SWEEP_INTERVAL = int(os.environ.get("ALERTS_SWEEP_INTERVAL", "60"))
# How far back the sweep looks for releases that went public unsent (hours).
ALERTS_SWEEP_LOOKBACK_HOURS = int(os.environ.get("ALERTS_SWEEP_LOOKBACK_HOURS", "48"))
# Hours an unconfirmed sign-up waits for its confirmation before it expires.
ALERTS_CONFIRM_HOURS = int(os.environ.get("ALERTS_CONFIRM_HOURS", "48"))
# Sign-ups allowed per address and per client IP per hour (no mail-bombing).
ALERTS_SIGNUPS_PER_ADDRESS = int(os.environ.get("ALERTS_SIGNUPS_PER_ADDRESS", "3"))
ALERTS_SIGNUPS_PER_IP = int(os.environ.get("ALERTS_SIGNUPS_PER_IP", "20"))
# The List-Id of alert e-mails: <alerts.HOST>, from the site address.
ALERTS_LIST_ID = os.environ.get("ALERTS_LIST_ID", "")
# Soft bounces (4xx, a provider's "deferred") in a row before an address is
# suppressed; a hard bounce suppresses at once (alerts/bounces.py).
ALERTS_SOFT_BOUNCE_LIMIT = int(os.environ.get("ALERTS_SOFT_BOUNCE_LIMIT", "5"))
# A task row RUNNING this long belongs to a worker that died (SIGKILL, a lost
# machine): the sweep marks it failed and enqueues the task again.
ALERTS_TASK_TIMEOUT_MINUTES = int(os.environ.get("ALERTS_TASK_TIMEOUT_MINUTES", "30"))
# The sign-up limit per client address reads X-Forwarded-For behind this many
# trusted proxies: the same number as the login throttle's AXES_PROXY_COUNT.
ALERTS_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT") or "0")
# Exactly-once delivery (alerts/handover.py): a claimed delivery row is the
# worker's for this many seconds, renewed by its heartbeat; past it the sweep
# takes the row back (re-queued if never handed over, re-sent with the same
# Message-ID if in doubt, at most ALERTS_IN_DOUBT_RESENDS times, then "unknown").
ALERTS_CLAIM_LEASE_SECONDS = float(os.environ.get("ALERTS_CLAIM_LEASE_SECONDS", "120"))
ALERTS_IN_DOUBT_RESENDS = int(os.environ.get("ALERTS_IN_DOUBT_RESENDS", "2"))

# --- Journalists (vetted accounts, embargoed access) ---------------------------
# An approved journalist re-confirms their account each year; unconfirmed, it lapses.
JOURNALISTS_RECONFIRM_AFTER = datetime.timedelta(
    days=int(os.environ.get("JOURNALISTS_RECONFIRM_DAYS", "365"))
)

# ---------------------------------------------------------------------------
# Infrastructure: more than one machine (issue #18; docs/OPERATIONS.md).
# Object storage, health, metrics, JSON logs with a request id, the real
# client address behind proxies.
# ---------------------------------------------------------------------------
# Media on an S3-compatible object store (django-storages) when a bucket is
# named; the local filesystem (MEDIA_ROOT) otherwise.  The bucket is private:
# no object is public by its own URL.  Every file still goes through its
# door (releases/views/files.py checks published() or the preview's right),
# which answers with a redirect to a presigned URL that lives
# NEWSROOM_S3_SIGNED_URL_SECONDS, so nodes share the files and never stream them.
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
NEWSROOM_S3_ENDPOINT_URL = os.environ.get("NEWSROOM_S3_ENDPOINT_URL", "")
NEWSROOM_S3_REGION = os.environ.get("NEWSROOM_S3_REGION", "")
NEWSROOM_S3_ACCESS_KEY_ID = os.environ.get("NEWSROOM_S3_ACCESS_KEY_ID", "")
NEWSROOM_S3_SECRET_ACCESS_KEY = os.environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY", "")
# A folder inside the bucket for this site's files (several sites may share a bucket).
NEWSROOM_S3_PREFIX = os.environ.get("NEWSROOM_S3_PREFIX", "media").strip("/")
NEWSROOM_S3_SIGNED_URL_SECONDS = int(os.environ.get("NEWSROOM_S3_SIGNED_URL_SECONDS", "60"))


def s3_storage(bucket: str, prefix: str) -> dict:
    """The STORAGES entry of a private S3 location (also used by ``restore``)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": prefix,
            "endpoint_url": NEWSROOM_S3_ENDPOINT_URL or None,
            "region_name": NEWSROOM_S3_REGION or None,
            "access_key": NEWSROOM_S3_ACCESS_KEY_ID or None,
            "secret_key": NEWSROOM_S3_SECRET_ACCESS_KEY or None,
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,  # every URL is signed
            "querystring_expire": NEWSROOM_S3_SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": "path",
        },
    }


if NEWSROOM_S3_BUCKET:
    STORAGES["default"] = s3_storage(NEWSROOM_S3_BUCKET, NEWSROOM_S3_PREFIX)

# Health (newsroom/health.py): readiness fails when no worker started a task
# for this many seconds (0: leave the worker out of readiness).
NEWSROOM_HEALTH_WORKER_MAX_AGE = int(
    os.environ.get("NEWSROOM_HEALTH_WORKER_MAX_AGE", str(3 * ALERTS_SWEEP_INTERVAL + 60))
)
INSTALLED_APPS.append("health_check")
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]

# Metrics in Prometheus format at /metrics (newsroom/metrics.py), for a
# scraper only: a bearer token, or client addresses (exact, comma-separated).
# Neither set: /metrics is a 404 for everyone.
NEWSROOM_METRICS_TOKEN = os.environ.get("NEWSROOM_METRICS_TOKEN", "")
NEWSROOM_METRICS_ALLOW = env_list("NEWSROOM_METRICS_ALLOW")
# Only django-prometheus's two middlewares (request counts and latencies),
# not its database or cache wrappers: nothing else changes.
# Inside the security and static-file middlewares (their order is tested),
# before everything else.
_OPS_AT = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
MIDDLEWARE.insert(_OPS_AT, "django_prometheus.middleware.PrometheusBeforeMiddleware")
# Just before django-axes, which must stay last (its own documentation).
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)

# Logs: every record of a request carries its id (newsroom/request_id.py:
# X-Request-ID from the proxy when well formed, a new one otherwise, echoed
# on the response).  NEWSROOM_LOG_FORMAT=json writes one JSON object a line.
NEWSROOM_LOG_FORMAT = os.environ.get("NEWSROOM_LOG_FORMAT", "plain").strip().lower()
MIDDLEWARE.insert(_OPS_AT, "newsroom.request_id.RequestIdMiddleware")
LOGGING["filters"] = {"request_id": {"()": "newsroom.request_id.RequestIdFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
LOGGING["formatters"]["json"] = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
if NEWSROOM_LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"

# The real client address behind proxies (django-ipware, read by django-axes):
# with AXES_PROXY_COUNT=N proxies in front, each appends the address it heard
# from, so the client is the N-th entry from the right of X-Forwarded-For
# (as alerts.signup.client_ip reads it); entries further left are the
# client's own and are ignored.  ipware counts only the proxies *listed* in
# the header, and the nearest one is REMOTE_ADDR, not listed: hence N - 1,
# and not strict, so a client's extra entries cannot void the header.
if os.environ.get("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = max(0, int(os.environ["AXES_PROXY_COUNT"]) - 1)
    AXES_IPWARE_PROXY_ORDER = "left-most"
IPWARE_STRICT = False

# --- Press room (embargoed advance access; pressroom/) ---------------------------
# Minutes a journalist's signed file link (pictures, documents, media kit of an
# embargoed release) stays valid; every use is checked again besides.
PRESSROOM_FILE_URL_MINUTES = int(os.environ.get("PRESSROOM_FILE_URL_MINUTES", "15"))
# Days the access log (who opened or downloaded which embargoed item) is kept,
# for breach inquiries; the worker's sweep deletes older lines.
PRESSROOM_ACCESS_LOG_DAYS = int(os.environ.get("PRESSROOM_ACCESS_LOG_DAYS", "400"))
# --- Journalist accounts (journalists/: django-allauth at /account/) -----------
# Staff keep the admin's login; journalists sign up and sign in here with their
# e-mail address, which they must verify before they can sign in.
ACCOUNT_ADAPTER = "journalists.adapter.JournalistAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "journalists.forms.JournalistSignupForm"
ACCOUNT_FORMS = {"signup": "journalists.signup.JournalistAccountSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up with a known address and a reset for an unknown one answer exactly
# as for any other address (the owner is told by e-mail instead).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{NEWSROOM_SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(NEWSROOM_SITE_URL).scheme or "https"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Rate limits (allauth's, in the default cache): sign-ups per client address
# (spam), and allauth's defaults for the rest (login failures per address and
# per account, password resets per address and per e-mail address…).
ACCOUNT_RATE_LIMITS = {
    "signup": os.environ.get("JOURNALISTS_SIGNUP_RATE", "5/m/ip,30/h/ip"),
}
LOGIN_REDIRECT_URL = "/journalists/account/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SIGNUP_REDIRECT_URL = "/journalists/account/"
# Two-factor: an authenticator app (TOTP), a security key or passkey
# (WebAuthn; allauth's own script files, no inline script), recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = NEWSROOM_SITE_NAME
# WebAuthn wants HTTPS; development runs on plain http://127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Only journalists sign in through allauth, so only their sessions are
# listed; a suspension ends them all (journalists.rules).
USERSESSIONS_TRACK_ACTIVITY = False
# How long before the year is up the re-confirmation e-mail goes (days).
JOURNALISTS_RECONFIRM_NOTICE_DAYS = int(os.environ.get("JOURNALISTS_RECONFIRM_NOTICE_DAYS", "30"))
# --- Media lists (medialists/) -------------------------------------------------
# Providers' open and click tracking on media-list e-mails: off unless staff
# switch it on.  The send report counts no opens or clicks either way.
MEDIALISTS_TRACK_OPENS = os.environ.get("MEDIALISTS_TRACK_OPENS", "") == "1"
# The largest import accepted in the admin: rows and bytes (a clear message beyond).
# Their preview runs in the request (25,000 rows: a few seconds, bench-medialists).
MEDIALISTS_IMPORT_MAX_ROWS = int(os.environ.get("MEDIALISTS_IMPORT_MAX_ROWS", "25000"))
MEDIALISTS_IMPORT_MAX_BYTES = int(os.environ.get("MEDIALISTS_IMPORT_MAX_BYTES", str(20 * 2**20)))
# A confirmed import of more rows than this runs in the worker, with a
# progress page (medialists.import_jobs); a smaller one in the request.
MEDIALISTS_IMPORT_WORKER_ROWS = int(os.environ.get("MEDIALISTS_IMPORT_WORKER_ROWS", "2000"))

# --- Reach (reach/) -------------------------------------------------------------
# Redis for the view and download counters (INCR per request, flushed into daily
# rows by the worker's sweep), e.g. redis://127.0.0.1:6379/3.  Empty: nothing is counted.
REACH_REDIS_URL = os.environ.get("REACH_REDIS_URL", "")
# --- Cluster: read replicas and fault tolerance (newsroom/db_router.py,
# newsroom/cache_backends.py; docs/OPERATIONS-simulation.md) -------------------
# Streaming replicas of the primary, comma-separated database URLs; each becomes
# an alias replica_1, replica_2 … that anonymous public GET/HEAD requests read.
# None set: every query goes to the primary, as before.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
for _n, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica_{_n}"] = dj_database_url.parse(
        _url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    # Tests: the replica is the test database itself, not a second copy.
    DATABASES[f"replica_{_n}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
# A replica further behind than this (seconds) is not read; a withdrawal can
# show late on a replica by at most this much (plus the 1 s between checks).
NEWSROOM_REPLICA_MAX_LAG = float(os.environ.get("NEWSROOM_REPLICA_MAX_LAG", "5"))
# After a client writes (any POST…), it reads the primary for this many seconds.
NEWSROOM_REPLICA_STICKY_SECONDS = int(os.environ.get("NEWSROOM_REPLICA_STICKY_SECONDS", "15"))
# Paths whose reads always go to the primary (staff, accounts, sign-up flows).
NEWSROOM_REPLICA_PRIMARY_PREFIXES = env_list(
    "NEWSROOM_REPLICA_PRIMARY_PREFIXES",
    "/admin/,/account/,/alerts/,/journalists/,/press-room/,/media-lists/,/health/",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("newsroom.caching.PublicCacheMiddleware") + 1,
    "newsroom.db_router.ReplicaRoutingMiddleware",
)
# Redis unreachable: the page cache answers "miss" and retries the server
# only after this many seconds, so requests never queue on a dead socket.
NEWSROOM_CACHE_RETRY_SECONDS = float(os.environ.get("NEWSROOM_CACHE_RETRY_SECONDS", "5"))
if "pages" in CACHES:
    CACHES["pages"]["BACKEND"] = "newsroom.cache_backends.TolerantRedisCache"
    CACHES["pages"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    )
