"""Imports, edits and undos at once against one PostgreSQL database (issue 7, finding 6).

Real connections, one per thread, committed transactions. Afterwards every observation's history
must be one unbroken chain: versions 1, 2, 3 … without a gap or a repeat, each row starting from
exactly what the row before it left (a lost update shows as a row whose "before" is not the
previous "after"), the observation as the last row left it, and every edit that was reported saved
present in that chain. No thread may see anything but a clear ConflictError.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from berekraft.errors import ConflictError
from tests.tables import table

THREAD_SECONDS = 8.0
TRONDHEIM_SERIES = 12


@pytest.fixture
def committed_db() -> None:
    """Marked ``django_db(transaction=True)``: transactions really commit; tests/db/conftest.py
    loads the shared reference and demo data again after the flush."""
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs against PostgreSQL (SQLite serialises every write)")


def _in_thread(work: Callable[[], None], failures: list[str]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_imports_edits_and_undos_at_once_lose_nothing(committed_db: None) -> None:
    import time

    from berekraft.core.catalogue import load_catalogue
    from berekraft.observations.imports import import_table
    from berekraft.observations.models import ImportBatch, Observation, ObservationHistory
    from berekraft.observations.undo import import_undo
    from berekraft.observations.workflow import observation_edit

    percent = {s.code for s in load_catalogue().series if s.unit.strip() == "%"}
    codes = [
        code
        for code in Observation.objects.filter(place__code="5001", year=2024)
        .order_by("series__code")
        .values_list("series__code", flat=True)
        if code in percent
    ][:TRONDHEIM_SERIES]
    indicator = {s: s.split("/")[0] for s in codes}
    point = {s: s.split("/")[1] if "/" in s else "" for s in codes}
    stop = time.monotonic() + THREAD_SECONDS
    failures: list[str] = []
    saved_edits: list[tuple[int, int, float]] = []  # observation, version, value
    outcomes = {"imports": 0, "edits": 0, "undos": 0, "conflicts": 0}
    lock = threading.Lock()

    def importer(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            chosen = rng.sample(codes, 6)
            rows = [
                {
                    "place": "5001",
                    "indicator": indicator[s],
                    "series": point[s],
                    "year": "2024",
                    "value": str(rng.randint(1, 99)),
                }
                for s in chosen
            ]
            # New keys that the other importer creates too (Oslo has no values).
            rows += [
                {
                    "place": "0301",
                    "indicator": indicator[s],
                    "series": point[s],
                    "year": "2024",
                    "value": "50",
                }
                for s in codes[:3]
            ]
            try:
                report = import_table(
                    table(*rows), file_name=f"t{seed}.csv", checksum="x", reader="test", user=None
                )
                assert report.ok, report.errors
                with lock:
                    outcomes["imports"] += 1
            except ConflictError:
                with lock:
                    outcomes["conflicts"] += 1

    def editor(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            series = rng.choice(codes)
            obs = Observation.objects.select_related("place", "series").get(
                place__code="5001", series__code=series, year=2024
            )
            value = rng.randint(1, 98) + 0.5  # never a value an importer writes
            try:
                saved = observation_edit(
                    place=obs.place,
                    series=obs.series,
                    year=2024,
                    expected_version=obs.version,
                    user=None,
                    value=str(value),
                )
                with lock:
                    saved_edits.append((saved.pk, saved.version, value))
                    outcomes["edits"] += 1
            except ConflictError:
                with lock:
                    outcomes["conflicts"] += 1

    def undoer() -> None:
        while time.monotonic() < stop:
            batch = ImportBatch.objects.filter(undone_at__isnull=True).order_by("-pk").first()
            if batch is None:
                time.sleep(0.05)
                continue
            try:
                import_undo(batch=batch, user=None)
                with lock:
                    outcomes["undos"] += 1
            except ConflictError:
                with lock:
                    outcomes["conflicts"] += 1
                time.sleep(0.05)

    threads = [_in_thread(lambda s=s: importer(s), failures) for s in (1, 2)]
    threads += [_in_thread(lambda s=s: editor(s), failures) for s in (3, 4, 5)]
    threads += [_in_thread(undoer, failures)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=THREAD_SECONDS * 10)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    assert failures == []
    assert outcomes["imports"] > 0 and outcomes["edits"] > 0, outcomes

    touched = Observation.objects.filter(place__code__in=["5001", "0301"], year=2024, series__code__in=codes)
    history: dict[int, list[ObservationHistory]] = {}
    for row in ObservationHistory.objects.filter(observation__in=touched).order_by("observation_id", "pk"):
        history.setdefault(row.observation_id, []).append(row)
    for obs in touched:
        chain = history[obs.pk]
        assert [r.version for r in chain] == list(range(chain[0].version, chain[0].version + len(chain)))
        for previous, row in itertools.pairwise(chain):
            assert row.before == previous.after, f"lost update on {obs.pk} at version {row.version}"
        assert obs.version == chain[-1].version
        assert obs.snapshot() == {**chain[-1].after}
    for pk, version, value in saved_edits:
        row = next(r for r in history[pk] if r.version == version)
        assert row.new_value == value  # every saved edit is in the chain, with its value
