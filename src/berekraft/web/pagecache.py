"""Rendered public pages, kept per worker process for a short while.

Public pages change only when a score run finishes (and, for statuses and sources, when data
changes, which is followed by a run). A rendered page is kept under (latest run, language, path,
the query parameters the page reads, format, htmx or not) for at most PAGE_CACHE_SECONDS — the
max-age the pages already advertise to shared caches — so a hit costs one small query. Logged-in
users are never served from here. Bounded in bytes, least recently used first out.

Only the query parameters a page reads are part of the key, so ``/?junk=1``, ``/?junk=2`` … are
one entry, not one render each. Which those are is learnt, not listed by hand (a list would go
stale when a view learns a new parameter): while a view runs, ``request.GET`` is a ReadQuery that
notes every name the view asks for, and QueryNames keeps, per route, every name its view has
ever read. A view's output depends only on the names it reads, so two requests that agree on
all of those get the same page. The template is then rendered with the query cut down to the
names read, so its links (twins, embed, language switcher) carry no one's junk either.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Any

from django.http import HttpResponse, QueryDict

MAX_BYTES = 64 * 1024 * 1024


class PageCache:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[float, int, bytes, list[tuple[str, str]]]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, max_age: float) -> HttpResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored, status, content, headers = entry
            if time.monotonic() - stored > max_age:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        return response

    def put(self, key: Hashable, response: HttpResponse) -> None:
        content = response.content
        if len(content) > self.max_bytes // 8:
            return
        headers = list(response.headers.items())
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic(), response.status_code, content, headers)
            self._size += len(content)
            while self._size > self.max_bytes and self._entries:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def _drop(self, key: Hashable) -> None:
        _, _, content, _ = self._entries.pop(key)
        self._size -= len(content)


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
