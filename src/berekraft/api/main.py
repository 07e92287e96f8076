"""The API object: routers per resource, the one error shape, OpenAPI at /api/v1/openapi.json and
the docs at /api/v1/docs. ``urls`` is what berekraft/urls.py mounts."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from berekraft import __version__
from berekraft.api import errors, headers
from berekraft.api.docs import StaticSwagger
from berekraft.api.routers import (
    catalogue,
    coverage,
    imports,
    observations,
    places,
    projects,
    registers,
    reports,
    scores,
    values,
)

DESCRIPTION = """Open data of the network: the U4SSC catalogue, places, networks, published values
and every score, the action registers (published projects, organisations, citizen involvement and
members' priorities) and the reports as files, and, with a personal token (made in the workspace
under *API tokens*), the workflow of a value: draft, submit, verify or return, and imports.

* Reads are public and rate limited per address without a token; send `Authorization: Bearer <token>`
  to be counted as yourself.
* Lists are pages: `limit` (1–1000) and the `next` cursor of the previous page.
* Every error is `{"errors": [{"where": …, "what": …, "fix": …}]}` with its status.
* Send `If-None-Match` with a response's `ETag` to get 304 while nothing changed.
* A change of a value needs `If-Match` with the value's version (its ETag); a stale one is 409.
"""


class Api(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """As django-ninja makes it, with the token optional on public reads (``{}`` in security:
        anonymous callers are answered too)."""
        schema = super().get_openapi_schema(**kwargs)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if operation.get("security") == [{"Public": []}]:
                    operation["security"] = [{"Public": []}, {}]
        return schema


api = Api(
    title="berekraft",
    version=f"v1 ({__version__})",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=StaticSwagger(),
)
errors.install(api)
for module in (
    catalogue,
    places,
    observations,
    scores,
    coverage,
    values,
    imports,
    projects,
    registers,
    reports,
):
    api.add_router("/", module.router)


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    return headers.wrap(patterns), app_name, namespace
