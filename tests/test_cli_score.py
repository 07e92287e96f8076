"""`berekraft score` and `berekraft catalogue`: the analyst's path without a database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from berekraft.cli import main

EDUCATION = ["SC: EH: ED: 1C", "SC: EH: ED: 2C", "SC: EH: ED: 3C", "SC: EH: ED: 4C"]


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["score", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def education_aggregate(result: dict, place: str) -> dict:  # type: ignore[type-arg]
    [row] = [
        a
        for a in result["aggregates"]
        if a["level"] == "category" and a["code"] == "SC: EH: ED" and a["place"] == place
    ]
    return row  # type: ignore[no-any-return]


def test_score_reproduces_the_first_published_worked_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Values chosen to land in bands 1, 3, 4, 1 against a target of 100 (20 %, 80 %, 99 %, 10 %).
    rows = "\n".join(
        f"Education,{code},2024,{v},100" for code, v in zip(EDUCATION, (20, 80, 99, 10), strict=True)
    )
    result = run_json(capsys, str(write(tmp_path, "place,indicator,year,value,target\n" + rows)))
    assert [s["points"] for s in result["series"]] == [1, 3, 4, 1]
    cat = education_aggregate(result, "Education")
    assert (cat["points"], cat["max_points"], cat["percent"], cat["band"]) == (9, 16, 56.25, 2)


def test_score_reproduces_the_second_published_worked_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "\n".join(
        f"Education,{code},2024,{v},100" for code, v in zip(EDUCATION, (70, 100, 50), strict=False)
    )
    result = run_json(capsys, str(write(tmp_path, "place,indicator,year,value,target\n" + rows)))
    cat = education_aggregate(result, "Education")
    assert (cat["points"], cat["max_points"], cat["percent"], cat["band"]) == (9, 12, 75.0, 3)


def test_score_uses_the_catalogue_target_and_direction_when_the_row_has_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Basic water supply has a default target of 100 % (SDG 6.1, universal access).
    path = write(tmp_path, "place,indicator,year,value\nX,EC: I: WS: 1C,2024,50\n")
    [row] = run_json(capsys, str(path))["series"]
    assert (row["target"], row["target_scope"], row["direction"], row["achievement"], row["points"]) == (
        100.0,
        "default",
        "higher",
        50.0,
        2,
    )


def test_score_accepts_codes_without_the_space_and_series_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "place,indicator,series,year,value\nX,SC: EH: ED:1C,,2024,90\nX,EN: EN: AQ: 1C,pm2.5,2024,5\n",
    )
    series = {s["series"] for s in run_json(capsys, str(path))["series"]}
    assert series == {"SC: EH: ED: 1C", "EN: EN: AQ: 1C/PM2.5"}


def test_bad_file_lists_every_problem_with_row_and_column_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "place,indicator,year,value,direction\n"
        "A,EC: ICT: ICT: 1C,2024,12,\n"
        "A,XX: 1,2024,12,\n"
        "A,EC: ICT: ICT: 1C,20x4,abc,\n"
        "A,EN: EN: AQ: 1C,2024,5,\n"
        "A,EC: ICT: ICT: 1C,2024,13,sideways\n",
    )
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert "nothing was scored" in err
    assert "data.csv, row 3, indicator: is not a U4SSC indicator code (got 'XX: 1')" in err
    assert "row 4, year: is not a year" in err
    assert "row 4, value: is not a number (got 'abc')" in err
    assert "row 5, series: EN: EN: AQ: 1C is measured as several series" in err
    assert "row 6, direction: is not a direction" in err
    assert "row 6, value: the same place, series and year is already on row 2" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "cannot be read"),
        ("place,year\nA,2020\n", "missing column(s): indicator, value"),
        ("place,indicator,year,value\n", "no rows"),
    ],
)
def test_unreadable_or_empty_files_get_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    assert main(["score", str(write(tmp_path, content))]) == 2
    assert message in capsys.readouterr().err


def test_binary_file_is_refused_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"PK\x03\x04\x00\xff\xfe\x00garbage")
    assert main(["score", str(path)]) == 2
    assert "x.csv" in capsys.readouterr().err


def test_score_csv_output_has_the_aggregate_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "place,indicator,series,year,value\nX,EC: I: WS: 1C,,2024,50\nX,EN: EN: AQ: 1C,PM10,2024,15\n",
    )
    assert main(["score", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {
        "level",
        "code",
        "place",
        "year",
        "points",
        "max_points",
        "percent",
        "band",
        "scored",
        "not_scored",
    } <= set(rows[0])
    assert {r["level"] for r in rows} == {
        "indicator",
        "category",
        "sub_dimension",
        "dimension",
        "goal",
        "overall",
    }


def test_catalogue_json_lists_all_91_with_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 91
    fields = {
        "code",
        "name",
        "dimension",
        "sub_dimension",
        "category",
        "type",
        "unit",
        "direction",
        "goals",
        "series",
    }
    assert all(fields <= set(r) for r in records)
    air = next(r for r in records if r["code"] == "EN: EN: AQ: 1C")
    assert air["series"] == [f"EN: EN: AQ: 1C/{k}" for k in ("PM2.5", "PM10", "NO2", "SO2", "O3")]
    assert air["dimension"] == "Environment" and air["direction"] == "lower" and air["goals"] == [11]


def test_catalogue_shows_one_indicator_and_refuses_an_unknown_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["catalogue", "SC: EH: ED:1C", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Student ICT Access"
    assert main(["catalogue", "NO: SUCH"]) == 2


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "migrate", "createsuperuser", "load-reference", "catalogue", "score"):
        assert command in out


ICT = "EC: ICT: ICT: 1C"  # higher is better, default target 100
SI = "SC: SH: SI: 1C"  # range, default target 0.95..1.05


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"A,{ICT},2024,50,0,,", "row 2, target: a higher-is-better target must be above 0"),
        (f"A,{ICT},2024,50,-5,,", "row 2, target: a higher-is-better target must be above 0"),
        (
            f"A,{ICT},2024,50,0,lower,",
            "row 2, target: a lower-is-better target of 0 or less needs a baseline",
        ),
        (f"A,{ICT},2024,50,10,lower,5", "row 2, baseline: must be above the target for lower is better"),
        (f"A,{ICT},2024,50,,,100", "row 2, baseline: a baseline needs a target on the same row"),
        (f"A,{ICT},2024,1,0.95..1.05,,", "row 2, target: a range target needs direction range"),
        (f"A,{ICT},2024,1,,range,", "row 2, direction: direction range needs a range target"),
        (f"A,{SI},2024,1,1,,", f"row 2, target: {SI} is scored against a range"),
        (f"A,{SI},2024,1,,higher,", "row 2, direction: direction higher needs a single-number target"),
    ],
)
def test_zero_targets_and_targets_that_do_not_fit_the_direction_are_listed_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, message: str
) -> None:
    path = write(tmp_path, "place,indicator,year,value,target,direction,baseline\n" + row + "\n")
    assert main(["score", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_lower_is_better_zero_target_is_scored_from_the_row_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Distance travelled from baseline 100 to target 0: (100 − 25) / (100 − 0) = 75 % → band 3.
    path = write(
        tmp_path, f"place,indicator,year,value,target,direction,baseline\nA,{ICT},2024,25,0,lower,100\n"
    )
    [row] = run_json(capsys, str(path))["series"]
    assert (row["achievement"], row["points"], row["target_scope"]) == (75.0, 3, "row")


def test_a_catalogue_range_series_without_a_target_is_not_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Waste "other" has the indicator's direction (range) and no target: no benchmark, not an error.
    path = write(tmp_path, "place,indicator,series,year,value\nA,EN: EN: WA: 1C,other,2024,5\n")
    [row] = run_json(capsys, str(path))["series"]
    assert row["status"] == "no_benchmark"


def _many_rows() -> str:
    """Twenty places × every catalogue series × ten years of arbitrary values (no demo data)."""
    from berekraft.core.catalogue import load_catalogue

    lines = ["place,indicator,series,year,value"]
    step = 0
    for place in range(20):
        for indicator in load_catalogue().indicators:
            for series in indicator.series:
                for year in range(2015, 2025):
                    step = (step * 1103515245 + 12345) % 2**31
                    lines.append(
                        f"P{place:02d},{indicator.code},{series.key},{year},{step % 100_000 / 997:.4f}"
                    )
    return "\n".join(lines) + "\n"


def test_score_output_is_identical_byte_for_byte_across_runs(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = write(tmp_path, _many_rows())
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "berekraft.cli", "score", str(path), "--format", "json"],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.append(done.stdout)
    assert len(outputs[0]) > 1_000_000
    assert outputs[0] == outputs[1] == outputs[2]


def test_an_ambiguous_thousands_comma_is_a_problem_naming_row_column_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, f'place,indicator,year,value,target\nA,{ICT},2024,"1,000",100\nA,{ICT},2025,"1,5",100\n'
    )
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert (
        "row 2, value: is ambiguous: 1,000 could be 1000 (a thousands comma) or 1.0 (a decimal comma)" in err
    )
    assert "Write 1000, or 1,0 for the decimal" in err
    assert "row 3" not in err


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_catalogue_piped_into_head_ends_quietly(fmt: str) -> None:
    import shutil
    import subprocess
    import sys

    head = shutil.which("head")
    assert head is not None
    command = f"'{sys.executable}' -m berekraft.cli catalogue --format {fmt} | '{head}' -1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip()
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.stderr == ""
