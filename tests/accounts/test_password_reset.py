"""Password reset (issue 7, finding 14): the same work whether the address has an account or not,
the e-mail sent outside the request, a rate limit, and no valid link in the server log when no
SMTP server is configured."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
RESET = "/accounts/reset/"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def en(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _wait() -> None:
    from berekraft.accounts import outbox

    outbox.wait()


def work(client: Client, email: str, address: str) -> tuple[int, list[str], list[str]]:
    """What answering one reset request did: status, templates rendered, SQL run (without values)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(RESET, {"email": email}, REMOTE_ADDR=address)
    sql = [q["sql"].replace(email, "?").replace(email.upper(), "?") for q in queries.captured_queries]
    return response.status_code, [t.name for t in response.templates if t.name], sql


def test_an_address_with_or_without_an_account_gets_the_same_work(en: Client) -> None:
    User.objects.create_user("siri", "siri@example.org", "a long Passphrase 42")
    known = work(en, "siri@example.org", "192.0.2.1")
    unknown = work(en, "nobody@example.org", "192.0.2.2")
    assert known[0] == unknown[0] == 302
    assert "accounts/password_reset_email.txt" in known[1]
    assert known[1] == unknown[1]  # the e-mail is written for the unknown address too …
    assert known[2] == unknown[2]
    _wait()
    assert [m.to for m in mail.outbox] == [["siri@example.org"]]  # … but only the real one is sent


class _ThreadRecorder(BaseEmailBackend):
    threads: list[int] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.threads.append(threading.get_ident())
        return len(email_messages)


def test_the_email_is_sent_outside_the_request(en: Client, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._ThreadRecorder"
    _ThreadRecorder.threads.clear()
    User.objects.create_user("siri", "siri@example.org", "a long Passphrase 42")
    assert en.post(RESET, {"email": "siri@example.org"}).status_code == 302
    _wait()
    assert len(_ThreadRecorder.threads) == 1
    assert _ThreadRecorder.threads[0] != threading.get_ident()


def test_reset_requests_are_limited_per_address_and_per_email(en: Client) -> None:
    for n in range(5):
        assert en.post(RESET, {"email": f"a{n}@example.org"}, REMOTE_ADDR="192.0.2.1").status_code == 302
    refused = en.post(RESET, {"email": "a9@example.org"}, REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    # One e-mail address, many client addresses: limited as well.
    for n in range(5):
        assert en.post(RESET, {"email": "b@example.org"}, REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    assert en.post(RESET, {"email": "b@example.org"}, REMOTE_ADDR="198.51.100.99").status_code == 429
    # Someone else, elsewhere, is not affected.
    assert en.post(RESET, {"email": "c@example.org"}, REMOTE_ADDR="203.0.113.1").status_code == 302


@pytest.mark.parametrize(
    ("language", "text"), [("nb", "For mange forespørsler"), ("nn", "For mange førespurnader")]
)
def test_the_limit_page_is_translated(client: Client, language: str, text: str) -> None:
    for _ in range(6):
        response = client.post(RESET, {"email": "a@example.org"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 429
    assert text in response.content.decode()


def test_without_smtp_no_reset_link_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    from berekraft import settings as configured

    assert configured.EMAIL_BACKEND == "berekraft.accounts.mail.UnsentMailBackend"
    link = "http://example.org/accounts/reset/MQ/abc123-token/"
    message = EmailMessage(
        "Reset", f"Choose a new password: {link}\n", "site@example.org", ["siri@example.org"]
    )
    with caplog.at_level(logging.DEBUG):
        sent = get_connection(configured.EMAIL_BACKEND).send_messages([message])
    assert sent == 0
    assert link not in caplog.text and "abc123-token" not in caplog.text
    assert "s***@example.org" in caplog.text and "BEREKRAFT_SMTP_URL" in caplog.text
