"""Site security (issue 7, finding 15): private files, caching headers for logged-in pages, HTTPS
behind a TLS proxy, and a page cache that junk query strings cannot bypass."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_the_secret_key_and_their_folder_are_private(tmp_path: Path) -> None:
    """Under the usual umask 022, nothing in BEREKRAFT_HOME is readable by other users."""
    home = tmp_path / "home"
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)')\n"
        "    c.execute('SELECT x FROM t'); c.fetchall()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env |= {"BEREKRAFT_HOME": str(home), "DJANGO_SETTINGS_MODULE": "berekraft.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    db = home / "berekraft.sqlite3"
    assert _mode(home) == 0o700
    assert _mode(home / "secret_key") == 0o600
    assert _mode(db) == 0o600
    for side in ("-wal", "-shm"):
        side_file = db.with_name(db.name + side)
        if side_file.exists():
            assert _mode(side_file) == 0o600, side


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    (home / "berekraft.sqlite3").touch(mode=0o644)
    os.chmod(home / "berekraft.sqlite3", 0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env |= {"BEREKRAFT_HOME": str(home), "DJANGO_SETTINGS_MODULE": "berekraft.settings"}
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, cwd=ROOT, check=True)
    assert _mode(home / "berekraft.sqlite3") == 0o600


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "no_store"),
    [("/", False), ("/members/5001/", False), ("/workspace/", True), ("/accounts/password/", True)],
)
def test_logged_in_pages_are_private(client: Client, page: str, no_store: bool) -> None:
    client.force_login(User.objects.create_user("reader"))
    response = client.get(page)
    assert response.status_code == 200
    cache_control = response.get("Cache-Control", "")
    assert "private" in cache_control and "public" not in cache_control
    assert ("no-store" in cache_control) is no_store


@pytest.mark.django_db
def test_anonymous_public_pages_stay_cacheable(client: Client) -> None:
    cache_control = client.get("/members/5001/")["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control
    assert "private" not in cache_control


def test_https_settings_trust_the_proxys_forwarded_proto() -> None:
    from berekraft.settings import https_settings

    assert https_settings({}) == {}
    on = https_settings({"BEREKRAFT_HTTPS": "1"})
    assert on["SECURE_SSL_REDIRECT"] is True
    assert on["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    other = https_settings({"BEREKRAFT_HTTPS": "1", "BEREKRAFT_PROXY_SSL_HEADER": "X-Forwarded-Scheme"})
    assert other["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_SCHEME", "https")
    assert "SECURE_PROXY_SSL_HEADER" not in https_settings(
        {"BEREKRAFT_HTTPS": "1", "BEREKRAFT_PROXY_SSL_HEADER": "none"}
    )


@pytest.mark.django_db
def test_behind_a_tls_proxy_https_does_not_redirect_in_a_loop(client: Client, settings: Any) -> None:
    from berekraft.settings import https_settings

    for name, value in https_settings({"BEREKRAFT_HTTPS": "1"}).items():
        setattr(settings, name, value)
    plain = client.get("/kpis/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    proxied = client.get("/kpis/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


@pytest.mark.django_db
def test_a_junk_query_string_does_not_bypass_the_page_cache(client: Client, settings: Any) -> None:
    from berekraft.web import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    pagecache.pages.clear()
    try:
        first = client.get("/?junk=0&year=2022")
        assert b"junk" not in first.content  # links on the page carry only what it reads
        for junk in range(1, 4):
            with CaptureQueriesContext(connection) as ctx:
                again = client.get(f"/?junk={junk}&year=2022&zz=q{junk}")
            assert len(ctx.captured_queries) <= 1, junk  # the latest score run, nothing else
            assert again.status_code == 200
        assert again.content.count(b"<h1") == first.content.count(b"<h1")
        # A parameter the page reads still makes its own entry.
        with CaptureQueriesContext(connection) as ctx:
            other = client.get("/?year=2021")
        assert len(ctx.captured_queries) > 1 and other.status_code == 200
        assert other.content != first.content
    finally:
        pagecache.pages.clear()


def test_an_empty_secret_key_file_left_by_a_crash_gets_a_key(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "secret_key").touch(mode=0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env |= {"BEREKRAFT_HOME": str(home), "DJANGO_SETTINGS_MODULE": "berekraft.settings"}
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, cwd=ROOT, check=True)
    assert len((home / "secret_key").read_text().strip()) >= 50


@pytest.mark.django_db
def test_repeated_parameters_stay_in_the_page_cache_key(client: Client, settings: Any) -> None:
    from berekraft.web import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    pagecache.pages.clear()
    try:
        first = client.get("/compare/members/?m=5001&m=1103")
        with CaptureQueriesContext(connection) as ctx:
            client.get("/compare/members/?junk=1&m=5001&m=1103")
        assert len(ctx.captured_queries) <= 1
        with CaptureQueriesContext(connection) as ctx:
            other = client.get("/compare/members/?m=5001&m=1506")
        assert len(ctx.captured_queries) > 1 and other.content != first.content
    finally:
        pagecache.pages.clear()
