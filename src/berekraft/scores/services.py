"""Recompute and store every score. Called after data changes (load, import, edit), never on a
page request: pages read what this wrote."""

from __future__ import annotations

import math
import time
from typing import Any

import polars as pl
from django.db import transaction

from berekraft.catalogue.models import Series, Target
from berekraft.core.catalogue import TARGET_SCHEMA, load_catalogue
from berekraft.core.engine import Scores, score
from berekraft.observations.models import Observation
from berekraft.places.models import Membership, Place
from berekraft.scores.models import AggregateScore, ScoreRun, SeriesScore


def _targets_frame(place_codes: dict[int, str], series_codes: dict[int, str]) -> pl.DataFrame:
    rows = [
        {
            "series": series_codes[t.series_id],
            "place": place_codes.get(t.place_id) if t.place_id else None,
            "target": t.value,
            "target_lower": t.lower,
            "target_upper": t.upper,
            "baseline": t.baseline,
            "target_year": t.year,
            "target_scope": t.scope,
        }
        for t in Target.objects.all()
    ]
    return pl.DataFrame(rows, schema=TARGET_SCHEMA)


def _clean(value: Any, text: bool = False) -> Any:
    """A polars value as the database wants it: no NaN/inf; empty text rather than NULL."""
    if value is None:
        return "" if text else None
    return None if isinstance(value, float) and not math.isfinite(value) else value


def compute() -> Scores:
    """Score every observation in the database (no writes)."""
    place_codes = dict(Place.objects.values_list("id", "code"))
    series_codes = dict(Series.objects.values_list("id", "code"))
    # Scores are of published (verified) values: a value under revision keeps its published score.
    rows = Observation.objects.filter(published_value__isnull=False).values_list(
        "place_id", "series_id", "year", "published_value"
    )
    observations = pl.DataFrame(
        [(place_codes[p], series_codes[s], y, v) for p, s, y, v in rows],
        schema={"place": pl.String, "series": pl.String, "year": pl.Int64, "value": pl.Float64},
        orient="row",
    )
    peers = sorted({place_codes[p] for p in Membership.objects.values_list("place_id", flat=True)})
    return score(
        observations, load_catalogue(), targets=_targets_frame(place_codes, series_codes), peers=peers
    )


def _fields(model: type[SeriesScore] | type[AggregateScore], skip: tuple[str, ...]) -> dict[str, bool]:
    """Field name → whether it holds text."""
    return {
        f.name: f.get_internal_type() == "CharField"
        for f in model._meta.concrete_fields
        if f.name not in skip
    }


SERIES_FIELDS = _fields(SeriesScore, ("id", "place", "series"))
AGGREGATE_FIELDS = _fields(AggregateScore, ("id", "place"))


@transaction.atomic
def scores_recompute() -> ScoreRun:
    """Replace all stored scores with freshly computed ones, in one transaction."""
    started = time.perf_counter()
    result = compute()
    place_ids = {code: pk for pk, code in Place.objects.values_list("id", "code")}
    series_ids = {code: pk for pk, code in Series.objects.values_list("id", "code")}
    SeriesScore.objects.all().delete()
    AggregateScore.objects.all().delete()
    series_rows = [
        SeriesScore(
            place_id=place_ids[r["place"]],
            series_id=series_ids[r["series"]],
            **{f: _clean(r[f], text) for f, text in SERIES_FIELDS.items()},
        )
        for r in result.series.iter_rows(named=True)
    ]
    SeriesScore.objects.bulk_create(series_rows, batch_size=2000)
    aggregate_rows = [
        AggregateScore(
            place_id=place_ids[r["place"]], **{f: _clean(r[f], t) for f, t in AGGREGATE_FIELDS.items()}
        )
        for r in result.aggregates.iter_rows(named=True)
    ]
    AggregateScore.objects.bulk_create(aggregate_rows, batch_size=2000)
    return ScoreRun.objects.create(
        observations=result.series.height,
        series_scores=len(series_rows),
        aggregate_scores=len(aggregate_rows),
        seconds=round(time.perf_counter() - started, 3),
    )
