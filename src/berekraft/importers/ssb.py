"""Fetch Statistics Norway (SSB) tables online through PxWebApi v2, politely.

* Limits come from ``GET /config`` (``maxDataCells``, ``maxCallsPerTimeWindow``, ``timeWindow``).
  SSB now reports 0 for the call limit there and announces it in ``x-ratelimit-policy`` headers
  (``40;w=60``); 0 does not mean «no limit», so we then keep SSB's documented 30 calls per 60 s
  until a header tells us otherwise.
* A selection is resolved against the table's metadata and split into requests under the cell
  limit (ssb_selection.py); the parts are merged back into one JSON-stat dataset.
* Calls are paced within the calls-per-window limit; 429, 5xx and timeouts are retried with
  exponential backoff (bounded), honouring ``Retry-After``; any other 4xx is an InputError that
  quotes SSB's own message (``title``/``detail``).

The caller passes an ``httpx.Client`` (tests pass one over ``httpx.MockTransport``), and may pass
``clock``/``sleep`` so that pacing and backoff can be tested without waiting.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import polars as pl

from berekraft.core.jsonstat import Dataset, JsonStatError, read_dataset
from berekraft.core.problems import Problem, gettext_noop
from berekraft.errors import InputError
from berekraft.importers.ssb_mapping import MappingEntry, Population, map_dataset, population_from
from berekraft.importers.ssb_selection import SelectionError, merge, plan, resolve

BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
DEFAULT_CALLS, DEFAULT_WINDOW = 30, 60.0  # SSB's user guide: 30 requests per 60 s per IP address
DEFAULT_MAX_CELLS = 800_000
ATTEMPTS, BACKOFF, BACKOFF_MAX = 5, 1.0, 60.0
_POLICY = re.compile(r"(\d+)\s*;\s*w=(\d+)")


@dataclass(frozen=True, slots=True)
class ApiConfig:
    max_cells: int
    max_calls: int
    window: float


def _error(message: str, hint: str = "", params: tuple[tuple[str, object], ...] = ()) -> InputError:
    """An InputError about SSB; ``message`` and ``hint`` are gettext_noop templates filled from ``params``."""
    return InputError([Problem(message, file="SSB", hint=hint, params=params)], summary="SSB fetch failed")


class Pacer:
    """At most ``max_calls`` calls within any ``window`` seconds (a sliding window)."""

    def __init__(
        self, max_calls: int, window: float, clock: Callable[[], float], sleep: Callable[[float], None]
    ):
        self.max_calls, self.window, self.clock, self.sleep = max_calls, window, clock, sleep
        self.calls: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.calls and self.calls[0] <= now - self.window:
            self.calls.popleft()
        if len(self.calls) >= self.max_calls:
            self.sleep(self.calls[0] + self.window - now)
            self.calls.popleft()
        self.calls.append(self.clock())


class SsbApi:
    """One session against PxWebApi v2: config, pacing and retries shared by every call."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        base_url: str = BASE_URL,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client, self.base_url, self.sleep = client, base_url.rstrip("/"), sleep
        self.pacer = Pacer(DEFAULT_CALLS, DEFAULT_WINDOW, clock, sleep)
        self._config: ApiConfig | None = None

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """JSON of a paced, retried request; InputError for what SSB refuses or never answers."""
        details: tuple[tuple[str, object], ...]  # the values of the last failure's message template
        problem, details = "", ()
        for attempt in range(ATTEMPTS):
            self.pacer.wait()
            try:
                response = self.client.request(method, f"{self.base_url}{path}", **kwargs)
            except httpx.TimeoutException:
                problem, details = gettext_noop("SSB timed out after %(attempts)s tries (%(path)s)"), ()
            except httpx.TransportError as exc:
                problem = gettext_noop(
                    "SSB could not be reached (%(error)s) after %(attempts)s tries (%(path)s)"
                )
                details = (("error", type(exc).__name__),)
            else:
                self._adopt_policy(response.headers.get("x-ratelimit-policy", ""))
                if response.status_code < 300:
                    try:
                        return response.json()
                    except ValueError:
                        raise _error(
                            gettext_noop("SSB answered %(path)s with something that is not JSON"),
                            params=(("path", path),),
                        ) from None
                if response.status_code != 429 and response.status_code < 500:
                    status = response.status_code
                    raise _error(
                        gettext_noop("SSB refused the request for %(path)s (HTTP %(status)s): %(reason)s"),
                        gettext_noop(
                            "Check the table id and the variable and value codes against the table's metadata"
                        ),
                        params=(("path", path), ("status", status), ("reason", _message(response))),
                    )
                problem = gettext_noop(
                    "SSB answered HTTP %(status)s: %(reason)s after %(attempts)s tries (%(path)s)"
                )
                details = (("status", response.status_code), ("reason", _message(response)))
                if attempt < ATTEMPTS - 1:
                    self.sleep(_retry_after(response) or min(BACKOFF * 2**attempt, BACKOFF_MAX))
                continue
            if attempt < ATTEMPTS - 1:
                self.sleep(min(BACKOFF * 2**attempt, BACKOFF_MAX))
        raise _error(
            problem,
            gettext_noop("Try again later"),
            params=(*details, ("attempts", ATTEMPTS), ("path", path)),
        )

    def _adopt_policy(self, header: str) -> None:
        found = _POLICY.search(header)
        if found and int(found.group(1)) > 0:
            self.pacer.max_calls, self.pacer.window = int(found.group(1)), float(found.group(2))

    def config(self) -> ApiConfig:
        if self._config is None:
            raw = self.call("GET", "/config")
            calls, window = int(raw.get("maxCallsPerTimeWindow") or 0), float(raw.get("timeWindow") or 0)
            if calls > 0 and window > 0:
                self.pacer.max_calls, self.pacer.window = calls, window
            # else: keep the documented default, or what an x-ratelimit-policy header has said
            self._config = ApiConfig(
                int(raw.get("maxDataCells") or DEFAULT_MAX_CELLS), self.pacer.max_calls, self.pacer.window
            )
        return self._config

    def fetch_table(
        self, table_id: str, selection: Mapping[str, Sequence[str]], lang: str = "no"
    ) -> dict[str, Any]:
        config = self.config()
        meta = self.call(
            "GET", f"/tables/{table_id}/metadata", params={"lang": lang, "outputFormat": "json-stat2"}
        )
        try:
            dataset = read_dataset(meta, values=False)
            resolved = {v: resolve(v, _codes(dataset, v), list(e)) for v, e in selection.items()}
        except (JsonStatError, SelectionError) as exc:
            raise _error(
                gettext_noop("table %(table)s: %(error)s"),
                gettext_noop("Compare the selection with the table's metadata"),
                params=(("table", table_id), ("error", str(exc))),
            ) from None
        for d in dataset.dimensions:
            eliminable = (meta["dimension"][d.id].get("extension") or {}).get("elimination", True)
            if d.id not in resolved and not eliminable:
                raise _error(
                    gettext_noop(
                        "table %(table)s: the variable %(variable)s must be selected (it cannot be left out)"
                    ),
                    params=(("table", table_id), ("variable", d.id)),
                )
        order = [d.id for d in dataset.dimensions if d.id in resolved]
        try:
            requests = plan({v: resolved[v] for v in order}, config.max_cells)
        except SelectionError as exc:
            raise _error(
                gettext_noop("table %(table)s: %(error)s"), params=(("table", table_id), ("error", str(exc)))
            ) from None
        parts = [
            self.call(
                "POST",
                f"/tables/{table_id}/data",
                params={"lang": lang, "outputFormat": "json-stat2"},
                json={"selection": [{"variableCode": v, "valueCodes": codes} for v, codes in part.items()]},
            )
            for part in requests
        ]
        try:
            return merge(parts)
        except (JsonStatError, KeyError, TypeError) as exc:
            raise _error(
                gettext_noop("table %(table)s: SSB's answer is not a JSON-stat dataset (%(error)s)"),
                params=(("table", table_id), ("error", str(exc))),
            ) from None


def _codes(dataset: Dataset, variable: str) -> list[str]:
    dimension = dataset.dimension(variable)
    if dimension is None:
        raise SelectionError(f"no variable {variable!r} (it has {', '.join(dataset.ids)})")
    return list(dimension.codes)


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if isinstance(body, Mapping):
        parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
        return " — ".join(dict.fromkeys(parts)) or str(body)[:200]
    return str(body)[:200]


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return min(float(response.headers.get("retry-after", "")), BACKOFF_MAX * 2)
    except ValueError:
        return None


def fetch_table(
    table_id: str,
    *,
    selection: Mapping[str, Sequence[str]],
    client: httpx.Client,
    lang: str = "no",
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """One JSON-stat2 dataset for ``selection`` (variable → codes or expressions such as
    ``top(3)``), fetched in as many paced requests as the cell limit needs."""
    return SsbApi(client, clock=clock, sleep=sleep).fetch_table(table_id, selection, lang)


def mapped_selection(
    entries: Sequence[MappingEntry], years: Sequence[int | str] | None
) -> dict[str, list[str]]:
    """What to ask SSB for to serve ``entries`` of one table: their ContentsCodes; a dimension's
    codes when every entry filters it, else all (``*``); the years, or the latest (``top(1)``)."""
    selection: dict[str, list[str]] = {"ContentsCode": sorted({e.contents for e in entries})}
    dimensions = {d for e in entries for d in (*e.filters, *e.sum_over, *e.numerator, *e.denominator)}
    for dimension in sorted(dimensions):
        if all(dimension in e.filters for e in entries):
            selection[dimension] = sorted({c for e in entries for c in e.filters[dimension]})
        else:
            selection[dimension] = ["*"]
    selection["Region"] = ["*"]
    selection["Tid"] = [str(y) for y in years] if years else ["top(1)"]
    return selection


def fetch_mapped(
    table_id: str,
    mapping: Sequence[MappingEntry],
    years: Sequence[int | str] | None,
    client: httpx.Client,
    *,
    population: Population | None = None,
    lang: str = "no",
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> pl.DataFrame:
    """Fetch an SSB table and map it to U4SSC series (an ImportTable). A ``per_100k`` entry without
    ``population`` fetches it from the mapping's best population table for the same years."""
    entries = [e for e in mapping if e.table == table_id]
    if not any(e.series for e in entries):
        known = ", ".join(sorted({e.table for e in mapping if e.series}))
        raise _error(
            gettext_noop("table %(table)s is not mapped to any U4SSC series"),
            gettext_noop("Mapped tables: %(tables)s"),
            params=(("table", table_id), ("tables", known)),
        )
    api = SsbApi(client, clock=clock, sleep=sleep)
    dataset = read_dataset(api.fetch_table(table_id, mapped_selection(entries, years), lang))
    source = "gitt ved import"
    if (
        population is None
        and any(e.method == "per_100k" for e in entries)
        and not population_from(dataset, entries)
    ):
        rank = {"high": 0, "medium": 1}
        providers = sorted(
            (e for e in mapping if e.provides == "population"), key=lambda e: rank.get(e.confidence, 2)
        )
        if providers:
            provider = providers[0]
            people = read_dataset(api.fetch_table(provider.table, mapped_selection([provider], years), lang))
            population, source = population_from(people, [provider]), f"SSB, tabell {provider.table}"
    frame, skipped = map_dataset(dataset, mapping, population=population, population_source=source)
    if frame.height == 0:
        raise _error(
            gettext_noop("no values could be taken from table %(table)s: %(reason)s")
            if skipped
            else gettext_noop("no values could be taken from table %(table)s: no numbers"),
            params=(("table", table_id), ("reason", "; ".join(skipped))),
        )
    return frame
