"""One settings module, read once from ``BEREKRAFT_*`` environment variables.

- BEREKRAFT_HOME: where the SQLite database and the secret key live (default ./berekraft-data)
- BEREKRAFT_DATABASE_URL: e.g. postgres://user@host:5432/berekraft (default: SQLite in BEREKRAFT_HOME)
- BEREKRAFT_SECRET_KEY: default generated once into $BEREKRAFT_HOME/secret_key
- BEREKRAFT_DEBUG: 1 shows Django's debug pages (default 0; never in production)
- BEREKRAFT_ALLOWED_HOSTS: comma-separated host names (default 127.0.0.1,localhost)
- BEREKRAFT_LANGUAGE: the site's default language, nb, nn or en (default nb)
- BEREKRAFT_HTTPS: 1 behind TLS: secure cookies, HSTS, redirect to https
- BEREKRAFT_IMPORT_MAX_BYTES / _MAX_ROWS / _MAX_COLUMNS: what an imported file may hold

There is no built-in secret key: one is generated per installation and kept in BEREKRAFT_HOME,
so a production setup can never run on a key published in this repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

# Lets admin classes be written as ModelAdmin[Model] (typed) at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("BEREKRAFT_HOME", "berekraft-data")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def _secret_key() -> str:
    if key := os.environ.get("BEREKRAFT_SECRET_KEY"):
        return key
    path = HOME / "secret_key"
    if not path.exists():
        HOME.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _database() -> dict[str, Any]:
    url = os.environ.get("BEREKRAFT_DATABASE_URL", "").strip()
    if not url:
        HOME.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{HOME / 'berekraft.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades mid-transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
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
    "berekraft.web",
    "berekraft.workspace",
    "berekraft.commands",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = os.environ.get("BEREKRAFT_LANGUAGE", "nb")
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if _flag("BEREKRAFT_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000

# Import limits (bytes, rows, columns): a file beyond them is refused with a clear message.
IMPORT_MAX_BYTES = int(os.environ.get("BEREKRAFT_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("BEREKRAFT_IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("BEREKRAFT_IMPORT_MAX_COLUMNS", 200))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/workspace/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
