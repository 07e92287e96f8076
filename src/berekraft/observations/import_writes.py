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

from berekraft.bulk import (
    check_constraints_now,
    insert_frame,
    new_ids,
    read_frame,
    temporary_frame,
    update_frame,
)
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
# The types of a stored observation's snapshot, as read for the history's "before".
STORED: dict[str, Any] = {
    f: pl.Float64 if f in ("value", "numerator", "denominator", "published_value") else pl.String
    for f in SNAPSHOT_FIELDS
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


@dataclass
class Stored:
    found: pl.DataFrame  # per row that is stored: rowno (its position), id, version_was, differs
    snapshots: pl.DataFrame  # per row that differs: rowno and the stored snapshot (<field>_was)


def existing(rows: pl.DataFrame, *, lock: bool, publish: bool) -> Stored:
    """What is stored of ``rows`` (``with_ids``): per row that is stored its id, version and
    whether writing it would change the stored value (``differs``), and the stored snapshot of
    the rows that differ. The rows are compared in the database: they
    go to a temporary table and are joined with the observations (reading a million stored values
    out to compare them took longer than writing them). With ``lock`` the stored rows are locked
    until the transaction ends (FOR UPDATE, in primary-key order so that two writers never
    deadlock; SQLite's write transaction is taken up front, see settings)."""
    schema = {"rowno": pl.Int64, "id": pl.Int64, "version_was": pl.Int64, "differs": pl.Boolean}
    table = Observation._meta.db_table
    near = Observation.objects.filter(
        place_id__in=rows["place_id"].unique().to_list(), series_id__in=rows["series_id"].unique().to_list()
    )
    was = {f"{f}_was": STORED[f] for f in SNAPSHOT_FIELDS}
    if not near.filter(year__in=rows["year"].unique().to_list()).exists():
        return Stored(pl.DataFrame(schema=schema), pl.DataFrame(schema={"rowno": pl.Int64, **was}))
    postgres = connection.vendor == "postgresql"
    distinct = "IS DISTINCT FROM" if postgres else "IS NOT"
    differs = " OR ".join(f"o.{f} {distinct} s.{f}" for f in COMPARED)
    if publish:
        differs += f" OR o.status <> '{Observation.Status.VERIFIED}'"
    staged = rows.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("rowno"), *KEY, *COMPARED)
    with temporary_frame("import_rows", staged) as stage:
        join = (
            f"{stage} s JOIN {table} o ON o.place_id = s.place_id AND o.series_id = s.series_id "
            "AND o.year = s.year"
        )
        if lock and postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {join} ORDER BY o.id FOR UPDATE OF o) l")
        found = read_frame(
            f"SELECT s.rowno, o.id, o.version, CASE WHEN {differs} THEN 1 ELSE 0 END FROM {join}",
            {**schema, "differs": pl.Int64},
        ).with_columns(col("differs") == 1)
        snapshots = (
            read_frame(
                f"SELECT s.rowno, {', '.join(f'o.{f}' for f in SNAPSHOT_FIELDS)} FROM {join} WHERE {differs}",
                {"rowno": pl.Int64, **was},
            )
            if found["differs"].any()
            else pl.DataFrame(schema={"rowno": pl.Int64, **was})
        )
    return Stored(found, snapshots)


@dataclass
class Plan:
    new: pl.DataFrame  # rows without a stored value, in key order
    changed: pl.DataFrame  # rows whose stored value differs (with its ``_was`` fields and id), by id
    seen: pl.DataFrame  # (place, series, year, version) of every key read; 0: not there


def plan(rows: pl.DataFrame, stored: Stored) -> Plan:
    """What writing ``rows`` (``with_ids``) over ``stored`` (``existing``) would do."""
    given = [*KEY, *COMPARED]
    # What is stored beside the rows, by position (the rows themselves are not copied).
    positions = pl.DataFrame({"rowno": pl.int_range(rows.height, dtype=pl.Int64, eager=True)})
    beside = positions.join(stored.found, on="rowno", how="left", maintain_order="left")
    joined = pl.concat([rows, beside], how="horizontal")
    changed = joined.filter(col("differs").fill_null(False))
    return Plan(
        new=joined.filter(col("id").is_null() & col("value").is_not_null()).select(given).sort(KEY),
        changed=changed.join(stored.snapshots, on="rowno", how="left", maintain_order="left")
        .select("id", *given, "version_was", *(f"{f}_was" for f in SNAPSHOT_FIELDS))
        .sort("id"),
        seen=joined.select("place", "series", "year", col("version_was").fill_null(0).alias("version")),
    )


def _json(*names: str, was: bool = False) -> pl.Expr:
    """A JSON object of the fields ``names`` (from their ``_was`` columns with ``was``), as the
    history's snapshots store them."""
    return pl.struct(*(col(f"{n}_was" if was else n).alias(n) for n in names)).struct.json_encode()


def _observations(rows: pl.DataFrame, common: dict[str, pl.Expr], *, with_ids: bool = False) -> pl.DataFrame:
    """New observations as the table stores them (``rows`` with status, origin and the published
    fields), with their keys when ``with_ids``."""
    return rows.select(
        *(["id"] if with_ids else []),
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
    )


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
    check_constraints_now()
    new = planned.new.with_columns(common["status"], common["origin"])
    new = new.with_columns(published_now if publish else unpublished)
    ids = new_ids(Observation, new.height)
    if ids is None:  # PostgreSQL: the sequence gives the keys; read them back, in key order
        insert_frame(Observation, _observations(new, common))
        table = Observation._meta.db_table
        given = read_frame(
            f"SELECT id, place_id, series_id, year FROM {table} WHERE batch_id = {int(batch.pk)} "
            "ORDER BY place_id, series_id, year",
            {"id": pl.Int64, "place_id": pl.Int64, "series_id": pl.Int64, "year": pl.Int64},
        )
        if not given.select(KEY).equals(new.select(KEY)):  # cannot happen: the batch's rows are these
            raise ConflictError(
                _("Values changed while the import was written; nothing was saved. Try again.")
            )
        new = new.with_columns(given["id"])
    else:
        new = new.with_columns(ids)
    # In slices, so that the history's JSON of a million rows is never in memory at once.
    for chunk in new.iter_slices(CHUNK):
        if ids is not None:
            insert_frame(Observation, _observations(chunk, common, with_ids=True))
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
    changed = planned.changed.with_columns(common["status"], common["origin"])
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
        # The series whose published values this batch touched: the next score run scores those.
        touched = pl.concat([new.select("series_id"), changed.select("series_id")])["series_id"]
        data_version_bump(touched.unique().to_list())
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
