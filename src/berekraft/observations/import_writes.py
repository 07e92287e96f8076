"""What an import writes, planned and written as whole tables (polars frames), not row by row.

A country's file is a million values: as model instances and dicts per row, planning and writing
took minutes and gigabytes. Here the validated rows are joined with the observations already
stored (one query, read as a frame), the plan is three frames (new, changed, every key's version),
and the batch is written by ``bulk.py`` (COPY on PostgreSQL, sorted executemany on SQLite), with
the history rows (and their JSON snapshots) built by polars. Semantics as before (DESIGN.md): an
unchanged value is not written; "not reported" over nothing writes nothing; a changed value is
updated only if its version is still the one planned from (compare-and-set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.bulk import insert_frame, new_ids, read_frame, update_frame
from berekraft.catalogue.models import Series
from berekraft.errors import ConflictError
from berekraft.observations.models import (
    PUBLISHED_FIELDS,
    SNAPSHOT_FIELDS,
    ImportBatch,
    Observation,
    ObservationHistory,
)
from berekraft.observations.services import data_version_bump
from berekraft.places.models import Place

COMPARED = ("value", "numerator", "denominator", "quality", "data_origin", "source", "note")
TEXTS = ("quality", "data_origin", "source", "note")
KEY = ["place_id", "series_id", "year"]
# What is read of a stored observation: its key, version and every field a snapshot holds.
STORED: dict[str, Any] = {
    "id": pl.Int64,
    "place_id": pl.Int64,
    "series_id": pl.Int64,
    "year": pl.Int64,
    "version": pl.Int64,
    **{
        f: pl.Float64 if f in ("value", "numerator", "denominator", "published_value") else pl.String
        for f in SNAPSHOT_FIELDS
    },
}
CHUNK = 100_000  # rows written at a time
col = pl.col


def with_ids(rows: pl.DataFrame) -> pl.DataFrame:
    """Validated rows with ``place_id`` and ``series_id`` (the codes' keys)."""
    places = dict(Place.objects.values_list("code", "id"))
    series = dict(Series.objects.values_list("code", "id"))
    return rows.with_columns(
        col("place")
        .replace_strict(list(places), list(places.values()), default=None, return_dtype=pl.Int64)
        .alias("place_id"),
        col("series")
        .replace_strict(list(series), list(series.values()), default=None, return_dtype=pl.Int64)
        .alias("series_id"),
    )


def _ints(values: pl.Series) -> str:
    return ", ".join(str(int(v)) for v in values.unique().sort().to_list()) or "NULL"


def existing(rows: pl.DataFrame, *, lock: bool) -> pl.DataFrame:
    """The stored observations of the rows' keys (STORED columns, ``_was`` for the fields); with
    ``lock`` held until the transaction ends (FOR UPDATE, in primary-key order so that two writers
    never deadlock; SQLite's write transaction is taken up front, see settings)."""
    table = Observation._meta.db_table
    where = (
        f"place_id IN ({_ints(rows['place_id'])}) AND series_id IN ({_ints(rows['series_id'])}) "
        f"AND year IN ({_ints(rows['year'])})"
    )
    if lock and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} ORDER BY id FOR UPDATE) l"
            )
    found = read_frame(f"SELECT {', '.join(STORED)} FROM {table} WHERE {where}", STORED)
    return found.join(rows.select(KEY), on=KEY, how="semi").rename(
        {f: f"{f}_was" for f in (*SNAPSHOT_FIELDS, "version")}
    )


@dataclass
class Plan:
    new: pl.DataFrame  # rows without a stored value
    changed: pl.DataFrame  # rows whose stored value differs (with its ``_was`` fields and id)
    seen: pl.DataFrame  # (place, series, year, version) of every key read; 0: not there


def plan(rows: pl.DataFrame, stored: pl.DataFrame, *, publish: bool) -> Plan:
    """What writing ``rows`` (``with_ids``) over ``stored`` (``existing``) would do."""
    given = [*KEY, *COMPARED]
    was = ["id", *given, *(f"{f}_was" for f in ("version", *SNAPSHOT_FIELDS))]
    if stored.height == 0:  # a first import: nothing to compare with
        return Plan(
            new=rows.filter(col("value").is_not_null()).select(given),
            changed=pl.concat([rows.clear(), stored.drop(KEY)], how="horizontal").select(was),
            seen=rows.select("place", "series", "year", pl.lit(0, pl.Int64).alias("version")),
        )
    # A join of the keys only, beside the rows (the rows themselves are not copied).
    joined = pl.concat(
        [rows, rows.select(KEY).join(stored, on=KEY, how="left", maintain_order="left").drop(KEY)],
        how="horizontal",
    )
    differs = pl.any_horizontal(col(f).ne_missing(col(f"{f}_was")) for f in COMPARED)
    if publish:
        differs = differs | (col("status_was") != Observation.Status.VERIFIED)
    there = col("id").is_not_null()
    return Plan(
        new=joined.filter(~there & col("value").is_not_null()).select(given),
        changed=joined.filter(there & differs).select(was),
        seen=joined.select("place", "series", "year", col("version_was").fill_null(0).alias("version")),
    )


def _json(*names: str, was: bool = False) -> pl.Expr:
    """A JSON object of the fields ``names`` (from their ``_was`` columns with ``was``), as the
    history's snapshots store them."""
    return pl.struct(*(col(f"{n}_was" if was else n).alias(n) for n in names)).struct.json_encode()


def write(
    report: Any,
    planned: Plan,
    *,
    checksum: str,
    user: User | None,
    member: Place | None,
    publish: bool,
    origin: str,
) -> int:
    """One batch: new observations, changed ones, and a history row for each."""
    batch = ImportBatch.objects.create(
        file_name=report.file_name,
        checksum=checksum,
        reader=report.reader,
        member=member,
        created_by=user,
        rows=report.rows,
        new=report.new,
        changed=report.changed,
        unchanged=report.unchanged,
        warnings=[str(p) for p in report.warnings],
        mapped=report.mapped,
    )
    status = Observation.Status.VERIFIED if publish else Observation.Status.DRAFT
    common = {
        "status": pl.lit(status).alias("status"),
        "origin": pl.lit(origin).alias("origin"),
        "batch": pl.lit(batch.pk, pl.Int64),
        "now": pl.lit(timezone.now()),
        "user": pl.lit(user.pk if user else None, pl.Int64),
    }
    published_now = [
        col("value").alias("published_value"),
        col("source").alias("published_source"),
        col("quality").alias("published_quality"),
        col("data_origin").alias("published_data_origin"),
        common["origin"].alias("published_origin"),
    ]
    unpublished = [
        pl.lit(None, pl.Float64).alias("published_value"),
        *(pl.lit("").alias(f) for f in PUBLISHED_FIELDS[1:]),
    ]
    after = _json(*COMPARED, "status", *PUBLISHED_FIELDS, "origin")
    stamp = [
        common["batch"].alias("batch"),
        common["user"].alias("changed_by"),
        common["now"].alias("changed_at"),
        pl.lit(f"import {batch.pk}").alias("reason"),
    ]
    new = planned.new.sort(KEY)
    new = new.with_columns(new_ids(Observation, new.height).alias("id"), common["status"], common["origin"])
    new = new.with_columns(published_now if publish else unpublished)
    # In slices, so that the history's JSON of a million rows is never in memory at once.
    for chunk in new.iter_slices(CHUNK):
        insert_frame(
            Observation,
            chunk.select(
                "id",
                col("place_id").alias("place"),
                col("series_id").alias("series"),
                "year",
                *COMPARED,
                "status",
                "origin",
                *PUBLISHED_FIELDS,
                pl.lit("").alias("comment"),
                common["batch"].alias("batch"),
                common["user"].alias("updated_by"),
                common["now"].alias("updated_at"),
                pl.lit(1, pl.Int64).alias("version"),
            ),
        )
        insert_frame(
            ObservationHistory,
            chunk.select(
                col("id").alias("observation"),
                pl.lit(1, pl.Int64).alias("version"),
                pl.lit(None, pl.Float64).alias("old_value"),
                col("value").alias("new_value"),
                pl.lit("").alias("old_status"),
                col("status").alias("new_status"),
                pl.lit(None, pl.String).alias("before"),
                after.alias("after"),
                *stamp,
            ),
        )
    changed = planned.changed.sort("id").with_columns(common["status"], common["origin"])
    changed = changed.with_columns(
        *(published_now if publish else [col(f"{f}_was").alias(f) for f in PUBLISHED_FIELDS]),
        (col("version_was") + 1).alias("version"),
    )
    written = update_frame(
        Observation,
        changed.select(
            "id",
            *COMPARED,
            "status",
            "origin",
            *PUBLISHED_FIELDS,
            "version",
            common["batch"].alias("batch"),
            common["user"].alias("updated_by"),
            common["now"].alias("updated_at"),
            col("version_was").alias("expected_version"),
        ),
        unless_changed="version",
    )
    if publish:
        data_version_bump()
    if written != changed.height:
        # Cannot happen while the rows are locked; if it does, roll back rather than lose a change.
        raise ConflictError(_("Values changed while the import was written; nothing was saved. Try again."))
    for chunk in changed.iter_slices(CHUNK):
        insert_frame(
            ObservationHistory,
            chunk.select(
                col("id").alias("observation"),
                "version",
                col("value_was").alias("old_value"),
                col("value").alias("new_value"),
                col("status_was").alias("old_status"),
                col("status").alias("new_status"),
                _json(*SNAPSHOT_FIELDS, was=True).alias("before"),
                after.alias("after"),
                *stamp,
            ),
        )
    return batch.pk
