"""One settings module, read once from ``BEREKRAFT_*`` environment variables.

- BEREKRAFT_HOME: where the SQLite database and the secret key live (default ./berekraft-data)
- BEREKRAFT_DATABASE_URL: e.g. postgres://user@host:5432/berekraft (default: SQLite in BEREKRAFT_HOME)
- BEREKRAFT_SECRET_KEY: default generated once into $BEREKRAFT_HOME/secret_key
- BEREKRAFT_DEBUG: 1 shows Django's debug pages (default 0; never in production)
- BEREKRAFT_ALLOWED_HOSTS: comma-separated host names (default 127.0.0.1,localhost)
- BEREKRAFT_LANGUAGE: the site's default language, nb, nn or en (default nb)
- BEREKRAFT_HTTPS: 1 behind TLS: secure cookies, HSTS, redirect to https
- BEREKRAFT_PROXY_SSL_HEADER: the header by which the TLS proxy says "https" (default
  X-Forwarded-Proto; none when nothing sits in front)
- BEREKRAFT_IMPORT_MAX_BYTES / _MAX_ROWS / _MAX_COLUMNS / _MAX_STRINGS / _MAX_CELLS: what an imported
  file may hold; BEREKRAFT_IMPORT_TIMEOUT / _MAX_MEMORY_MB: the child process that reads an upload
- BEREKRAFT_SMTP_URL: send e-mail (password reset) by SMTP, e.g. smtp+tls://user:password@host:587
  (default: nothing is sent; the log says, for a masked address, that an e-mail was not sent)
- BEREKRAFT_EMAIL_FROM: the sender address of the site's e-mail (default berekraft@localhost)
- BEREKRAFT_TRUSTED_PROXIES: addresses or networks of reverse proxies whose X-Forwarded-For is
  believed for the client's address (default none: the connection's address)
- BEREKRAFT_CACHE_URL: Redis for Django's cache, e.g. redis://127.0.0.1:6379/0 (default: local memory
  per process)
- BEREKRAFT_BENCH_FLOOR: 1 adds the bare /bench/floor view that bench/web.py measures as its floor

There is no built-in secret key: one is generated per installation and kept in BEREKRAFT_HOME,
so a production setup can never run on a key published in this repository.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
import django_stubs_ext

# Lets admin classes be written as ModelAdmin[Model] (typed) at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("BEREKRAFT_HOME", "berekraft-data")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def _private_home() -> Path:
    """BEREKRAFT_HOME, created readable by its owner only: it holds the database and the key."""
    if not HOME.exists():
        HOME.mkdir(mode=0o700, parents=True, exist_ok=True)
        HOME.chmod(0o700)  # mkdir's mode is cut by the umask; say it once more
    return HOME


def _private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (never readable by others, not even for a moment),
    or make an existing one of ours 0600. SQLite gives its -wal and -shm files the database's mode."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _secret_key() -> str:
    if key := os.environ.get("BEREKRAFT_SECRET_KEY"):
        return key
    path = _private_home() / "secret_key"
    _private_file(path)
    if not path.read_text(encoding="utf-8").strip():  # new (or left empty by a crash)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def _database() -> dict[str, Any]:
    url = os.environ.get("BEREKRAFT_DATABASE_URL", "").strip()
    if not url:
        database = _private_home() / "berekraft.sqlite3"
        _private_file(database)
        for side in ("-wal", "-shm"):  # left by an earlier run
            if (path := database.with_name(database.name + side)).exists():
                _private_file(path)
        url = f"sqlite:///{database}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Kept between requests (conn_max_age above), as on PostgreSQL: a new SQLite connection
        # parses the schema and starts with an empty page cache, 3 ms of every request's CPU.
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades mid-transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the site's queries are short, and a plan whose estimate passes jit_above_cost (a
        # full-text search with its rank, say) spent 27 ms compiling to save nothing. A URL that
        # sets its own options (?options=…) keeps them.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("options", "-c jit=off")
    return config


SECRET_KEY = _secret_key()
DEBUG = _flag("BEREKRAFT_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("BEREKRAFT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "berekraft.accounts",
    "berekraft.catalogue",
    "berekraft.places",
    "berekraft.observations",
    "berekraft.scores",
    "berekraft.action",
    "berekraft.web",
    "berekraft.workspace",
    "berekraft.commands",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "berekraft.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "berekraft.web.middleware.NorwegianAcceptLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "berekraft.web.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "berekraft.urls"
WSGI_APPLICATION = "berekraft.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "berekraft.web.context.site",
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LANGUAGE_CODE = os.environ.get("BEREKRAFT_LANGUAGE", "nb").strip().lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ValueError(f"BEREKRAFT_LANGUAGE must be nb, nn or en, not {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the switcher's choice is remembered for a year
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGOUT_REDIRECT_URL = "/"


def cache_settings(url: str, database: Mapping[str, Any]) -> dict[str, Any]:
    """Django's caches: ``default`` (per-run page constants, the password-reset limit) and ``pages``
    (rendered public pages, web/pagecache.py). Redis at ``url`` (shared by every app server), else
    local memory per process. Keys are prefixed with the database's identity, so two installations
    (or two test databases) on one Redis never read each other's entries."""
    identity = "|".join(str(database.get(k)) for k in ("ENGINE", "HOST", "PORT", "NAME"))
    prefix = "berekraft-" + hashlib.sha256(identity.encode()).hexdigest()[:12]
    if url:
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        return {
            "default": {**backend, "KEY_PREFIX": prefix},
            "pages": {**backend, "KEY_PREFIX": prefix + "-pages"},
        }
    local = "django.core.cache.backends.locmem.LocMemCache"
    return {
        "default": {"BACKEND": local, "LOCATION": prefix, "OPTIONS": {"MAX_ENTRIES": 2000}},
        "pages": {"BACKEND": local, "LOCATION": prefix + "-pages", "OPTIONS": {"MAX_ENTRIES": 2000}},
    }


# BEREKRAFT_CACHE_URL (redis://host:6379/0): one cache for every app server, so a score run on one
# is seen by all at once; without it, each process keeps its own (local memory).
CACHE_URL = os.environ.get("BEREKRAFT_CACHE_URL", "").strip()
CACHES = cache_settings(CACHE_URL, DATABASES["default"])
# Rendered public pages are kept this many seconds (web/pagecache.py); 0 turns it off.
PAGE_CACHE_SECONDS = 60
# How long the latest score run, as noted in the cache, is believed before the database is asked
# again (pages' ETag and cache key). A score run notes itself in the cache when it commits, so with
# a shared cache every process sees it at once and the database is only the fallback.
SCORE_RUN_CHECK_SECONDS = 30.0 if CACHE_URL else 2.0

# Login lock-out (django-axes, failed attempts kept in the database, visible in the admin): five
# failures for one user name from one client address lock that pair, and only that pair, for 15
# minutes; a successful login clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/too_many_attempts.html"
AXES_CLIENT_IP_CALLABLE = "berekraft.accounts.client.client_address"
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not a record of every login
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("BEREKRAFT_TRUSTED_PROXIES", "").split(",") if p.strip()]
# Password-reset requests, per client address and per e-mail address, within an hour.
PASSWORD_RESET_LIMIT = 5
PASSWORD_RESET_WINDOW = 3600

DEFAULT_FROM_EMAIL = os.environ.get("BEREKRAFT_EMAIL_FROM", "berekraft@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if smtp_url := os.environ.get("BEREKRAFT_SMTP_URL", "").strip():
    _smtp = urlsplit(smtp_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp.hostname or "localhost"
    EMAIL_PORT = _smtp.port or 25
    EMAIL_HOST_USER = unquote(_smtp.username or "")
    EMAIL_HOST_PASSWORD = unquote(_smtp.password or "")
    EMAIL_USE_TLS = _smtp.scheme == "smtp+tls"
    EMAIL_USE_SSL = _smtp.scheme == "smtps"
else:
    # Sends nothing and logs "not sent" to a masked address: never a reset link in the log.
    EMAIL_BACKEND = "berekraft.accounts.mail.UnsentMailBackend"

BENCH_FLOOR = _flag("BEREKRAFT_BENCH_FLOOR")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True


def https_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """What BEREKRAFT_HTTPS=1 turns on. TLS ends at a reverse proxy, which talks plain HTTP to
    us: the proxy's X-Forwarded-Proto (or the header named by BEREKRAFT_PROXY_SSL_HEADER; ``none``
    when nothing sits in front) tells Django the request came over https, else every request
    would be redirected to https again, in a loop. The proxy must set or overwrite that header."""
    if environ.get("BEREKRAFT_HTTPS", "0").strip().lower() not in ("1", "true", "yes", "on"):
        return {}
    found: dict[str, Any] = {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }
    header = environ.get("BEREKRAFT_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
    if header.lower() not in ("", "none", "off"):
        found["SECURE_PROXY_SSL_HEADER"] = ("HTTP_" + header.upper().replace("-", "_"), "https")
    return found


globals().update(https_settings(os.environ))

# Import limits (bytes, rows, columns): a file beyond them is refused with a clear message.
IMPORT_MAX_BYTES = int(os.environ.get("BEREKRAFT_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("BEREKRAFT_IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("BEREKRAFT_IMPORT_MAX_COLUMNS", 200))
# … and the work: an .xlsx's shared strings and cells are counted before parsing, and an upload is
# read in a child process stopped after the timeout (seconds) or past the memory limit (MB).
IMPORT_MAX_STRINGS = int(os.environ.get("BEREKRAFT_IMPORT_MAX_STRINGS", 1_000_000))
IMPORT_MAX_CELLS = int(os.environ.get("BEREKRAFT_IMPORT_MAX_CELLS", 4_000_000))
IMPORT_TIMEOUT = float(os.environ.get("BEREKRAFT_IMPORT_TIMEOUT", 30))
IMPORT_MAX_MEMORY_MB = int(os.environ.get("BEREKRAFT_IMPORT_MAX_MEMORY_MB", 2048))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The first handler stops an upload past IMPORT_MAX_BYTES while it arrives (declared or delivered),
# so nothing larger is held in memory or written to a temporary file.
FILE_UPLOAD_HANDLERS = [
    "berekraft.workspace.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/workspace/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The API (berekraft.api): requests per minute per client address without a token.
API_ANON_REQUESTS = int(os.environ.get("BEREKRAFT_API_ANON_REQUESTS", 300))
# The licence of the network's published data in the open-data downloads and the DCAT catalogue
# (a URI): CC BY 4.0 unless the network chooses another.
DATA_LICENCE = os.environ.get(
    "BEREKRAFT_DATA_LICENCE", "https://creativecommons.org/licenses/by/4.0/"
).strip()
# Score runs go to a background worker: django-tasks with its
# database backend, run by `berekraft worker` (which `berekraft serve` starts beside gunicorn).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A score run asked for waits this long before it may start, so a burst of changes makes one run.
SCORE_RUN_DELAY_SECONDS = 2.0
