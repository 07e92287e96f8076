"""One score run at a time, across processes and hosts: the lock lives with the database.

On PostgreSQL a session advisory lock (released by the database when the holder's connection
ends, so a killed worker never leaves it held). SQLite is one file on one host: an exclusive
``flock`` on a lock file beside it (``berekraft.sqlite3-scorelock``), released by the operating
system when the holder dies. (Not a lock on the database file itself: POSIX locks are per
process, and closing any handle on that file would drop SQLite's own.) The lock is held for the
whole run (reading and writing), and nothing else takes it, so writers never wait for it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

# A constant of our own (the bytes "berekraf"), so the key does not collide with another
# application's advisory locks on the same database.
ADVISORY_KEY = int.from_bytes(b"berekraf", "big") & 0x7FFF_FFFF_FFFF_FFFF


def lock_path() -> str:
    """The SQLite database's lock file: beside the database file (in BEREKRAFT_HOME for a database
    in memory, which only this process sees)."""
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:") or name == ":memory:":
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        return str(settings.HOME / f"memory-{digest}-scorelock")
    return os.path.abspath(name) + "-scorelock"


@contextmanager
def score_run_lock() -> Iterator[None]:
    """Hold the score-run lock until the block ends (waits for a run that holds it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        return
    with open(lock_path(), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
