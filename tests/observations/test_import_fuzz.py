"""Through the whole import path (reader → validation → write), a malformed file is answered with
clear problems and nothing is written: not one observation, history row or batch."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.registry import read_file
from berekraft.observations.imports import import_table
from berekraft.observations.models import ImportBatch, Observation, ObservationHistory

pytestmark = pytest.mark.django_db
LIMITS = Limits(max_bytes=200_000, max_rows=1_000, max_columns=50)

GOOD_ROWS = [
    ["5001", "EC: I: WS: 1C", "", "2024", "41"],
    ["1103", "EN: EN: AQ: 1C", "PM2.5", "2023", "6.5"],
    ["1506", "SC: SH: SA: 8C", "", "2022", "310"],
]
BAD_CELLS = {
    0: ["9999", "", "Oslo", "0", "K-5001x"],
    1: ["XX: 1", "", "EC: I: WS: 9C", "EN: EN: AQ: 1C"],
    2: ["PM3", "4G"],
    3: ["20x4", "1850", "", "2999", "-1"],
    4: ["abc", "150", "-5", "1e309", "12 %", "5 kWh", ""],
}


@st.composite
def broken_csv(draw: st.DrawFn) -> str:
    """A valid file with at least one cell broken in a way validation must catch."""
    rows = [list(r) for r in GOOD_ROWS]
    breaks = draw(
        st.lists(st.tuples(st.integers(0, 2), st.sampled_from(sorted(BAD_CELLS))), min_size=1, max_size=4)
    )
    for row, column in breaks:
        candidates = [
            c for c in BAD_CELLS[column] if not (column == 2 and rows[row][1] != "EN: EN: AQ: 1C" and c == "")
        ]
        rows[row][column] = draw(st.sampled_from(candidates))
    if draw(st.booleans()):
        rows.append(list(rows[0]))  # the same cell twice
    separator = draw(st.sampled_from([",", ";"]))
    lines = [separator.join(["place", "indicator", "series", "year", "value"])]
    lines += [separator.join(r) for r in rows]
    return "\n".join(lines) + "\n"


def counts() -> tuple[int, int, int]:
    return Observation.objects.count(), ObservationHistory.objects.count(), ImportBatch.objects.count()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=broken_csv())
def test_a_broken_file_writes_nothing(content: str) -> None:
    before = counts()
    values = {
        o.pk: o.value
        for o in Observation.objects.filter(
            year__in=(2022, 2023, 2024), place__code__in=("5001", "1103", "1506")
        )
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.csv"
        path.write_text(content, encoding="utf-8")
        try:
            reader, table = read_file(path, LIMITS)
        except InputError as exc:
            assert exc.problems and all(p.message for p in exc.problems)
            return
        report = import_table(table, file_name=path.name, checksum="x", reader=reader.name, user=None)
    if report.ok:
        # Some breaks are legal (e.g. 4G is a real series): then the file may be written.
        return
    assert all(p.row or p.column for p in report.errors)
    assert counts() == before
    after = {o.pk: o.value for o in Observation.objects.filter(pk__in=values)}
    assert after == values
