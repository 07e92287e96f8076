"""Rendered public pages, kept per worker process for a short while.

Public pages change only when a score run finishes (and, for statuses and sources, when data
changes, which is followed by a run). A rendered page is kept under (latest run, language, path
and query, format, htmx or not) for at most PAGE_CACHE_SECONDS — the max-age the pages already
advertise to shared caches — so a hit costs one small query. Logged-in users are never served
from here. Bounded in bytes, least recently used first out.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from django.http import HttpResponse

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


pages = PageCache()
