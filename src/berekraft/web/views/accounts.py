"""Login, logout, password change and reset: Django's views, our templates.

Failed logins are locked out by django-axes (settings: AXES_*), per user name and client address.
Password-reset requests are limited per client address and per e-mail address
(PASSWORD_RESET_LIMIT within PASSWORD_RESET_WINDOW seconds), and do the same work either way
(accounts/forms.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse_lazy

from berekraft.accounts import limits
from berekraft.accounts.client import client_address
from berekraft.accounts.forms import ResetForm


class LoginView(auth.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = str(request.POST.get("email", "")).strip().lower()
        keys = ["address:" + client_address(request)] + (["email:" + email] if email else [])
        if not limits.allow(
            "password-reset", keys, limit=settings.PASSWORD_RESET_LIMIT, window=settings.PASSWORD_RESET_WINDOW
        ):
            return render(request, "accounts/password_reset_limited.html", status=429)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response


app_name = "accounts"
urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(template_name="accounts/logged_out.html"), name="logout"),
    path(
        "password/",
        auth.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "reset/sent/",
        auth.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
