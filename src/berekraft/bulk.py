"""Fast inserts and updates for bulk loads (imports, score runs).

Django's ``bulk_create`` builds a model instance per row and compiles every value through the
field API: about 10 µs a field, which made 100,000 imported values take tens of seconds. Here a
row is a tuple, the SQL is built once, and only fields that need a database form (JSON,
date-times) are converted. The caller is responsible for what models would otherwise do:
defaults, ``auto_now`` fields, and validity (``core.validation`` has checked the values).

On PostgreSQL rows go in by COPY (psycopg 3's ``cursor.copy``: 3.8× faster than
``executemany``). ``replace_rows`` makes a table hold exactly the given rows and writes only the
rows that changed (an upsert from a temporary table, then a delete of the rows that are gone), so
a score run that changes little writes little and leaves no dead rows behind on PostgreSQL (a
delete-and-reinsert of every row bloated the table on each run); the rows go in sorted by their
key (on SQLite, inserts in key order are 2× faster than in random order). Given a ``Part`` (rows
of one part of the table, say the scores of the series a run recomputed), it replaces that part
only and leaves the rest of the table alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, models

BATCH = 5000


def _fields(model: type[models.Model], columns: Sequence[str]) -> tuple[list[Any], list[str], list[int]]:
    fields = [model._meta.get_field(name) for name in columns]
    names = [str(getattr(f, "column", "")) for f in fields]
    convert = [
        i
        for i, f in enumerate(fields)
        if isinstance(f, models.JSONField | models.DateTimeField | models.DateField)
    ]
    return fields, names, convert


def _execute(sql: str, rows: Iterable[Sequence[Any]], fields: list[Any], convert: list[int]) -> int:
    """Run ``sql`` for every row in batches, converting JSON and date-times to their database form;
    returns the number of rows the database says it wrote (a compare-and-set update counts only the
    rows whose check held). Date-times repeat (one import has one timestamp), so their conversion is
    remembered."""
    memo: dict[tuple[int, Any], Any] = {}
    count = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            if convert:
                out = list(row)
                for i in convert:
                    value = out[i]
                    if isinstance(value, dict | list):
                        out[i] = fields[i].get_db_prep_save(value, connection)
                        continue
                    if (i, value) not in memo:
                        memo[(i, value)] = fields[i].get_db_prep_save(value, connection)
                    out[i] = memo[(i, value)]
                row = out
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += max(cursor.rowcount, 0)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += max(cursor.rowcount, 0)
    return count


def _prepared(
    rows: Iterable[Sequence[Any]], fields: list[Any], convert: list[int]
) -> Iterator[Sequence[Any]]:
    """The rows with JSON and date-time values in their database form (see ``_execute``)."""
    if not convert:
        yield from rows
        return
    memo: dict[tuple[int, Any], Any] = {}
    for row in rows:
        out = list(row)
        for i in convert:
            value = out[i]
            if isinstance(value, dict | list):
                out[i] = fields[i].get_db_prep_save(value, connection)
                continue
            if (i, value) not in memo:
                memo[(i, value)] = fields[i].get_db_prep_save(value, connection)
            out[i] = memo[(i, value)]
        yield out


def _copy(table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: COPY ``rows`` into ``table`` (psycopg 3 adapts each value as it would a parameter)."""
    quote = connection.ops.quote_name
    count = 0
    # Django's error wrapper turns psycopg's errors into django.db's (a unique violation is an
    # IntegrityError, which the imports' retry on concurrent new keys catches).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {quote(table)} ({', '.join(quote(n) for n in names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT ``rows`` (tuples in the order of ``columns``, model field names) into ``model``'s table."""
    fields, names, convert = _fields(model, columns)
    if connection.vendor == "postgresql":
        return _copy(model._meta.db_table, names, _prepared(rows, fields, convert))
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    return _execute(sql, rows, fields, convert)


def insert_objects(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """``bulk_create`` for unsaved instances, through ``insert_rows`` (COPY on PostgreSQL): every
    concrete field but the automatic key, with what the field's ``pre_save`` gives (``auto_now``).
    The instances' keys are not set."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    columns = [f.attname for f in fields]
    return insert_rows(model, columns, ([f.pre_save(o, add=True) for f in fields] for o in objects))


@dataclass
class Replaced:
    """What ``replace_rows`` wrote: rows inserted or changed, and rows deleted."""

    written: int
    deleted: int


@dataclass(frozen=True)
class Part:
    """Rows of one part of a table for ``replace_rows``: the table's rows whose ``columns`` hold one
    of the ``values`` (tuples in the order of ``columns``). Only that part is replaced (its rows not
    among ``rows`` deleted); rows outside it are left alone, and every row given must be inside it.

    The part travels with the rows rather than as an argument of its own, so that a caller (or a
    test) that passes ``replace_rows``'s arguments through does not need to know of it."""

    rows: Iterable[Sequence[Any]]
    columns: Sequence[str]
    values: Collection[Sequence[Any]]

    def __iter__(self) -> Iterator[Sequence[Any]]:
        return iter(self.rows)


def _within(part: Part | TablePart, table: str, names: dict[str, str] | None = None) -> tuple[str, list[Any]]:
    """The SQL condition (and its parameters) that a row of ``table`` is inside ``part``
    (``names``: the part's field names → column names, where they differ)."""
    names = names or {c: c for c in part.columns}
    quote = connection.ops.quote_name
    columns = [f"{table}.{quote(names[c])}" for c in part.columns]
    values = sorted(tuple(v) for v in part.values)
    if not values:
        return "1 = 0", []
    if len(columns) == 1:
        return f"{columns[0]} IN ({', '.join(['%s'] * len(values))})", [v[0] for v in values]
    one = "(" + " AND ".join(f"{c} = %s" for c in columns) + ")"
    return " OR ".join([one] * len(values)), [x for v in values for x in v]


def _sqlite_pragmas() -> None:
    """For a large write on SQLite: a 64 MB page cache for this connection (the default is 2 MB),
    so the temporary table and the indexes being written stay in memory. (``temp_store`` cannot be
    changed inside a transaction, where this runs.)"""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -65536")


def replace_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, key: Sequence[str]
) -> Replaced:
    """Make ``model``'s table hold exactly ``rows`` (tuples in the order of ``columns``; ``key``,
    a subset of ``columns``, is a unique constraint of the table), writing only what changed:
    new rows are inserted, rows whose other columns differ are updated, rows whose key is not
    among ``rows`` are deleted, and the rest is not touched (it keeps its id). Call it in a
    transaction. ``rows`` should come sorted by ``key``. With ``rows`` a ``Part``, only that part
    of the table is made to hold them."""
    fields, names, convert = _fields(model, columns)
    keys = [names[list(columns).index(k)] for k in key]
    quote = connection.ops.quote_name
    table, temp = quote(model._meta.db_table), quote(f"replace_{model._meta.db_table}")
    listed = ", ".join(quote(n) for n in names)
    postgres = connection.vendor == "postgresql"
    if not postgres:
        _sqlite_pragmas()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} AS SELECT {listed} FROM {table} WHERE 1 = 0")
    if postgres:
        _copy(f"replace_{model._meta.db_table}", names, _prepared(rows, fields, convert))
    else:
        _execute(
            f"INSERT INTO {temp} ({listed}) VALUES ({', '.join(['%s'] * len(names))})", rows, fields, convert
        )
    values = [n for n in names if n not in keys]
    distinct = "IS DISTINCT FROM" if postgres else "IS NOT"
    ordered = ", ".join(quote(k) for k in keys)
    with connection.cursor() as cursor:
        # Without an index on the key, SQLite answers the DELETE's NOT EXISTS by scanning the whole
        # temporary table for every row of the table: minutes for a network's scores.
        cursor.execute(f"CREATE INDEX {quote(f'replace_{model._meta.db_table}_key')} ON {temp} ({ordered})")
        cursor.execute(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {temp} WHERE 1 = 1 ORDER BY {ordered} "
            f"ON CONFLICT ({ordered}) DO UPDATE SET "
            + ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in values)
            + " WHERE "
            + " OR ".join(f"{table}.{quote(n)} {distinct} excluded.{quote(n)}" for n in values)
        )
        written = max(cursor.rowcount, 0)
        within, parameters = (
            _within(rows, table, dict(zip(columns, names, strict=True)))
            if isinstance(rows, Part)
            else ("1 = 1", [])
        )
        cursor.execute(
            f"DELETE FROM {table} WHERE ({within}) AND NOT EXISTS (SELECT 1 FROM {temp} WHERE "
            + " AND ".join(f"{temp}.{quote(k)} = {table}.{quote(k)}" for k in keys)
            + ")",
            parameters,
        )
        deleted = max(cursor.rowcount, 0)
        cursor.execute(f"DROP TABLE {temp}")
    return Replaced(written=written, deleted=deleted)


def update_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    unless_changed: str | None = None,
) -> int:
    """UPDATE ``columns`` of ``model`` for rows given as (values…, primary key); returns rows updated.

    With ``unless_changed`` (a field, e.g. ``version``) each row ends with the value that field had
    when it was read, and a row is updated only if it still has it (compare-and-set): the caller
    compares the count with the rows it gave to detect a change made meanwhile.
    """
    fields, names, convert = _fields(model, columns)
    quote = connection.ops.quote_name
    key = quote(str(getattr(model._meta.pk, "column", "id")))
    assignments = ", ".join(f"{quote(n)} = %s" for n in names)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {key} = %s"
    if unless_changed is not None:
        sql += f" AND {quote(str(getattr(model._meta.get_field(unless_changed), 'column', '')))} = %s"
    return _execute(sql, rows, fields, convert)


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


# Replacing a table's rows from a frame, writing only the rows that changed. What "changed" means
# is decided by a digest: each row's hash of its other columns (polars), stored with the row in a
# ``digest`` column. Comparing a million computed rows with the stored ones then reads three keys
# and one number a row, not every column, and writes nothing for a row whose digest is the same;
# a row without a digest (NULL: written by something else, or before digests) is always rewritten.
# polars promises the same hash only within one version: after an upgrade every row is rewritten
# once, which costs time, never correctness.

DIGEST = "digest"


@dataclass(frozen=True)
class TablePart:
    """One part of a table: its rows whose ``columns`` hold one of the ``values`` (tuples in the
    order of ``columns``), e.g. the scores of the series a partial run recomputed."""

    columns: Sequence[str]
    values: Collection[Sequence[Any]]


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
