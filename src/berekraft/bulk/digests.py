"""``replace_frame``: a table (or part of one) made to hold a frame's rows, writing only the rows
whose digest changed (the score run's writes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.db import connection, models

from berekraft.bulk.frames import (
    FRAME_BATCH,
    _copy_frame,
    _frame_prepared,
    insert_frame,
    read_frame,
    temporary_frame,
)
from berekraft.bulk.rows import Replaced, TablePart, _sqlite_pragmas, _within

# Replacing a table's rows from a frame, writing only the rows that changed. What "changed" means
# is decided by a digest: each row's hash of its other columns (polars), stored with the row in a
# ``digest`` column. Comparing a million computed rows with the stored ones then reads three keys
# and one number a row, not every column, and writes nothing for a row whose digest is the same;
# a row without a digest (NULL: written by something else, or before digests) is always rewritten.
# polars promises the same hash only within one version: after an upgrade every row is rewritten
# once, which costs time, never correctness.

DIGEST = "digest"


def digested(frame: pl.DataFrame, key: Sequence[str]) -> pl.DataFrame:
    """``frame`` with its ``digest`` column: the hash of every column but ``key``, as a signed
    64-bit number (the databases' BIGINT)."""
    values = [c for c in frame.columns if c not in key and c != DIGEST]
    return frame.with_columns(pl.struct(values).hash().reinterpret(signed=True).alias(DIGEST))


def stored_digests(
    model: type[models.Model], key: Sequence[str], schema: Mapping[str, Any], part: TablePart | None = None
) -> pl.DataFrame:
    """The ``key`` columns and digest of ``model``'s rows (within ``part``), as a frame."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = {name: str(getattr(model._meta.get_field(name), "column", name)) for name in key}
    within, params = _within(part, table, names) if part is not None else ("1 = 1", [])
    listed = ", ".join(f"{table}.{quote(names[k])}" for k in key)
    return read_frame(
        f"SELECT {listed}, {table}.{quote(DIGEST)} FROM {table} WHERE {within}",
        {**{k: schema[k] for k in key}, DIGEST: pl.Int64},
        params,
    )


def replace_frame(
    model: type[models.Model], frame: pl.DataFrame, *, key: Sequence[str], part: TablePart | None = None
) -> Replaced:
    """Make ``model``'s table (or only ``part`` of it: every row of ``frame`` must be inside it)
    hold exactly the rows of ``frame`` (columns named for the model's fields; ``key`` a unique
    constraint of the table; the model has a ``digest`` BIGINT column, which this sets), writing
    only what changed: rows whose digest differs from the stored row's are inserted or updated,
    stored rows whose key is not in ``frame`` are deleted, the rest is not touched (it keeps its
    id). Call it in a transaction, with ``frame`` sorted by ``key`` (rows go in in its order: on
    SQLite sorted inserts are 2× faster than random ones). New keys are inserted (COPY on
    PostgreSQL), keys already there updated (an upsert)."""
    # −0.0 is written as 0.0: equal numbers, which the digest does not tell apart.
    floats = [c for c, dtype in frame.schema.items() if dtype.is_float()]
    frame = frame.drop(DIGEST, strict=False)
    if floats:
        frame = frame.with_columns(
            pl.when(pl.col(floats) == 0).then(0.0).otherwise(pl.col(floats)).name.keep()
        )
    frame = digested(frame, key)
    stored = stored_digests(model, key, frame.schema, part)
    if stored.is_empty():  # a first run: every row is new, and goes in as it is
        return Replaced(written=insert_frame(model, frame) if frame.height else 0, deleted=0)
    keys = stored.select(key)
    changed = frame.join(stored, on=[*key, DIGEST], how="anti", maintain_order="left")
    new = changed.join(keys, on=list(key), how="anti", maintain_order="left")
    updated = changed.join(keys, on=list(key), how="semi", maintain_order="left")
    gone = keys.join(frame.select(key), on=list(key), how="anti")
    written = insert_frame(model, new) if new.height else 0
    written += _upsert_frame(model, updated, key) if updated.height else 0
    deleted = _delete_keys(model, gone) if gone.height else 0
    return Replaced(written=written, deleted=deleted)


def _upsert_frame(model: type[models.Model], frame: pl.DataFrame, key: Sequence[str]) -> int:
    """INSERT ``frame``'s rows into ``model``'s table, a row whose key is there already updating
    it. SQLite: one statement per row from Python; PostgreSQL: COPY into a temporary table, then
    one INSERT … SELECT."""
    prepared = _frame_prepared(model, frame)
    names = list(prepared.columns)
    keys = [names[list(frame.columns).index(k)] for k in key]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    listed = ", ".join(quote(n) for n in names)
    conflict = f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET " + ", ".join(
        f"{quote(n)} = excluded.{quote(n)}" for n in names if n not in keys
    )
    if connection.vendor != "postgresql":
        _sqlite_pragmas()
        sql = f"INSERT INTO {table} ({listed}) VALUES ({', '.join(['%s'] * len(names))}) {conflict}"
        with connection.cursor() as cursor:
            for start in range(0, prepared.height, FRAME_BATCH):
                cursor.executemany(sql, prepared.slice(start, FRAME_BATCH).iter_rows())  # type: ignore[arg-type]
        return prepared.height
    temp_name = f"upsert_{model._meta.db_table}"
    temp = quote(temp_name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} AS SELECT {listed} FROM {table} WHERE 1 = 0")
    _copy_frame(temp_name, prepared)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {temp} {conflict}")
        cursor.execute(f"DROP TABLE {temp}")
    return prepared.height


def _delete_keys(model: type[models.Model], keys: pl.DataFrame) -> int:
    """DELETE the rows of ``model``'s table whose key (``keys``' columns, field names) is a row of
    ``keys``."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [str(getattr(model._meta.get_field(c), "column", c)) for c in keys.columns]
    listed = ", ".join(quote(c) for c in columns)
    with (
        temporary_frame(
            f"gone_{model._meta.db_table}", keys.rename(dict(zip(keys.columns, columns, strict=True)))
        ) as temp,
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table} WHERE ({listed}) IN (SELECT {listed} FROM {temp})")
        return max(int(cursor.rowcount), 0)
