"""/api/v1/docs: Swagger UI from the app's own static files (web/static/vendor/swagger-ui), started
by a static script (no inline script), so it runs inside the site's Content-Security-Policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class StaticSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(
            request, "api/docs.html", {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        )
