"""Thin views: pick the selector, render. No queries or scoring here."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from berekraft.places.models import Network, Place
from berekraft.scores import selectors

DEFAULT_NETWORK = "baerekraftsnettverket"


def _language() -> str:
    language = (get_language() or "nb")[:2]
    return language if language in ("nb", "nn", "en") else "nb"


def network_home(request: HttpRequest) -> HttpResponse:
    network = Network.objects.filter(code=DEFAULT_NETWORK).first() or Network.objects.first()
    if network is None:
        raise Http404("No network has been loaded yet: run `berekraft load-reference`.")
    overview = selectors.network_overview(network=network, language=_language())
    return render(request, "web/network_home.html", {"overview": overview})


def member_profile(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Place, code=code)
    profile = selectors.member_profile(place=place, language=_language())
    return render(request, "web/member_profile.html", {"profile": profile})
