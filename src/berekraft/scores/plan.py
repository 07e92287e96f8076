"""What a score run must recompute: the series changed since the last run, or everything.

Every change of a published value or a target raises the data version and, in the same
transaction, records which series it touched (``observations.DataChange``). A run reads the data
version V and scores the series recorded for the versions after the last run's, up to V
(``core.partial`` says why that is all a change reaches). It scores everything instead when it
cannot be sure what changed:

- there is no earlier run, or the data version went back (a restore);
- a version in between has no record (a change of unknown reach, or records already pruned);
- a recorded series is no longer in the database;
- the run's *basis* differs from the last run's: what every score depends on besides the values
  and targets of its own series (the U4SSC catalogue, the members' local series, the members
  compared in the peer lens, the place and series codes, the method's code and settings, the
  polars version). A change of membership, of the catalogue or of the method changes it.

A run that reads V while a later change commits may see part of that change; the change's own
record (version > V) makes the next run score its series again, so nothing is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from berekraft.core import aggregation, catalogue, directions, engine, local, partial, scoring
from berekraft.core.scoring import DEFAULT_PARAMS
from berekraft.observations.models import DataChange
from berekraft.scores.models import ScoreRun

# The modules whose code decides a score: a new version of any of them scores everything.
METHOD = (aggregation, catalogue, directions, engine, local, partial, scoring)


@dataclass(frozen=True)
class Plan:
    """A partial run: the ids of the series to score again (every place, every year)."""

    series: frozenset[int]


def basis(
    *,
    series_meta: pl.DataFrame,
    local_series: Mapping[str, Any],
    peers: Collection[str],
    place_codes: Mapping[int, str],
    series_codes: Mapping[int, str],
) -> str:
    """A digest of everything a score depends on besides the values and targets of its series."""
    digest = hashlib.sha256()
    for module in METHOD:
        digest.update(Path(str(module.__file__)).read_bytes())
    parts: list[object] = [
        pl.__version__,
        DEFAULT_PARAMS,
        series_meta.rows(),
        sorted((code, repr(value)) for code, value in local_series.items()),
        sorted(peers),
        sorted(place_codes.items()),
        sorted(series_codes.items()),
    ]
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def plan(*, version: int, basis: str, series_ids: Collection[int]) -> Plan | None:
    """The series to score again for data version ``version``, or None for everything (see the
    module's docstring for when). ``series_ids``: the series in the database now."""
    last = ScoreRun.objects.order_by("-pk").values_list("data_version", "basis").first()
    if last is None or last[1] != basis or version < last[0]:
        return None
    changes = list(
        DataChange.objects.filter(version__gt=last[0], version__lte=version).values_list(
            "version", "series_id"
        )
    )
    if len({v for v, _ in changes}) != version - last[0]:
        return None  # a version without a record
    series = {s for _, s in changes}
    if None in series or not series or not series <= set(series_ids):
        return None
    return Plan(series=frozenset(s for s in series if s is not None))


def prune(version: int) -> None:
    """Forget the records up to ``version``: the run that read it has scored them. Call it in the
    run's transaction (a run that fails keeps them)."""
    DataChange.objects.filter(version__lte=version).delete()
