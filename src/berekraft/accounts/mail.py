"""The e-mail backend used while no SMTP server is configured (BEREKRAFT_SMTP_URL unset).

Django's console backend would print every message, and so every valid password-reset link,
into the server's log, where whoever reads the log could take over the account. This backend
sends nothing and logs only that a message to a masked address was not sent, and why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)


def mask(address: str) -> str:
    """``siri@example.org`` → ``s***@example.org``: enough to recognise, not to harvest."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}"


class UnsentMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            log.warning(
                "e-mail %r to %s not sent: no SMTP server configured (set BEREKRAFT_SMTP_URL)",
                message.subject,
                ", ".join(mask(a) for a in message.recipients()),
            )
        return 0
