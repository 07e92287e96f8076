"""Reports made on request for a download (the site's buttons and the API): made once per member,
year, language and format, and kept in Django's cache until the next score run or register
change. The site and the API read the same cache entry, so both hand out the same bytes (a report
made twice would differ in its creation date).

The key holds the latest score run and register change (web/runs.py): a report shows scores and
published projects, and a new run or change makes every report new without clearing anything.

Readers ask for the same report at once (a newsletter's link, the site's button and a script on
the API): under a threaded server each of them would find no report and make it, N times the CPU
of one report (a snapshot 0.3 s, a VLR draft 2 s: bench/reports.py), and, straddling a second,
hand out different bytes. So within a process one thread makes a report while the others wait
for it, and across processes the first report stored is the one everybody gets.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache

from berekraft.web import runs
from berekraft.web.selectors.common import DEFAULT_NETWORK

# Reports of older score runs are never asked for again; the cache lets them go after this long.
KEEP_SECONDS = 7 * 24 * 3600

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Report:
    """A made report: its bytes and what to call it."""

    content: bytes
    filename: str
    content_type: str


# Locks by the key's hash: a report being made holds its key's lock, and a reader of the same report
# waits on it. A fixed set rather than one per key, which would grow with every score run; two
# reports that share a lock are made one after the other, which is rare with 64 and costs only time.
_MAKING = tuple(threading.Lock() for _ in range(64))


def _making(key: str) -> threading.Lock:
    return _MAKING[zlib.crc32(key.encode()) % len(_MAKING)]


def report_key(kind: str, code: str, year: int, lang: str) -> str:
    run = runs.latest()
    state = "-".join(str(i) for i in run[0]) if run else "0"
    return f"report:{state}:{kind}:{code}:{year}:{lang}"


def _kept(kind: str, code: str, year: int, lang: str, fmt: str, make: Callable[[datetime], bytes]) -> Report:
    """The cached report, or ``make(now)`` kept for the next caller. ``make`` raises NotFoundError
    for a member or year without a report; nothing is kept then. One thread of a process makes a
    report, the others asking for it meanwhile wait and read what it made; a report made at the
    same time by another process is not overwritten (``add``): the one stored first is handed out."""
    key = report_key(kind, code, year, lang)
    content = cache.get(key)
    if content is None:
        with _making(key):
            content = cache.get(key)  # made while this thread waited
            if content is None:
                content = make(datetime.now(UTC).replace(microsecond=0))
                if not cache.add(key, content, KEEP_SECONDS):
                    stored = cache.get(key)
                    content = content if stored is None else stored
    return Report(content, f"berekraft-{kind}-{code}-{year}-{lang}.{fmt}", CONTENT_TYPES[fmt])


def snapshot(*, code: str, year: int, lang: str) -> Report:
    """Member ``code``'s city snapshot (PDF)."""
    from berekraft.reports.snapshot import snapshot_pdf

    return _kept(
        "snapshot",
        code,
        year,
        lang,
        "pdf",
        lambda created: snapshot_pdf(code=code, year=year, language=lang, created=created),
    )


def vlr(*, code: str, year: int, lang: str) -> Report:
    """Member ``code``'s Voluntary Local Review draft (DOCX)."""
    from berekraft.reports.vlr import vlr_docx

    return _kept(
        "vlr",
        code,
        year,
        lang,
        "docx",
        lambda created: vlr_docx(code=code, year=year, language=lang, created=created),
    )


def network(*, year: int, lang: str) -> Report:
    """The network report (PDF)."""
    from berekraft.reports.network import network_pdf

    return _kept(
        "network",
        DEFAULT_NETWORK,
        year,
        lang,
        "pdf",
        lambda created: network_pdf(year=year, language=lang, created=created),
    )
