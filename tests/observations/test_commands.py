"""`berekraft import`, `undo-import`, `history` and `template` from the command line."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from berekraft.observations.models import ImportBatch, Observation

pytestmark = pytest.mark.django_db

CSV = "place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,41\n3025,EN: EN: AQ: 1C,PM2.5,2023,6.5\n"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_dry_run_then_import_then_again_then_undo(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text(CSV, encoding="utf-8")
    dry = run("import", str(path), "--dry-run")
    assert "dry run, nothing written" in dry and "3025" in dry and "3203" in dry  # old Asker code mapped
    assert not ImportBatch.objects.exists()
    done = run("import", str(path))
    assert "2 changed" in done
    assert (
        Observation.objects.get(place__code="3203", series__code="EN: EN: AQ: 1C/PM2.5", year=2023).value
        == 6.5
    )
    assert "0 changed" in run("import", str(path))
    batch = ImportBatch.objects.get()
    assert "2 value(s) restored" in run("undo_import", str(batch.pk))
    history = run("history", "--member", "5001", "--indicator", "EC: I: WS: 1C")
    assert "values.csv" in history and "undo of import" in history


def test_a_bad_file_lists_problems_and_exits_with_status_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,410\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), stdout=out)
    assert caught.value.returncode == 2
    assert "bad.csv, row 2, value: is a percentage outside 0–100" in out.getvalue()


def test_an_unreadable_file_is_refused_with_status_2(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2 and "nothing was written" in str(caught.value)


def test_template_round_trip_through_import(tmp_path: Path) -> None:
    path = tmp_path / "molde.xlsx"
    assert "Molde" in run("template", "--member", "1506", "--year", "2023", "-o", str(path))
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    value_column = next(i for i, h in enumerate(header) if h and "value" in str(h).lower()) + 1
    code_column = 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=code_column).value == "EC: I: WS: 1C":
            sheet.cell(row=row, column=value_column, value=77.5)
    book.save(path)
    out = run("import", str(path))
    assert "1 changed" in out
    assert Observation.objects.get(place__code="1506", series__code="EC: I: WS: 1C", year=2023).value == 77.5


def test_fetch_ssb_imports_a_mapped_table_through_a_recorded_api(monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from berekraft.commands.management.commands import fetch
    from tests.importers.fake_ssb import FakeSsb, load

    ssb = FakeSsb(
        cubes={
            "09429": load("jsonstat/constructed_09429_education.json"),
            "07459": load("ssb/cube_07459_population.json"),
        }
    )
    monkeypatch.setattr(fetch, "TRANSPORT", httpx.MockTransport(ssb.handle))
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    out = run("fetch", "ssb", "09429", "--years", "2023", "2024", "--publish")
    assert "3025" in out and "3203" in out  # the old Asker code was mapped
    obs = Observation.objects.get(place__code="1103", series__code="SC: EH: ED: 3C", year=2024)
    assert (obs.value, obs.origin, obs.status, obs.published_value) == (18750.0, "ssb", "verified", 18750.0)
    assert ImportBatch.objects.get().reader == "ssb"


def test_fetch_of_an_unmapped_table_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from berekraft.commands.management.commands import fetch
    from tests.importers.fake_ssb import FakeSsb

    monkeypatch.setattr(fetch, "TRANSPORT", httpx.MockTransport(FakeSsb(cubes={}).handle))
    with pytest.raises(CommandError, match="not mapped"):
        run("fetch", "ssb", "99999")


def test_no_template_for_a_year_after_the_place_ended(tmp_path: Path) -> None:
    """Viken (30) ended on 2023-12-31: a 2024 workbook for it would invite values for no place."""
    path = tmp_path / "viken.xlsx"
    with pytest.raises(CommandError) as caught:
        run("template", "--member", "30", "--year", "2024", "-o", str(path))
    assert caught.value.returncode == 2
    assert "30 Viken did not exist in 2024: it ended on 2023-12-31" in str(caught.value)
    assert not path.exists()
    assert "Viken" in run("template", "--member", "30", "--year", "2023", "-o", str(path))


def test_an_import_for_a_place_after_it_ended_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_text(
        "place,indicator,series,year,value\n30,EC: I: WS: 1C,,2024,41\n1507,EC: I: WS: 1C,,2024,41\n",
        encoding="utf-8",
    )
    before = Observation.objects.count()
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), stdout=out)
    assert caught.value.returncode == 2
    text = out.getvalue()
    assert "row 2, place" in text and "row 3, place" in text and "1508" in text
    assert Observation.objects.count() == before and not ImportBatch.objects.exists()
