"""A small rate limiter on Django's shared cache (django-axes covers logins only).

Each key gets a counter that lives ``window`` seconds from its first hit: a fixed window, which is
all a form such as password reset needs. Keys are hashed, so no e-mail address is stored in the
cache in clear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache


def _hit(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def allow(scope: str, keys: Iterable[str], *, limit: int, window: int) -> bool:
    """Count one request against every key; False once any of them is past ``limit``."""
    counts = [
        _hit(f"limit:{scope}:" + hashlib.sha256(key.encode()).hexdigest(), window) for key in keys if key
    ]
    return all(count <= limit for count in counts)
