"""Recording "not reported" over an existing value (issue 7, finding 21): a value cell of «-» in
the workbook (or the tidy CSV) clears the value. The clear is a change like any other: a history
row old → None, a draft that is submitted and verified (then the published value is gone and so is
its score), and undo puts the value back."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from berekraft.importers.registry import read_file
from berekraft.observations.imports import import_table
from berekraft.observations.models import ImportBatch, Observation, ObservationHistory
from berekraft.observations.reporting import limits
from berekraft.observations.undo import import_undo
from berekraft.observations.workbooks import template_for
from berekraft.observations.workflow import observations_submit, observations_verify
from berekraft.places.models import Place
from berekraft.scores.models import SeriesScore
from tests.tables import table

pytestmark = pytest.mark.django_db

SERIES = "EC: I: WS: 1C"


def current() -> Observation:
    return Observation.objects.get(place__code="5001", series__code=SERIES, year=2024)


def workbook_clearing(tmp_path: Path) -> Path:
    """The member's 2024 workbook as downloaded, with «-» typed over one value."""
    path = template_for(place=Place.objects.get(code="5001"), year=2024, path=tmp_path / "t.xlsx")
    book = load_workbook(path)
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    code, value = header.index("Kode / Code"), header.index("Verdi / Value")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[code].value == SERIES)
    row[value].value = "-"
    book.save(path)
    return path


def test_a_dash_in_the_workbook_clears_the_value_through_submit_verify_and_undo(
    tmp_path: Path, people: dict[str, User]
) -> None:
    before = current()
    assert before.value is not None and before.published_value is not None
    reader, rows = read_file(workbook_clearing(tmp_path), limits())
    report = import_table(rows, file_name="t.xlsx", checksum="x", reader=reader.name, user=people["editor_a"])
    assert report.ok, report.errors
    assert report.changed == 1  # only the cleared row: the rest is as downloaded
    cleared = current()
    assert (cleared.value, cleared.status, cleared.published_value) == (None, "draft", before.published_value)
    history = ObservationHistory.objects.get(observation=cleared, batch_id=report.batch_id)
    assert (history.old_value, history.new_value) == (before.value, None)

    assert observations_submit(place=cleared.place, year=2024, user=people["editor_a"]) >= 1
    assert current().status == "submitted"
    observations_verify(ids=[cleared.pk], user=people["verifier"])
    assert current().published_value is None
    assert not SeriesScore.objects.filter(place__code="5001", series__code=SERIES, year=2024).exists()

    import_undo(batch=ImportBatch.objects.get(pk=report.batch_id), user=people["verifier"], confirm=True)
    back = current()
    assert (back.value, back.published_value) == (before.value, before.published_value)
    assert SeriesScore.objects.filter(place__code="5001", series__code=SERIES, year=2024).exists()


def test_the_workbook_accepts_the_dash_in_the_value_column_and_explains_it(tmp_path: Path) -> None:
    path = template_for(place=Place.objects.get(code="5001"), year=2024, path=tmp_path / "t.xlsx")
    book = load_workbook(path)
    formulas = [dv.formula1 for dv in book["Data"].data_validations.dataValidation]
    assert any(f and '"-"' in f for f in formulas)
    guide = " ".join(
        str(c.value) for row in book["Veiledning - Instructions"].iter_rows() for c in row if c.value
    )
    assert "«-»" in guide and "not reported" in guide.lower()


def test_a_dash_in_the_tidy_csv_clears_too_and_over_nothing_writes_nothing() -> None:
    rows = table(
        {"place": "5001", "indicator": SERIES, "year": "2024", "value": "-"},
        {"place": "0301", "indicator": SERIES, "year": "2024", "value": "-"},  # Oslo: nothing there
    )
    report = import_table(rows, file_name="t.csv", checksum="x", reader="test", user=None)
    assert report.ok and (report.new, report.changed, report.unchanged) == (0, 1, 1)
    assert current().value is None
    assert not Observation.objects.filter(place__code="0301", series__code=SERIES).exists()


def test_a_dash_with_a_numerator_is_an_error_that_says_where() -> None:
    rows = table({"place": "5001", "indicator": SERIES, "year": "2024", "value": "-", "numerator": "4"})
    report = import_table(rows, file_name="t.csv", checksum="x", reader="test", user=None)
    assert not report.ok
    problem = report.errors[0]
    assert (problem.row, problem.column) == (2, "numerator")
