"""The client's address, for login lock-outs and rate limits.

Without trusted proxies (the default) it is the connection's address, ``REMOTE_ADDR``: an
``X-Forwarded-For`` header is anyone's to write, so it is ignored. Behind a reverse proxy, list the
proxies' addresses or networks in ``BEREKRAFT_TRUSTED_PROXIES`` (settings.TRUSTED_PROXIES): for a
request that comes from one of them, the client is the right-most ``X-Forwarded-For`` entry that
is not itself a trusted proxy, the one the proxy saw. Left-most entries were written by the client
and are never believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks(proxies: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip()]


def _trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address_from(remote: str, forwarded: str, proxies: Iterable[str]) -> str:
    """The client's address from the connection's address and the X-Forwarded-For header."""
    networks = _networks(proxies)
    if not networks or not _trusted(remote, networks):
        return remote
    for entry in reversed([e.strip() for e in forwarded.split(",")]):
        try:
            ipaddress.ip_address(entry)
        except ValueError:
            break  # a garbled chain: stop at the last address we could vouch for
        if not _trusted(entry, networks):
            return entry
        remote = entry
    return remote


def client_address(request: HttpRequest) -> str:
    """The client's address of ``request`` (django-axes calls this: AXES_CLIENT_IP_CALLABLE)."""
    return client_address_from(
        str(request.META.get("REMOTE_ADDR", "")),
        str(request.META.get("HTTP_X_FORWARDED_FOR", "")),
        getattr(settings, "TRUSTED_PROXIES", []),
    )
