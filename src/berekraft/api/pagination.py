"""Pages of a listing: ``limit`` rows from ``cursor`` on, and the cursor of the next page.

Every listing is in a stable order with a unique last key (selectors order by it), so walking the
cursors visits every row once. The cursor is opaque to clients: base64 of the position in that
order. A row written between two requests may shift the rest by one (as with any position-based
page); a client that needs a snapshot reads with ``If-None-Match`` and starts again on a change.
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


def decode(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= 10**12:
            raise ValueError(offset)
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise ApiError(
            400,
            "the cursor is not one this API gave out",
            where="cursor",
            fix="Use the 'next' of a page.",
        ) from None
    return offset


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
