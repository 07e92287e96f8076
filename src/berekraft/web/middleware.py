"""Site-wide response headers and language negotiation."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Scripts and styles come from our own static files only: no inline <script>, no inline event
# handlers, no eval (charts run vega's expression interpreter), no CDN.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# /embed/ pages are meant to be framed by anyone; the admin keeps Django's inline style attributes.
CSP_EMBED = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
CSP_ADMIN = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django's
    SecurityMiddleware and XFrameOptionsMiddleware set the others)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/embed/"):
            policy = CSP_EMBED
        elif request.path.startswith("/admin/"):
            policy = CSP_ADMIN
        else:
            policy = CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# Pages with one person's data or forms: never kept by any cache, not even the browser's.
NO_STORE_PREFIXES = ("/workspace/", "/accounts/", "/admin/")


class PrivateCacheMiddleware:
    """A logged-in user's pages are theirs: ``Cache-Control: private`` (no shared cache keeps
    them), and ``no-store`` for the workspace, the accounts pages and the admin. Anonymous
    public pages keep what their view set (``public, max-age=60``). Runs after authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PREFIXES):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


_NO = re.compile(r"(?<![A-Za-z-])no(?=$|[-;,\s])(-[A-Za-z]+)?", re.IGNORECASE)


def norwegian_accept_language(header: str) -> str:
    """``no`` (and ``no-NO``) is Norwegian without saying which: read it as bokmål, ``nb``."""
    return _NO.sub("nb", header)


class NorwegianAcceptLanguageMiddleware:
    """Runs before Django's LocaleMiddleware, which knows nb and nn but not the generic ``no``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        if header:
            request.META["HTTP_ACCEPT_LANGUAGE"] = norwegian_accept_language(header)
        return self.get_response(request)
