"""Recompute and store every score. Called after data changes (load, import, edit), never on a
page request: pages read what this wrote."""

from __future__ import annotations

import time

import polars as pl
from django.db import transaction

from berekraft.bulk import insert_rows
from berekraft.catalogue.local import local_catalogue
from berekraft.catalogue.models import Series, Target
from berekraft.core.catalogue import TARGET_SCHEMA, load_catalogue
from berekraft.core.engine import Scores, score
from berekraft.core.local import score_local
from berekraft.core.local import series_meta as local_series_meta
from berekraft.observations.models import Observation
from berekraft.observations.services import data_version_read
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


def compute() -> Scores:
    """Score every observation in the database (no writes).

    U4SSC series go through every lens and every aggregate. Members' local series are scored in a
    run of their own (``core.local.score_local``: same lenses, no peers, no aggregates), so no
    U4SSC-comparable score depends on them; their rows are appended to ``series``."""
    place_codes = dict(Place.objects.values_list("id", "code"))
    series_codes = dict(Series.objects.values_list("id", "code"))
    local = {code: (direction, goals) for code, (_o, _n, _u, direction, goals) in local_catalogue().items()}
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
    targets = _targets_frame(place_codes, series_codes)
    is_local = pl.col("series").is_in(list(local))
    u4ssc = score(observations.filter(~is_local), load_catalogue(), targets=targets, peers=peers)
    if not local:
        return u4ssc
    local_scores = score_local(observations.filter(is_local), local_series_meta(local), targets)
    return Scores(
        series=pl.concat([u4ssc.series, local_scores], how="diagonal_relaxed"), aggregates=u4ssc.aggregates
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


def _rows(frame: pl.DataFrame, fields: dict[str, bool], ids: dict[str, dict[str, int]]) -> pl.DataFrame:
    """The frame as the table wants it: codes → ids, no NaN or inf, empty text rather than NULL."""
    columns = [
        pl.col(key).replace_strict(mapping, return_dtype=pl.Int64).alias(f"{key}_id")
        for key, mapping in ids.items()
    ]
    for name, text in fields.items():
        column = pl.col(name)
        if text:
            columns.append(column.cast(pl.String).fill_null(""))
        elif frame.schema[name].is_float():
            columns.append(pl.when(column.is_finite()).then(column).alias(name))
        else:
            columns.append(column)
    return frame.select(columns)


@transaction.atomic
def scores_recompute() -> ScoreRun:
    """Replace all stored scores with freshly computed ones, in one transaction.

    The data version is locked first and recorded on the run: published values and targets do not
    change while the run reads them, and a run that never finished leaves the last recorded
    version behind the data's (``scores.selectors.scores_are_current``)."""
    started = time.perf_counter()
    version = data_version_read(lock=True)
    result = compute()
    places = {code: pk for pk, code in Place.objects.values_list("id", "code")}
    series = {code: pk for pk, code in Series.objects.values_list("id", "code")}
    SeriesScore.objects.all().delete()
    AggregateScore.objects.all().delete()
    series_rows = _rows(result.series, SERIES_FIELDS, {"place": places, "series": series})
    aggregate_rows = _rows(result.aggregates, AGGREGATE_FIELDS, {"place": places})
    insert_rows(SeriesScore, series_rows.columns, series_rows.iter_rows())
    insert_rows(AggregateScore, aggregate_rows.columns, aggregate_rows.iter_rows())
    return ScoreRun.objects.create(
        observations=result.series.height,
        series_scores=series_rows.height,
        aggregate_scores=aggregate_rows.height,
        seconds=round(time.perf_counter() - started, 3),
        data_version=version,
    )


def scores_recompute_if_stale() -> ScoreRun | None:
    """Recompute if the stored scores are not of the current data (a score run was killed after
    its data committed, or a target changed); None if they are current."""
    from berekraft.scores.selectors import scores_are_current

    return None if scores_are_current() else scores_recompute()
