"""``berekraft dump`` and ``berekraft restore``: every record of an installation in one versioned
archive, and back into an empty database (SQLite or PostgreSQL, either way round).

The archive is a zip:

    manifest.json          {"format": "berekraft-dump", "version": 1, "models": [...], ...}
    data/<app>.<model>.jsonl   one JSON array per record, the values of the model's columns in the
                               order the manifest lists them, records by primary key

Models are every installed app's, found through Django's app registry (with the many-to-many
tables Django makes itself), so a new app's records are in the next dump without a change here;
they are listed in dependency order (a model after the models its foreign keys point to).

Why not ``dumpdata``/``loaddata``: loaddata saves one object at a time (minutes for a network's
history) and keeps nothing that says which version of berekraft wrote the file; and an archive
restored with explicit primary keys keeps every link (history → batch → user) as it was.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from berekraft import __version__
from berekraft.core.problems import Problem
from berekraft.errors import ConflictError, InputError
from berekraft.scores.latest import latest_refill

FORMAT = "berekraft-dump"
VERSION = 1
# Rows that `migrate` itself writes into a new database (post_migrate): a database holding only
# these is empty. restore replaces them with the archive's, keeping the archive's primary keys.
SEEDED = ("contenttypes.contenttype", "auth.permission")
CHUNK = 2000
# Tables the score run derives from the scores (scores.latest), rebuilt when an archive lacks them.
LATEST = {"scores.latestseriesscore", "scores.latestaggregatescore"}


def archive_models() -> list[type[models.Model]]:
    """Every concrete model of every installed app, with Django's many-to-many tables, proxies and
    unmanaged models left out, in dependency order (stable: app order, then model order)."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    order: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()

    def place(model: type[models.Model], path: tuple[type[models.Model], ...]) -> None:
        if model in placed or model in path:
            return  # a cycle: foreign keys are checked at commit, so any order loads
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and target is not model and target in found:
                place(target, (*path, model))
        placed.add(model)
        order.append(model)

    for model in found:
        place(model, ())
    return order


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _plain(value: Any) -> Any:
    """A column's value that JSON has no type for (``json.dumps``' ``default``): dates in ISO 8601
    with their offset and full microseconds, durations in seconds, bytes in base64."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"a column value of type {type(value).__name__} has no JSON form here")


def _line(values: tuple[Any, ...]) -> bytes:
    # sort_keys: a JSON column's object comes back from PostgreSQL's jsonb in another key order;
    # sorted, the same record is the same line whichever database it was read from.
    return (
        json.dumps(values, default=_plain, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode("utf-8")


def _migrations() -> dict[str, str]:
    """The latest applied migration of each app: what the archive's tables looked like."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def dump(target: Path | IO[bytes]) -> dict[str, Any]:
    """Write every record to ``target`` (a path or a binary file) and return the manifest. Read in
    one transaction, so the archive is one consistent state even while the site is writing."""
    entries = []
    # A transaction of its own sees one snapshot of every table (PostgreSQL: REPEATABLE READ, set
    # before its first query); inside a caller's transaction, the caller's snapshot rules.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with (
        transaction.atomic(),
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for model in archive_models():
            fields = _columns(model)
            name = f"data/{model._meta.label_lower}.jsonl"
            digest = hashlib.sha256()
            rows = 0
            with archive.open(name, "w", force_zip64=True) as out:
                query = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
                for values in query.iterator(chunk_size=CHUNK):
                    line = _line(values)
                    digest.update(line)
                    out.write(line)
                    rows += 1
            entries.append(
                {
                    "model": model._meta.label_lower,
                    "file": name,
                    "columns": [f.attname for f in fields],
                    "rows": rows,
                    "sha256": digest.hexdigest(),
                }
            )
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "berekraft": __version__,
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "database": connection.vendor,
            "migrations": _migrations(),
            "models": entries,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest


def _problem(where: str, what: str, fix: str) -> InputError:
    return InputError([Problem(what, file=where, hint=fix)], summary="the archive cannot be restored")


def read_manifest(archive: zipfile.ZipFile, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise _problem(
            where, f"no readable manifest.json ({exc})", "give a file written by berekraft dump"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _problem(where, "this is not a berekraft dump", "give a file written by berekraft dump")
    if manifest.get("version") != VERSION:
        raise _problem(
            where,
            f"archive format version {manifest.get('version')!r}; this berekraft reads version {VERSION}",
            "restore it with the berekraft version that wrote it, or a newer one",
        )
    return manifest


def records_in_use() -> dict[str, int]:
    """Models that hold rows (beyond what ``migrate`` seeds): a database is empty if none do. Tables
    that do not exist yet (a database never migrated) count as empty."""
    tables = set(connection.introspection.table_names())
    held = {}
    for model in archive_models():
        label = model._meta.label_lower
        if label in SEEDED or model._meta.db_table not in tables:
            continue
        count = model._base_manager.count()
        if count:
            held[label] = count
    return held


@contextmanager
def _stored_as_given() -> Iterator[None]:
    """``auto_now`` and ``auto_now_add`` would stamp every restored row with the time of the
    restore; switched off while loading, so a record keeps its own times."""
    switched = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))  # type: ignore[attr-defined]
                field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, now, now_add in switched:
            field.auto_now, field.auto_now_add = now, now_add  # type: ignore[attr-defined]


def _value(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DurationField):
        return dt.timedelta(seconds=value)
    return field.to_python(value)


def restore(source: Path | IO[bytes], *, where: str = "archive") -> dict[str, int]:
    """Load an archive into an empty database, all or nothing; returns rows per model. Migrates a
    database that has no tables yet. Refuses a database that holds records (ConflictError)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _problem(where, f"not a zip archive ({exc})", "give a file written by berekraft dump") from None
    with archive:
        manifest = read_manifest(archive, where)
        held = records_in_use()
        if held:
            listed = ", ".join(f"{label} ({n})" for label, n in sorted(held.items()))
            raise ConflictError(
                f"The database is not empty: {listed}. restore loads into an empty database only; "
                "point BEREKRAFT_DATABASE_URL at a new database (e.g. `createdb berekraft`) and run it again."
            )
        call_command("migrate", verbosity=0, interactive=False)
        known = {m._meta.label_lower: m for m in archive_models()}
        loaded: dict[str, int] = {}
        with transaction.atomic(), _stored_as_given():
            for label in SEEDED:
                known[label]._base_manager.all().delete()
            for entry in manifest["models"]:
                loaded[entry["model"]] = _load(archive, entry, known, where)
            if not LATEST.issubset(loaded):
                # An archive made before the latest-score tables: they are derived from the scores.
                latest_refill()
            with connection.cursor() as cursor:
                used = [known[label] for label in loaded if loaded[label]]
                for sql in connection.ops.sequence_reset_sql(no_style(), used):
                    cursor.execute(sql)
            # What migrate seeds for apps the archive does not know (an app added since the dump):
            # their content types and permissions, with keys after the restored ones.
            ContentType.objects.clear_cache()
            emit_post_migrate_signal(0, False, connection.alias)
        ContentType.objects.clear_cache()
    return loaded


def _load(
    archive: zipfile.ZipFile, entry: dict[str, Any], known: dict[str, type[models.Model]], where: str
) -> int:
    label = entry["model"]
    model = known.get(label)
    if model is None:
        raise _problem(
            f"{where}: {entry['file']}",
            f"the archive holds records of {label}, which this installation does not have",
            "restore with the berekraft version (and apps) that wrote the archive",
        )
    fields = {f.attname: f for f in _columns(model)}
    missing = [c for c in entry["columns"] if c not in fields]
    if missing:
        raise _problem(
            f"{where}: {entry['file']}",
            f"{label} has no column(s) {', '.join(missing)} in this version",
            "restore with the berekraft version that wrote the archive",
        )
    columns = [fields[c] for c in entry["columns"]]
    digest = hashlib.sha256()
    batch: list[models.Model] = []
    rows = 0
    with archive.open(entry["file"]) as raw:
        for number, line in enumerate(raw, start=1):
            digest.update(line)
            try:
                values = json.loads(line)
                record = model(**{f.attname: _value(f, v) for f, v in zip(columns, values, strict=True)})
            except (ValueError, TypeError) as exc:
                raise _problem(
                    f"{where}: {entry['file']}, line {number}",
                    f"unreadable record ({exc})",
                    "use an intact dump",
                ) from None
            batch.append(record)
            rows += 1
            if len(batch) >= CHUNK:
                model._base_manager.bulk_create(batch)
                batch = []
        if batch:
            model._base_manager.bulk_create(batch)
    if rows != entry["rows"] or digest.hexdigest() != entry["sha256"]:
        raise _problem(
            f"{where}: {entry['file']}",
            f"{rows} records read, the manifest says {entry['rows']} (or the checksum differs)",
            "the archive is damaged: use an intact copy",
        )
    return rows
