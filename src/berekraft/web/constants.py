"""What every public page needs and what changes only with a score run (or an admin's edit of the
catalogue or the network): the catalogue in the reader's language, the network, its members, its
peer groups and whether any of them shows demonstration data. Kept in Django's cache under the
latest score run and the language, for PAGE_CACHE_SECONDS at most (an admin's edit of names shows
within that time, as the rendered pages do); 0 turns it off, as for the pages.

A value read from Django's cache is unpickled on every read: the network's 357 members (with
their places) cost 30–50 ms a request that way, more than most pages' queries. So each process
also keeps what it built or read, beside a token stored in the cache with the value: a request
reads the small token only and, while it is the one the process holds, uses its own copy (read,
never changed). The cache stays the authority: a cleared or expired entry has no token, and the
value is built (or read) again."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from berekraft.places.models import Network
from berekraft.web import runs
from berekraft.web.selectors import common
from berekraft.web.selectors import network as network_selectors
from berekraft.web.selectors.compare import PeerGroup, peer_groups

T = TypeVar("T")


def _language() -> str:
    code = (get_language() or "nb")[:2]
    return code if code in ("nb", "nn", "en") else "nb"


# The most values a process keeps (names × languages × the latest run or two).
HELD = 64
_held: dict[str, tuple[str, Any]] = {}  # cache key → (token, value)
_lock = threading.Lock()


def _hold(key: str, token: str, value: Any) -> None:
    with _lock:
        _held.pop(key, None)
        _held[key] = (token, value)
        while len(_held) > HELD:
            del _held[next(iter(_held))]  # the oldest


def per_run(name: str, build: Callable[[], T]) -> T:
    """``build()``, kept under (``name``, the latest score run, the language); the value is shared
    by every request of the process that asks for it, so it must not be changed."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return build()
    run = runs.latest()
    ids = f"{run[0][0]}-{run[0][1]}" if run else "0-0"
    key = f"constant:{name}:{ids}:{_language()}"
    token: str | None = cache.get(f"{key}:token")
    if token is not None:
        held = _held.get(key)
        if held is not None and held[0] == token:
            found: T = held[1]
            return found
        stored: T | None = cache.get(key)
        if stored is not None:
            _hold(key, token, stored)
            return stored
    value = build()
    token = uuid.uuid4().hex
    cache.set_many({key: value, f"{key}:token": token}, timeout=seconds)
    _hold(key, token, value)
    return value


def catalogue() -> common.Catalogue:
    language = _language()
    return per_run("catalogue", lambda: common.catalogue(language=language))


def network() -> tuple[Network, list[common.Member]]:
    """The network and its members."""

    def build() -> tuple[Network, list[common.Member]]:
        found = common.network()
        return found, common.members(network=found)

    return per_run("network", build)


def members() -> tuple[list[common.Member], bool]:
    """The network's members, and whether any of them shows demonstration data (read once per
    score run: demo values come in as observations, and every change of them is followed by a run)."""
    found = network()[1]
    return found, has_demo_data(found)


def has_demo_data(members: list[common.Member]) -> bool:
    return per_run("demo", lambda: common.has_demo_data([m.place.pk for m in members]))


def groups(of: Network, members: list[common.Member]) -> list[PeerGroup]:
    """The peer groups of the network ``of`` (with ``members``)."""
    return per_run("groups", lambda: peer_groups(network=of, members=members))


def reported_counts(members: list[common.Member]) -> dict[int, dict[int, int]]:
    """Each member's published values per year (the home's headline years)."""
    return per_run("reported", lambda: network_selectors.reported_counts([m.place.pk for m in members]))
