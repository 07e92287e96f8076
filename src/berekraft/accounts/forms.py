"""The password-reset form: the same work whether or not the address has an account.

Django's form writes and sends an e-mail only for an existing account, so the answer's delay
tells an attacker which addresses have one. Here an address without an account gets the same
work, an e-mail written for a stand-in user, which is then dropped; real e-mail goes through
the background outbox (accounts/outbox.py), so SMTP's delay is outside the request either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from berekraft.accounts import outbox


class ResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[Any]:
        users = list(super().get_users(email))
        self.stand_in = not users
        if users:
            yield from users
        else:
            stand_in = User(username="", email=email)
            stand_in.set_unusable_password()
            yield stand_in

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
        outbox.send_later([] if self.stand_in else [message])
