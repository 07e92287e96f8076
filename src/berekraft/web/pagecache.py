"""Rendered public pages, kept in Django's cache (alias ``pages``) until the next score run.

Public pages change only when a score run finishes (and, for statuses and sources, when data
changes, which is followed by a run). A rendered page is kept under (latest run, language, path,
the query parameters the page reads, format, htmx or not) for at most PAGE_CACHE_SECONDS — the
max-age the pages already advertise to shared caches — so a hit costs one small query at most.
Logged-in users are never served from here. The cache is local memory per process, or Redis
(``BEREKRAFT_CACHE_URL``) shared by every app server; the latest run is part of every key and is
itself noted in the cache when a run commits (``web/runs.py``), so a new run is seen by every
process at once and no entry needs to be deleted.

Only the query parameters a page reads are part of the key, so ``/?junk=1``, ``/?junk=2`` … are
one entry, not one render each. Which those are is learnt, not listed by hand (a list would go
stale when a view learns a new parameter): while a view runs, ``request.GET`` is a ReadQuery that
notes every name the view asks for, and QueryNames keeps, per route, every name its view has
ever read. A view's output depends only on the names it reads, so two requests that agree on
all of those get the same page. The template is then rendered with the query cut down to the
names read, so its links (twins, embed, language switcher) carry no one's junk either.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Hashable, Iterator
from typing import Any

from django.core.cache import caches
from django.http import HttpResponse, QueryDict

# A page larger than this is not kept (a cache entry is sent whole on every hit).
MAX_BYTES = 8 * 1024 * 1024


class PageCache:
    """Rendered responses in the cache alias ``pages``, under a hash of their key."""

    def __init__(self, alias: str = "pages", max_bytes: int = MAX_BYTES) -> None:
        self.alias = alias
        self.max_bytes = max_bytes

    @staticmethod
    def _key(key: Hashable) -> str:
        return "page:" + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key: Hashable, max_age: float) -> HttpResponse | None:
        entry = caches[self.alias].get(self._key(key))
        if entry is None:
            return None
        status, content, headers = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        return response

    def put(self, key: Hashable, response: HttpResponse, max_age: float) -> None:
        content = response.content
        if len(content) > self.max_bytes:
            return
        entry = (response.status_code, content, list(response.headers.items()))
        caches[self.alias].set(self._key(key), entry, timeout=max_age)

    def clear(self) -> None:
        """Forget every page (tests and benchmarks; on Redis this empties the cache's database)."""
        caches[self.alias].clear()


class ReadQuery(QueryDict):
    """``request.GET`` that notes which names are read; reading them all (iterating, urlencode,
    copy) is noted as ``everything``. ``stop()`` ends the noting and says what was read."""

    def __init__(self, query_string: str | bytes | None = None, mutable: bool = False, encoding: Any = None):
        self.read: set[str] = set()
        self.everything = False
        self._noting = False
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self._noting = True

    def _note(self, key: str) -> None:
        if self._noting:
            self.read.add(key)

    def _note_all(self) -> None:
        if self._noting:
            self.everything = True

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._note(str(key))
        return super().__contains__(key)

    def _getlist(self, key: str, default: Any = None, force_list: bool = False) -> Any:
        self._note(key)
        return super()._getlist(key, default, force_list)  # type: ignore[misc]

    def __iter__(self) -> Iterator[str]:
        self._note_all()
        return super().__iter__()

    def __len__(self) -> int:
        self._note_all()
        return super().__len__()

    def keys(self) -> Any:
        self._note_all()
        return super().keys()

    def lists(self) -> Any:
        self._note_all()
        return super().lists()

    def stop(self) -> frozenset[str] | None:
        """The names read so far (None: all of them); from now on nothing is noted."""
        self._noting = False
        return None if self.everything else frozenset(self.read)


class QueryNames:
    """Per route, the query names its view has read (None once it has read all of them)."""

    def __init__(self) -> None:
        self._names: dict[Hashable, frozenset[str] | None] = {}
        self._lock = threading.Lock()

    def key(self, route: Hashable, query: QueryDict) -> Hashable | None:
        """The query's part of the cache key for ``route``; None while the route is unknown."""
        with self._lock:
            if route not in self._names:
                return None
            names = self._names[route]
        if names is None:
            return tuple(sorted((k, tuple(v)) for k, v in query.lists()))
        return tuple((n, tuple(query.getlist(n))) for n in sorted(names) if n in query)

    def learn(self, route: Hashable, read: frozenset[str] | None) -> None:
        with self._lock:
            known = self._names.get(route, frozenset())
            self._names[route] = None if read is None or known is None else known | read

    def clear(self) -> None:
        with self._lock:
            self._names.clear()


def only(query: QueryDict, names: frozenset[str]) -> QueryDict:
    """``query`` cut down to ``names``, in sorted order."""
    kept = QueryDict(mutable=True, encoding=query.encoding)
    for name in sorted(names):
        if name in query:
            kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept


pages = PageCache()
queries = QueryNames()
