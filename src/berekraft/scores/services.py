"""Recompute and store every score. Called after data changes (load, import, edit), never on a
page request: pages read what this wrote."""

from __future__ import annotations

import time

import polars as pl
from django.db import transaction

from berekraft.bulk import replace_rows
from berekraft.catalogue.local import local_catalogue
from berekraft.catalogue.models import Series, Target
from berekraft.core.catalogue import TARGET_SCHEMA, load_catalogue
from berekraft.core.engine import Scores
from berekraft.core.local import score_with_local
from berekraft.observations.models import Observation
from berekraft.observations.services import data_version_read
from berekraft.places.models import Membership, Place
from berekraft.scores.latest import latest_write
from berekraft.scores.models import AggregateScore, ScoreRun, SeriesScore
from berekraft.scores.runlock import score_run_lock


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
    return score_with_local(observations, load_catalogue(), local, targets=targets, peers=peers)


def _fields(model: type[SeriesScore] | type[AggregateScore], skip: tuple[str, ...]) -> dict[str, bool]:
    """Field name → whether it holds text."""
    return {
        f.name: f.get_internal_type() == "CharField"
        for f in model._meta.concrete_fields
        if f.name not in skip
    }


SERIES_FIELDS = _fields(SeriesScore, ("id", "place", "series"))
AGGREGATE_FIELDS = _fields(AggregateScore, ("id", "place"))
# The tables' unique keys (one_series_score, one_aggregate_score), as the rows name them.
SERIES_KEY = ("place_id", "series_id", "year")
AGGREGATE_KEY = ("level", "code", "place_id", "year")


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


def scores_recompute() -> ScoreRun:
    """Replace all stored scores with freshly computed ones (call outside a transaction: the
    worker, the command line).

    Runs take the score-run lock (``scores.runlock``), so two never interleave. The data version is
    read first, without a lock, and recorded on the run: every change of a published value or a
    target raises it in its own transaction, so a change that commits while this run reads leaves
    the run's version behind the data's (``scores.selectors.scores_are_current``) and the change's
    own request for a run redoes it. Writers never wait for a run. The scores and their run are
    written in one transaction: a run that dies leaves the previous scores and run, detectably
    stale, never a mixture."""
    with score_run_lock():
        return _recompute()


def _recompute() -> ScoreRun:
    started = time.perf_counter()
    version = data_version_read()
    result = compute()
    places = {code: pk for pk, code in Place.objects.values_list("id", "code")}
    series = {code: pk for pk, code in Series.objects.values_list("id", "code")}
    series_rows = _rows(result.series, SERIES_FIELDS, {"place": places, "series": series})
    aggregate_rows = _rows(result.aggregates, AGGREGATE_FIELDS, {"place": places})
    series_rows = series_rows.sort(SERIES_KEY)
    aggregate_rows = aggregate_rows.sort(AGGREGATE_KEY)
    with transaction.atomic():
        # Only the scores that changed are written (bulk.replace_rows): no bloat from repeated runs.
        replace_rows(SeriesScore, series_rows.columns, series_rows.iter_rows(), key=SERIES_KEY)
        replace_rows(AggregateScore, aggregate_rows.columns, aggregate_rows.iter_rows(), key=AGGREGATE_KEY)
        latest_write(series_rows, aggregate_rows)
        return ScoreRun.objects.create(
            observations=result.series.height,
            series_scores=series_rows.height,
            aggregate_scores=aggregate_rows.height,
            seconds=round(time.perf_counter() - started, 3),
            data_version=version,
        )


def scores_recompute_if_stale() -> ScoreRun | None:
    """Recompute if the stored scores are not of the current data (a change whose run has not
    finished, a run that died, a changed target); None if they are current. A run that would
    change nothing does not start: the check comes before the lock, and again under it (a run
    that held the lock meanwhile may have done the work)."""
    from berekraft.scores.selectors import scores_are_current

    if scores_are_current():
        return None
    with score_run_lock():
        return None if scores_are_current() else _recompute()
