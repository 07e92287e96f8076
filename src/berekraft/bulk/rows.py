"""Rows as tuples: inserts, updates and replacing a table's rows (``replace_rows``, compared in
SQL), in batches on SQLite and by COPY on PostgreSQL (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class TablePart:
    """One part of a table: its rows whose ``columns`` hold one of the ``values`` (tuples in the
    order of ``columns``), e.g. the scores of the series a partial run recomputed."""

    columns: Sequence[str]
    values: Collection[Sequence[Any]]


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
