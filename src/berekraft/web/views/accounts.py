"""Login (rate-limited), logout, password change and reset: Django's views, our templates.

Failed logins are counted per client address and per user name in the shared cache; past
LOGIN_ATTEMPTS within LOGIN_ATTEMPTS_WINDOW seconds, login answers 429 until the window passes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse_lazy


def _keys(request: HttpRequest) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    username = str(request.POST.get("username", "")).strip().lower()
    return [
        "login-failures:" + hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
        for kind, value in (("address", address), ("user", username))
        if value
    ]


def _blocked(request: HttpRequest) -> bool:
    return any(int(cache.get(key, 0)) >= settings.LOGIN_ATTEMPTS for key in _keys(request))


def _count_failure(request: HttpRequest) -> None:
    for key in _keys(request):
        if not cache.add(key, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW)


class LoginView(auth.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _blocked(request):
            return render(request, "accounts/too_many_attempts.html", status=429)
        response: HttpResponse = super().post(request, *args, **kwargs)
        if not request.user.is_authenticated:
            _count_failure(request)
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
        auth.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
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
