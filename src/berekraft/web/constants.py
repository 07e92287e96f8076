"""What every public page needs and what changes only with a score run (or an admin's edit of the
catalogue or the network): the catalogue in the reader's language, the network, its members, its
peer groups and whether any of them shows demonstration data. Kept in Django's cache under the
latest score run and the language, for PAGE_CACHE_SECONDS at most (an admin's edit of names shows
within that time, as the rendered pages do); 0 turns it off, as for the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

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


def per_run(name: str, build: Callable[[], T]) -> T:
    """``build()``, kept under (``name``, the latest score run, the language)."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return build()
    run = runs.latest()
    ids = f"{run[0][0]}-{run[0][1]}" if run else "0-0"
    key = f"constant:{name}:{ids}:{_language()}"
    found: T | None = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, timeout=seconds)
    return found


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
