"""Pages of a listing: ``limit`` rows from ``cursor`` on, and the cursor of the next page.

Every listing is in a stable order with a unique last key (selectors order by it), so walking the
cursors visits every row once. The cursor is opaque to clients: base64 of the position in that
order — for most listings the number of rows before it (a row written between two requests may
shift the rest by one, as with any position-based page; a client that needs a snapshot reads with
``If-None-Match`` and starts again on a change); for the public listing of values, the largest of
all, the sort key of the last row given (``paginate_keyset``), so that a page deep in a million
values costs what the first does and nothing written meanwhile repeats or skips a row. A cursor
of either kind is accepted by both.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from pydantic import BaseModel

from berekraft.api.errors import ApiError

T = TypeVar("T")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None  # the cursor of the next page; null on the last


def encode(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def encode_key(key: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": list(key)}).encode()).decode().rstrip("=")


def _bad_cursor() -> ApiError:
    return ApiError(
        400, "the cursor is not one this API gave out", where="cursor", fix="Use the 'next' of a page."
    )


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**12


def decode_position(cursor: str | None, key_types: Sequence[type] = ()) -> tuple[int, list[Any] | None]:
    """The position a cursor names: (rows before it, None), or (0, the sort key of the last row
    given), the key checked against ``key_types`` (numbers within bounds, short text) so that
    only well-formed values reach the SQL."""
    if not cursor:
        return 0, None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, dict):
            raise ValueError(data)
        if "k" in data and key_types:
            key = data["k"]
            if not isinstance(key, list) or len(key) != len(key_types):
                raise ValueError(key)
            for value, kind in zip(key, key_types, strict=True):
                if not (_number(value) if kind is int else isinstance(value, str) and len(value) <= 50):
                    raise ValueError(value)
            return 0, key
        offset = data["o"]
        if not _number(offset):
            raise ValueError(offset)
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None
    return offset, None


def decode(cursor: str | None) -> int:
    return decode_position(cursor)[0]


def paginate(
    rows: QuerySet[Any, Any] | Sequence[Any], *, limit: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """The page of ``rows`` at ``cursor`` and the next cursor (one extra row is read to know)."""
    return paginate_read(lambda start, count: rows[start : start + count], limit=limit, cursor=cursor)


def paginate_read(
    read: Callable[[int, int], Iterable[T]], *, limit: int, cursor: str | None
) -> tuple[list[T], str | None]:
    """As ``paginate``, from ``read(offset, count)``: a selector that reads a page itself."""
    start = decode(cursor)
    chunk = list(read(start, limit + 1))
    more = len(chunk) > limit
    return chunk[:limit], encode(start + limit) if more else None


def paginate_keyset(
    read: Callable[[int, list[Any] | None, int], Iterable[T]],
    key: Callable[[T], list[Any]],
    *,
    key_types: Sequence[type],
    limit: int,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    """As ``paginate_read``, from ``read(offset, after, count)``, with the next cursor holding the
    sort key of the page's last row (``key``); an offset cursor (of an older page) still works."""
    start, after = decode_position(cursor, key_types)
    chunk = list(read(start, after, limit + 1))
    more = len(chunk) > limit
    page = chunk[:limit]
    return page, encode_key(key(page[-1])) if more and page else None
