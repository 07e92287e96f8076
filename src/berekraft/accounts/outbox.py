"""E-mail sent outside the request: one background thread per process sends what the site's
forms hand it, so a slow SMTP server neither delays the answer nor tells, by its delay, whether
an address has an account (password reset)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.core.mail import EmailMessage

from berekraft.accounts.mail import mask

log = logging.getLogger(__name__)
_sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="berekraft-mail")
_pending: set[Future[None]] = set()
_lock = threading.Lock()


def _send(messages: list[EmailMessage]) -> None:
    for message in messages:
        try:
            message.send()
        except Exception:
            log.exception("e-mail to %s could not be sent", ", ".join(mask(a) for a in message.to))


def send_later(messages: list[EmailMessage]) -> None:
    """Queue ``messages`` (possibly none: the caller does the same work either way)."""
    future = _sender.submit(_send, messages)
    with _lock:
        _pending.add(future)
    future.add_done_callback(_done)


def _done(future: Future[None]) -> None:
    with _lock:
        _pending.discard(future)


def wait(timeout: float = 30.0) -> None:
    """Wait until everything queued so far is sent (tests; a command that exits right after)."""
    with _lock:
        futures = list(_pending)
    for future in futures:
        future.result(timeout=timeout)
