"""The public page of a member's local indicator (and its .json/.csv twins)."""

from __future__ import annotations

from django.http import HttpRequest

from berekraft.web.selectors import common
from berekraft.web.selectors.local import local_series
from berekraft.web.views.base import Page, language, twin_page


@twin_page
def member_local(request: HttpRequest, code: str, slug: str) -> Page:
    place = common.public_place(code)
    data = local_series(place=place, slug=slug, language=language())
    return Page("web/member_local.html", data, {"series": data})
