"""`berekraft dump` and `berekraft restore`: every record, SQLite → PostgreSQL → SQLite, identical.

The test database (reference data, the demo network with history and scores, users with roles) is
dumped in this process; the restores run as `berekraft` in child processes against databases of
their own (a new SQLite file, a new PostgreSQL database), as a coordinator moving an installation
would run them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from berekraft.backup import archive_models, dump, restore
from berekraft.errors import ConflictError, InputError
from berekraft.observations.models import Observation

pytestmark = pytest.mark.django_db

PG_URL = os.environ.get("BEREKRAFT_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SCORE_MODELS = (
    "scores.seriesscore",
    "scores.aggregatescore",
    "scores.latestseriesscore",
    "scores.latestaggregatescore",
)


def berekraft(*args: str, home: Path, database: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEREKRAFT_", "DJANGO_"))}
    env["BEREKRAFT_HOME"] = str(home)
    if database:
        env["BEREKRAFT_DATABASE_URL"] = database
    return subprocess.run(
        [sys.executable, "-m", "berekraft.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def records(path: Path) -> dict[str, tuple[list[str], list[Any]]]:
    """model → (columns, records) of an archive, decoded."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        return {
            m["model"]: (
                m["columns"],
                [json.loads(line) for line in archive.read(m["file"]).decode("utf-8").splitlines()],
            )
            for m in manifest["models"]
        }


def without_ids(table: tuple[list[str], list[Any]]) -> list[tuple[Any, ...]]:
    columns, rows = table
    keep = [i for i, c in enumerate(columns) if c != "id"]
    return sorted((tuple(row[i] for i in keep) for row in rows), key=repr)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for the test, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    admin = PG_URL.replace("postgres://", "postgresql://", 1)
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL not reachable ({exc})")
    name = f"test_berekraft_restore_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.mark.postgres
def test_round_trip_sqlite_postgresql_sqlite_is_identical_and_scores_recompute_equal(
    tmp_path: Path, postgres_database: str, people: dict[str, Any]
) -> None:
    # The history of an edit by a user with a role, so links to users are in the archive too.
    observation = Observation.objects.filter(place__code="5001").first()
    assert observation is not None
    first = tmp_path / "first.zip"
    dump(first)
    original = records(first)
    tables = set(connection.introspection.django_table_names(only_existing=True))
    assert {m._meta.db_table for m in archive_models()} == tables, "every table is in the archive"
    assert sum(len(rows) for _, rows in original.values()) > 40_000

    moved = berekraft("restore", str(first), home=tmp_path / "pg", database=postgres_database)
    assert moved.returncode == 0, moved.stderr
    on_postgres = tmp_path / "postgres.zip"
    assert (
        berekraft("dump", str(on_postgres), home=tmp_path / "pg", database=postgres_database).returncode == 0
    )
    back = berekraft("restore", str(on_postgres), home=tmp_path / "sqlite")
    assert back.returncode == 0, back.stderr
    again = tmp_path / "again.zip"
    assert berekraft("dump", str(again), home=tmp_path / "sqlite").returncode == 0

    for name, archive in (("PostgreSQL", on_postgres), ("SQLite again", again)):
        restored = records(archive)
        assert restored.keys() == original.keys()
        for model, table in original.items():
            assert restored[model] == table, f"{model} differs after the move to {name}"

    # Scores recomputed after the restore equal the ones stored before it.
    recomputed = berekraft("recompute", home=tmp_path / "sqlite")
    assert recomputed.returncode == 0, recomputed.stderr
    final = tmp_path / "recomputed.zip"
    assert berekraft("dump", str(final), home=tmp_path / "sqlite").returncode == 0
    after = records(final)
    for model in SCORE_MODELS:
        assert len(original[model][1]) > 500
        assert without_ids(after[model]) == without_ids(original[model]), model

    # New records after a restore get new keys (sequences were moved on, on PostgreSQL too).
    created = berekraft(
        "createsuperuser",
        "--noinput",
        "--username",
        "newcomer",
        "--email",
        "newcomer@example.org",
        home=tmp_path / "pg",
        database=postgres_database,
    )
    assert created.returncode == 0, created.stderr


def test_restore_refuses_a_database_with_records(tmp_path: Path) -> None:
    path = tmp_path / "dump.zip"
    dump(path)
    before = Observation.objects.count()
    with pytest.raises(ConflictError, match="not empty"):
        restore(path)
    assert Observation.objects.count() == before


def test_restore_refuses_what_is_not_a_dump(tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        restore(text, where="notes.zip")
    assert "not a zip archive" in str(caught.value.problems[0])
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "berekraft-dump", "version": 99}))
    with pytest.raises(InputError) as caught:
        restore(other, where="other.zip")
    assert "version 99" in str(caught.value.problems[0])


def test_a_damaged_archive_restores_nothing_and_an_intact_one_then_restores(tmp_path: Path) -> None:
    path = tmp_path / "dump.zip"
    dump(path)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "data/scores.seriesscore.jsonl":
                data = data[: data.rindex(b"\n", 0, len(data) - 1) + 1]  # the last record lost
            target.writestr(item, data)
    home = tmp_path / "home"
    refused = berekraft("restore", str(damaged), home=home)
    assert refused.returncode == 2
    assert "scores.seriesscore.jsonl" in refused.stderr and "damaged" in refused.stderr
    done = berekraft("restore", str(path), home=home)  # the failed restore left the database empty
    assert done.returncode == 0, done.stderr


def test_an_archive_without_the_latest_score_tables_restores_them_from_the_scores(tmp_path: Path) -> None:
    """An archive made before the latest-score tables existed (scores.latest): restore derives them
    from the restored scores, so the pages that read them show the scores at once."""
    path = tmp_path / "dump.zip"
    dump(path)
    latest = ("scores.latestseriesscore", "scores.latestaggregatescore")
    older = tmp_path / "older.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(older, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        manifest["models"] = [m for m in manifest["models"] if m["model"] not in latest]
        for item in source.infolist():
            if item.filename == "manifest.json":
                target.writestr(item, json.dumps(manifest))
            elif not any(name in item.filename for name in latest):
                target.writestr(item, source.read(item))
    home = tmp_path / "home"
    done = berekraft("restore", str(older), home=home)
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.zip"
    assert berekraft("dump", str(again), home=home).returncode == 0
    original, restored = records(path), records(again)
    for model in latest:
        assert len(original[model][1]) > 500
        assert without_ids(restored[model]) == without_ids(original[model]), model
