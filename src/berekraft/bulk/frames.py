"""polars frames in and out of the database whole: insert, update, read, and a frame as a
temporary table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connection, models

from berekraft.bulk.rows import _sqlite_pragmas

# Frames: a polars DataFrame is written and read as a whole, without a Python object per value
# where the database allows it (COPY … FROM STDIN / TO STDOUT as CSV on PostgreSQL, which polars
# writes and reads; SQLite takes rows as tuples from executemany, in batches).

FRAME_BATCH = 100_000


def _frame_prepared(model: type[models.Model], frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with date-times in their database form (each distinct value through its field,
    as ``insert_rows`` does) and JSON fields checked to be given as JSON text."""
    columns = []
    for name in frame.columns:
        field = model._meta.get_field(name)
        column = frame[name]
        if isinstance(field, models.JSONField) and column.dtype != pl.String:
            raise TypeError(f"{model.__name__}.{name}: give JSON fields as JSON text")
        if isinstance(field, models.DateTimeField | models.DateField) and connection.vendor != "postgresql":
            given = column.unique().drop_nulls().to_list()
            column = column.replace_strict(
                given,
                [field.get_db_prep_save(v, connection) for v in given],
                default=None,
                return_dtype=pl.String,
            )
        columns.append(column.alias(str(getattr(field, "column", name))))
    return pl.DataFrame(columns)


def _copy_frame(table: str, frame: pl.DataFrame) -> int:
    """PostgreSQL: COPY ``frame`` (columns named for the table's) into ``table`` as CSV written by
    polars: an unquoted empty field is NULL, a quoted one the empty string."""
    quote = connection.ops.quote_name
    listed = ", ".join(quote(n) for n in frame.columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        with raw.copy(f"COPY {quote(table)} ({listed}) FROM STDIN WITH (FORMAT csv)") as copy:
            for start in range(0, frame.height, FRAME_BATCH):
                copy.write(frame.slice(start, FRAME_BATCH).write_csv(include_header=False))
    return frame.height


def _insert_frame_rows(table: str, frame: pl.DataFrame) -> int:
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in frame.columns)}) "
        f"VALUES ({', '.join(['%s'] * frame.width)})"
    )
    with connection.cursor() as cursor:
        for start in range(0, frame.height, FRAME_BATCH):
            cursor.executemany(sql, frame.slice(start, FRAME_BATCH).rows())
    return frame.height


def insert_frame(model: type[models.Model], frame: pl.DataFrame) -> int:
    """INSERT every row of ``frame`` (columns named for ``model``'s fields; JSON fields as JSON
    text) into ``model``'s table, in the frame's order (give it sorted by the table's key)."""
    prepared = _frame_prepared(model, frame)
    if connection.vendor == "postgresql":
        return _copy_frame(model._meta.db_table, prepared)
    _sqlite_pragmas()
    return _insert_frame_rows(model._meta.db_table, prepared)


def update_frame(model: type[models.Model], frame: pl.DataFrame, *, unless_changed: str | None = None) -> int:
    """UPDATE ``model``'s rows from ``frame``: its primary-key column names the row, the other
    columns (fields) are set. With ``unless_changed`` (a field, e.g. ``version``) the frame also
    has a column ``expected_<field>``, and a row is updated only if that field still has that
    value (compare-and-set): the caller compares the count returned with the rows it gave.

    The rows go to a temporary table first (COPY on PostgreSQL) and are written by one
    ``UPDATE … FROM``: no statement per row."""
    pk = str(getattr(model._meta.pk, "column", "id"))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    temp_name = f"update_{model._meta.db_table}"
    temp = quote(temp_name)
    expected = f"expected_{unless_changed}" if unless_changed else None
    fields = [c for c in frame.columns if c not in (model._meta.pk.name, pk, expected)]
    prepared = _frame_prepared(model, frame.select(fields))
    names = list(prepared.columns)
    key = frame[model._meta.pk.name if model._meta.pk.name in frame.columns else pk]
    staged = prepared.with_columns(key.alias(pk))
    selected = [*(quote(n) for n in names), quote(pk)]
    if unless_changed is not None and expected is not None:
        check = str(getattr(model._meta.get_field(unless_changed), "column", unless_changed))
        staged = staged.with_columns(frame[expected].alias(expected))
        selected.append(f"{quote(check)} AS {quote(expected)}")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} AS SELECT {', '.join(selected)} FROM {table} WHERE 1 = 0"
        )
    if connection.vendor == "postgresql":
        _copy_frame(temp_name, staged)
    else:
        _insert_frame_rows(temp_name, staged)
    condition = f"{table}.{quote(pk)} = {temp}.{quote(pk)}"
    if unless_changed is not None and expected is not None:
        condition += f" AND {table}.{quote(check)} = {temp}.{quote(expected)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {', '.join(f'{quote(n)} = {temp}.{quote(n)}' for n in names)} "
            f"FROM {temp} WHERE {condition}"
        )
        count = max(int(cursor.rowcount), 0)
        cursor.execute(f"DROP TABLE {temp}")
    return count


def read_frame(
    sql: str, schema: Mapping[str, pl.DataType | type[pl.DataType]], params: Sequence[Any] = ()
) -> pl.DataFrame:
    """The rows of a SELECT (``sql`` with ``%s`` for ``params``) as a frame with ``schema`` (the
    query's columns, in order): COPY … TO STDOUT read by polars on PostgreSQL (psycopg binds the
    parameters on the client), cursor batches on SQLite."""
    if connection.vendor == "postgresql":
        data = bytearray()
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params or None) as copy,
        ):
            for block in copy:
                data += block
        if not data:
            return pl.DataFrame(schema=dict(schema))
        return pl.read_csv(bytes(data), has_header=False, new_columns=list(schema), schema=dict(schema))
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params or None)
        while rows := cursor.fetchmany(FRAME_BATCH):
            chunks.append(pl.DataFrame(rows, schema=dict(schema), orient="row"))
    return pl.concat(chunks) if chunks else pl.DataFrame(schema=dict(schema))


def new_ids(model: type[models.Model], count: int) -> pl.Series | None:
    """``count`` primary keys for rows about to be inserted into ``model``'s table by this
    transaction, so that rows that refer to them (history) can be built before the insert: on
    SQLite, whose write lock the transaction holds, the keys after the largest it ever gave
    (AUTOINCREMENT's sqlite_sequence). None on PostgreSQL, where the sequence gives them as the
    rows go in (a million ``nextval`` took 4 s; reading the keys back takes one)."""
    if connection.vendor == "postgresql":
        return None
    table = model._meta.db_table
    pk = str(getattr(model._meta.pk, "column", "id"))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max({quote(pk)}) FROM {quote(table)}), 0))",
            [table],
        )
        last = int(cursor.fetchone()[0])
    return pl.int_range(last + 1, last + 1 + count, dtype=pl.Int64, eager=True).alias("id")


def check_constraints_now() -> None:
    """PostgreSQL: check this transaction's deferred constraints (Django's foreign keys) as each
    statement ends, not at commit. The same checks; for a million rows written by COPY about half
    the time (a deferred check queues an event per row and reads the row again at commit)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


_SQL_TYPES = {pl.Int64: "bigint", pl.Float64: "double precision", pl.String: "text"}


@contextmanager
def temporary_frame(name: str, frame: pl.DataFrame) -> Iterator[str]:
    """``frame`` as a temporary table ``name`` (columns typed from its Int64, Float64 and String
    columns) for the SQL of the ``with`` block, which gets the quoted name; dropped after. A
    million rows are compared with a table in the database (a join) instead of read out of it."""
    quote = connection.ops.quote_name
    table = quote(name)
    columns = ", ".join(f"{quote(c)} {_SQL_TYPES[frame.schema[c]]}" for c in frame.columns)  # type: ignore[index]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
    if connection.vendor == "postgresql":
        _copy_frame(name, frame)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")  # the planner's row estimate, for the join that follows
    else:
        _insert_frame_rows(name, frame)
    try:
        yield table
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
