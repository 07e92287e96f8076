"""The whole network's downloads — the download-all zip (a Frictionless data package), the national
JSON-stat, SDMX-CSV and Open SDG files and the DCAT catalogue — kept as files (web/downloads.py),
and made ready by the background worker after each score run, so that no reader waits for one.

At 357 members × 30 years each of them took 14-38 s to make (the zip, 40 MB from 2.7 M rows, the
longest), once per score run and data state: the first reader after a run waited that long, and
the others asking meanwhile waited for the same making. Now the worker makes them
(``web/tasks.py``, a task of its own that the score run's task asks for when it succeeds; pages
never wait for it) and the reader finds the file.

One table, ``FILES``, says for each file how it is made (``write``: a plain function of the
language, the site's address, the latest score run and the members, run with that language
active), what its
content depends on (the variant: the language; the site's address for the files that link to the
site: the Open SDG files and the catalogue) and how it is sent. The views (web/views/misc.py,
web/views/opendata.py) and the worker's ``prepare`` go through the same ``write``, ``state`` and
``variant`` and the same ``downloads.kept``: a prepared file is the one the view would have made,
byte for byte (tests/db/test_prepared_downloads.py), under the name the view looks for.

What is prepared: the download-all zip in every site language (``ALWAYS``), and of the other files
(``WANTED``) each language and site address a reader asked for and had to wait for (the worker
cannot know the site's address, which a request's Host header and scheme give: ``downloads.want``
notes the newest ``downloads.MOST_WANTED``). A file no reader has asked for since the site started
is made on its first request, as before, and prepared after each run from then on.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import IO, Any, cast

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from rdflib import Graph

from berekraft.opendata import dcat, jsonstat, opensdg, sdmx
from berekraft.opendata.datapackage import write_package
from berekraft.opendata.rows import Published, Value
from berekraft.web import constants, downloads, runs
from berekraft.web.selectors import common
from berekraft.web.selectors.export import export_resources
from berekraft.web.selectors.indicators import indicator_entries
from berekraft.web.selectors.published import published, values_resource
from berekraft.web.tables import DEMO_NOTE, LICENCE

log = logging.getLogger(__name__)

ALWAYS, WANTED = "always", "wanted"


@dataclass(frozen=True)
class Inputs:
    """What a file is made of besides the database: the language (active while it is made), the
    site's root address (``https://example.org/``; "" for a file that does not hold it), the
    latest score run and register change (web/runs.py) and the network's members."""

    language: str
    site: str
    run: runs.State
    members: list[common.Member]

    @classmethod
    def of(cls, *, language: str, site: str, run: runs.State) -> Inputs:
        """With the network's members as the pages have them (kept per score run)."""
        return cls(language=language, site=site, run=run, members=constants.network()[1])


# Open-data format (as in the URL) → (media type, writer of published values in a language).
WRITERS: dict[str, tuple[str, Callable[[Published, str], bytes]]] = {
    "json-stat.json": (
        "application/json; charset=utf-8",
        lambda p, lang: json.dumps(jsonstat.dataset(p, language=lang), ensure_ascii=False).encode("utf-8"),
    ),
    "sdmx.csv": (sdmx.MEDIA_TYPE, lambda p, lang: sdmx.data_csv(p).encode("utf-8")),
    "open-sdg.zip": ("application/zip", lambda p, lang: opensdg.repository_zip(p)),
}


def _datapackage(out: IO[bytes], inputs: Inputs) -> None:
    """The download-all zip: members, series, targets, series and aggregate scores and the
    published values as tidy CSV with ``datapackage.json``."""
    members = inputs.members
    demo = constants.has_demo_data(members)
    catalogue = constants.catalogue()
    resources = [
        *export_resources(catalogue=catalogue, members=members),
        values_resource(catalogue=catalogue, members=members),
    ]
    notes = [LICENCE, *([DEMO_NOTE] if demo else [])]
    title = "berekraft: all data of the network"
    write_package(
        out,
        resources,
        title=title,
        licence_url=settings.DATA_LICENCE,
        notes=notes,
        modified=inputs.run[1] if inputs.run else None,
    )


def _everything(fmt: str) -> Callable[[IO[bytes], Inputs], None]:
    """The writer of every published value of the network in the open-data format ``fmt``."""

    def write(out: IO[bytes], inputs: Inputs) -> None:
        data = published(
            catalogue=common.catalogue(language=inputs.language),
            members=inputs.members,
            title=_("Published values of the network's members"),
            site=inputs.site,
            run=inputs.run,
        )
        out.write(WRITERS[fmt][1](data, inputs.language))

    return write


def _absolute(site: str, path: str) -> str:
    """``path`` (from the root) at ``site``, as ``request.build_absolute_uri(path)`` writes it."""
    return iri_to_uri(site.removesuffix("/") + path)


def catalogue_graph(inputs: Inputs) -> Graph:
    """The DCAT-AP-NO catalogue: the network's dataset and one per KPI, with their distributions
    at the site's address."""
    lang, site = inputs.language, inputs.site
    catalogue = common.catalogue(language=lang)
    everything = published(catalogue=catalogue, members=inputs.members, title="", site=site, run=inputs.run)

    def distributions(path: str) -> list[dcat.Distribution]:
        url = _absolute(site, path)
        return [
            dcat.Distribution(
                f"{url}.json-stat.json",
                "JSON-stat 2.0",
                "application/json",
                "JSON",
                "https://json-stat.org/format/",
            ),
            dcat.Distribution(
                f"{url}.sdmx.csv", "SDMX-CSV 2.0", "text/csv", "CSV", "https://github.com/sdmx-twg/sdmx-csv"
            ),
            dcat.Distribution(
                f"{url}.open-sdg.zip", "Open SDG", "application/zip", "ZIP", "https://open-sdg.org/"
            ),
        ]

    entries = [
        dcat.DatasetEntry(
            identifier=site + "datasets/berekraft-data",
            title=_("Sustainability indicators of the network's members (U4SSC)"),
            description=_(
                "Published values of the U4SSC key performance indicators for the members of the "
                "network, by member, indicator and year, with targets and scores."
            ),
            landing_page=site,
            dimensions=("EC", "EN", "SC"),
            keywords=("U4SSC", "SDG", "bærekraft"),
            distributions=[
                dcat.Distribution(
                    _absolute(site, reverse("download_all")),
                    "Frictionless Data Package",
                    "application/zip",
                    "ZIP",
                    "https://specs.frictionlessdata.io/data-package/",
                ),
                *distributions("/download/berekraft-data"),
            ],
            published=everything,
        )
    ]
    by_series: dict[str, list[Value]] = {}
    for v in everything.values:
        by_series.setdefault(v.series, []).append(v)
    for entry in indicator_entries(catalogue):
        codes = [s.code for s in entry.series]
        sliced = Published(
            title=entry.name,
            series=[s for s in everything.series if s.code in codes],
            places=everything.places,
            values=[v for code in codes for v in by_series.get(code, [])],
            demo=everything.demo,
            licence_url=everything.licence_url,
            licence_note=everything.licence_note,
            updated=everything.updated,
            site=site,
        )
        entries.append(
            dcat.DatasetEntry(
                identifier=site + f"datasets/kpis/{entry.slug}",
                title=f"{entry.indicator.code} {entry.name}",
                description=str(
                    getattr(entry.indicator, f"definition_{lang}", "") or entry.indicator.definition_en
                )
                or entry.name,
                landing_page=_absolute(site, reverse("kpi", args=[entry.slug])),
                dimensions=(entry.dimension,),
                keywords=("U4SSC", entry.indicator.code, *(f"SDG {g}" for g in entry.goals)),
                distributions=distributions(f"/download/kpis/{entry.slug}"),
                published=sliced,
            )
        )
    return dcat.catalogue_graph(
        base=site,
        title=_("berekraft: open data of the network"),
        description=_("Datasets published by the network on its berekraft site."),
        language=lang,
        entries=entries,
    )


def _turtle(out: IO[bytes], inputs: Inputs) -> None:
    out.write(catalogue_graph(inputs).serialize(format="turtle").encode("utf-8"))


def _jsonld(out: IO[bytes], inputs: Inputs) -> None:
    out.write(dcat.jsonld(catalogue_graph(inputs)).encode("utf-8"))


@dataclass(frozen=True)
class NetworkFile:
    """A download of the whole network's data, kept as a file per data state and variant."""

    content_type: str
    write: Callable[[IO[bytes], Inputs], object]
    prepared: str  # ALWAYS: in every language after each run; WANTED: what readers asked for
    by_site: bool = False  # it holds the site's address: a file per address
    attachment: bool = True  # else sent as the page itself (the catalogue)
    cors: bool = True


FILES: dict[str, NetworkFile] = {
    "berekraft-data.zip": NetworkFile("application/zip", _datapackage, ALWAYS, cors=False),
    **{
        f"berekraft-data.{fmt}": NetworkFile(
            media_type, _everything(fmt), WANTED, by_site=fmt == "open-sdg.zip"
        )
        for fmt, (media_type, _writer) in WRITERS.items()
    },
    "catalog.ttl": NetworkFile("text/turtle; charset=utf-8", _turtle, WANTED, by_site=True, attachment=False),
    "catalog.jsonld": NetworkFile(
        "application/ld+json; charset=utf-8", _jsonld, WANTED, by_site=True, attachment=False
    ),
}


def state(inputs: Inputs) -> str:
    """The data state a file is made of (``downloads.data_state``): the run, the data version
    and the membership."""
    return downloads.data_state(inputs.run, inputs.members)


def variant(kind: str, inputs: Inputs) -> str:
    """What else the file's content depends on: the language, and the site's address for a file
    that holds it."""
    return downloads.variant(inputs.language, *([inputs.site] if FILES[kind].by_site else []))


def response(kind: str, inputs: Inputs) -> HttpResponse | FileResponse:
    """The file ``kind`` for a reader: the kept one, or made now (and then noted as wanted, so
    that the worker prepares it after the next runs)."""
    spec = FILES[kind]
    if not spec.by_site:
        inputs = replace(inputs, site="")

    def make(out: IO[bytes]) -> None:
        if spec.prepared == WANTED and settings.PAGE_CACHE_SECONDS:
            try:
                downloads.want(kind, inputs.language, inputs.site)
            except OSError:
                log.exception("could not note that %s was asked for", kind)
        spec.write(out, inputs)

    sent = downloads.response(
        kind,
        state(inputs),
        variant(kind, inputs),
        make,
        content_type=spec.content_type,
        attachment=spec.attachment,
    )
    if spec.cors:
        sent["Access-Control-Allow-Origin"] = "*"
    return sent


def languages() -> list[str]:
    """The site's languages, its default first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return sorted(codes, key=lambda code: code != settings.LANGUAGE_CODE)


def jobs() -> list[tuple[str, str, str]]:
    """(kind, language, site) to prepare, in order: every ALWAYS file in each language (the
    default first), then what readers asked for (``downloads.wanted``, newest first)."""
    codes = languages()
    always = [(kind, code, "") for code in codes for kind, spec in FILES.items() if spec.prepared == ALWAYS]
    asked = [
        (kind, code, site)
        for kind, code, site in downloads.wanted()
        if kind in FILES
        and FILES[kind].prepared == WANTED
        and code in codes
        and (
            site.startswith(("http://", "https://")) and site.endswith("/")
            if FILES[kind].by_site
            else site == ""
        )
    ]
    return list(dict.fromkeys(always + asked))


def superseded(run: runs.State, score_run: int) -> bool:
    """Whether the state of ``score_run`` is no longer the latest: a later run, or a change of the
    published values or targets since (its run will come)."""
    if run is None:
        return True
    latest, _change, read, now = run[0]
    return latest != score_run or read != now


# Set when the worker is asked to stop (SIGTERM from `berekraft serve` as it stops, or a deploy): a
# prepare then stops as it does when superseded, between files and while writing one (the part
# written is dropped), so the worker exits within about a second instead of finishing a zip that
# takes 27 s at 357 members (and `serve` does not kill it after 30 s, leaving its work undone
# anyway). The next worker's start prepares what is missing.
STOPPING = threading.Event()


class PrepareFailed(RuntimeError):
    """Some files could not be made (each logged); the others were."""


class Superseded(Exception):
    """The state a file was being prepared for is no longer the latest: the file is dropped."""


# How often (seconds at most) a prepare that is writing a file asks whether its state is still
# the latest (one query).
WATCH_SECONDS = 1.0


class _Watched:
    """The output of a file being prepared: a write asks (at most every WATCH_SECONDS) whether the
    state is still the latest and stops the making if not (``Superseded``; ``downloads.kept``
    removes the part written). A change committed meanwhile already sends readers to a newer
    state's file (``downloads.data_state`` holds the data version now), and its score run,
    waiting in the same worker, should not wait for the rest of this one (the zip: 27 s at 357
    members). Everything else is the file's own."""

    def __init__(self, out: IO[bytes], still_latest: Callable[[], bool]) -> None:
        self._out = out
        self._still_latest = still_latest
        self._asked = time.monotonic()

    def write(self, data: bytes) -> int:
        now = time.monotonic()
        if now - self._asked >= WATCH_SECONDS:
            self._asked = now
            if not self._still_latest():
                raise Superseded
        return self._out.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


def prepare(*, score_run: int) -> dict[str, Any]:
    """Make the files of ``jobs()`` for the state of ``score_run`` that are not there yet, one at a
    time, as a reader's request would (``downloads.kept``, the same lock: a reader asking meanwhile
    waits for the same making, never makes it twice). Does nothing once the state is superseded
    (asked before each file: a newer run's own prepare makes the newer files). Nothing is kept
    with PAGE_CACHE_SECONDS 0, so nothing is made then. A file that fails is logged and the
    others are made; then PrepareFailed (the task fails; the reader's request makes that file).
    A file being written stops too when its state is superseded meanwhile (``_Watched``)."""
    if not settings.PAGE_CACHE_SECONDS:
        return {"made": [], "found": [], "note": "files are not kept (PAGE_CACHE_SECONDS 0)"}
    made: list[str] = []
    found: list[str] = []
    failed: list[str] = []
    for kind, language, site in jobs():
        if STOPPING.is_set():
            return {"made": made, "found": found, "stopped": True}
        run = _public_state()
        if superseded(run, score_run):
            return {"made": made, "found": found, "superseded": True}
        label = " ".join(x for x in (kind, language, site) if x)
        try:
            fresh = _prepare_one(kind, language, site, run, score_run)
        except Superseded:
            if STOPPING.is_set():
                return {"made": made, "found": found, "stopped": True}
            return {"made": made, "found": found, "superseded": True}
        except Exception:
            log.exception("could not prepare %s for score run %d", label, score_run)
            failed.append(label)
            continue
        (made if fresh else found).append(label)
    if failed:
        raise PrepareFailed(f"not prepared for score run {score_run}: {', '.join(failed)}")
    return {"made": made, "found": found, "superseded": False}


def _public_state() -> runs.State:
    from berekraft.action.selectors import public_state  # (action imports the web's selectors)

    return public_state()


def _prepare_one(kind: str, language: str, site: str, run: runs.State, score_run: int) -> bool:
    """The file ``kind`` for ``run``'s state in ``language`` at ``site`` through ``downloads.kept``,
    as a reader's request gets it; True if it was made now, False if it was there."""
    fresh: list[bool] = []
    with translation.override(language):
        inputs = Inputs.of(language=language, site=site, run=run)

        def write(out: IO[bytes]) -> None:
            fresh.append(True)
            watched = _Watched(
                out, lambda: not STOPPING.is_set() and not superseded(_public_state(), score_run)
            )
            FILES[kind].write(cast(IO[bytes], watched), inputs)

        downloads.kept(kind, state(inputs), variant(kind, inputs), write).close()
    return bool(fresh)
