"""Browser tests: Debian's Chromium driven by Playwright against `berekraft serve` on a demo
database of its own. Skipped where Chromium is absent, except when CI=true (then a failure);
run once, in the SQLite pass of scripts/test (the server under test is the same either way)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.action_data import PROJECTS

CHROMIUM = os.environ.get("BEREKRAFT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser Passphrase 9"
BIN = Path(sys.executable).parent
USERS = """
import django; django.setup()
from django.contrib.auth.models import User
from berekraft.accounts.services import role_grant
from berekraft.places.models import Network, Place
network = Network.objects.get(code="baerekraftsnettverket")
roles = (("editor", "editor", ["5001"]), ("verifier", "verifier", []), ("admin", "admin", []))
for name, kind, places in roles:
    user = User.objects.filter(username=name).first() or User.objects.create_user(
        name, name + "@example.org", {password!r}
    )
    role_grant(user=user, kind=kind, network=network, places=list(Place.objects.filter(code__in=places)))
"""


SITE_ENV: dict[str, str] = {}  # the served site's environment, for site_query


def site_query(code: str) -> str:
    """Run Python (after django.setup()) against the served site's database; its printed output."""
    script = "import django; django.setup()\n" + code
    done = subprocess.run([BIN / "python", "-c", script], env=SITE_ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _chromium_missing() -> bool:
    return not (Path(CHROMIUM).exists() or shutil.which("chromium"))


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    reason = ""
    if _chromium_missing():
        if os.environ.get("CI") == "true":
            return  # the fixture fails loudly instead
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    elif os.environ.get("BEREKRAFT_DATABASE_URL"):
        reason = "browser tests run in the SQLite pass"
    if reason:
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    for port in range(8790, 8700, -1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8700–8799")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A served demo site; yields its base URL."""
    if _chromium_missing():
        pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
    home = tmp_path_factory.mktemp("site")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BEREKRAFT_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env |= {"BEREKRAFT_HOME": str(home), "DJANGO_SETTINGS_MODULE": "berekraft.settings"}
    SITE_ENV.update(env)
    subprocess.run([BIN / "berekraft", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    subprocess.run([BIN / "python", "-c", USERS.format(password=PASSWORD)], env=env, check=True)
    subprocess.run([BIN / "python", "-c", PROJECTS], env=env, check=True)  # action registers
    port = _free_port()
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [BIN / "berekraft", "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/kpis/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError((home / "server.log").read_text())
        yield base
    finally:
        server.terminate()
        server.wait(10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []  # console errors, page errors, failed requests, CSP violations
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    # A request the browser itself aborted because the page navigated on is no fault of the site.
    page.on(
        "requestfailed",
        lambda r: "ERR_ABORTED" not in (r.failure or "") and page.problems.append(f"request failed: {r.url}"),
    )
    yield page
    context.close()


def screenshot_dir() -> Path | None:
    folder = os.environ.get("BEREKRAFT_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
