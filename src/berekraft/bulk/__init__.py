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

Modules: ``rows`` (rows as tuples, ``replace_rows``), ``frames`` (polars frames in and out) and
``digests`` (``replace_frame``, the score run's writes of only what changed).
"""

from berekraft.bulk.digests import DIGEST, digested, replace_frame, stored_digests
from berekraft.bulk.frames import (
    FRAME_BATCH,
    check_constraints_now,
    insert_frame,
    new_ids,
    read_frame,
    temporary_frame,
    update_frame,
)
from berekraft.bulk.rows import (
    BATCH,
    Part,
    Replaced,
    TablePart,
    insert_objects,
    insert_rows,
    replace_rows,
)

__all__ = [
    "BATCH",
    "DIGEST",
    "FRAME_BATCH",
    "Part",
    "Replaced",
    "TablePart",
    "check_constraints_now",
    "digested",
    "insert_frame",
    "insert_objects",
    "insert_rows",
    "new_ids",
    "read_frame",
    "replace_frame",
    "replace_rows",
    "stored_digests",
    "temporary_frame",
    "update_frame",
]
