"""Fast inserts and updates for bulk loads (imports, score runs).

Django's ``bulk_create`` builds a model instance per row and compiles every value through the
field API: about 10 µs a field, which made 100,000 imported values take tens of seconds. Here a
row is a tuple, the SQL is built once, and only fields that need a database form (JSON,
date-times) are converted. The caller is responsible for what models would otherwise do:
defaults, ``auto_now`` fields, and validity (``core.validation`` has checked the values).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT ``rows`` (tuples in the order of ``columns``, model field names) into ``model``'s table."""
    fields, names, convert = _fields(model, columns)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    return _execute(sql, rows, fields, convert)


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
