"""The verdicts of `make bench-norway`'s summary (bench/norway_summary.py) from the figures the
bench scripts write: each goal of issue 9 met or not, at its boundary, and parts that did not run
shown as such rather than as met."""

from __future__ import annotations

from typing import Any

from bench.norway_summary import MET, NO_GOAL, NO_PEER, NOT_MEASURED, NOT_MET, SKIPPED, render, summary_rows


def page(best_ms: float, size: int, first_ms: float | None = None) -> dict[str, float]:
    return {"first_ms": first_ms or best_ms, "best_ms": best_ms, "queries": 5, "bytes": size}


def figures(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"skipped": [], "failed": {}}
    return base | parts


def verdicts(found: dict[str, Any]) -> dict[str, str]:
    return {row.figure: row.verdict for row in summary_rows(found)}


def test_import_is_judged_on_time_and_peak_memory_and_the_first_recompute_on_time() -> None:
    steps = {
        "import": {"label": "import (all new)", "wall_s": 59.9, "cpu_s": 50, "peak_mb": 1024.0, "result": ""},
        "recompute": {"label": "recompute", "wall_s": 15.0, "cpu_s": 14, "peak_mb": 700, "result": ""},
        "again": {
            "label": "import again (0 changed)",
            "wall_s": 20,
            "cpu_s": 18,
            "peak_mb": 600,
            "result": "",
        },
    }
    found = verdicts(figures(**{"import": {"rows": 1_199_520, "steps": steps}}))
    assert found["import of 1,199,520 rows: time"] == MET
    assert found["import of 1,199,520 rows: peak memory"] == NOT_MET  # the goal is below 1 GB
    assert found["recompute after the import (first run, own process)"] == NOT_MET  # not below 15 s
    assert found["import again (0 changed)"] == NO_GOAL


def test_recompute_and_verify_against_their_goals() -> None:
    recompute = {
        "published_values": 1000,
        "full_s": 14.9,
        "partial_s": 2.0,
        "partial_kind": "partial",
        "verify_request_ms": 250.0,
        "verify_visible_s": 12.0,
    }
    found = verdicts(figures(recompute=recompute))
    assert found["recompute, full run (1,000 values, scores stored)"] == MET
    assert found["run after one changed value (partial)"] == NO_GOAL
    assert found["verify one value: request"] == NOT_MET
    assert found["verify one value: scores show it after"] == MET


def test_pages_are_judged_at_the_largest_size_html_on_size_too_twins_on_time_only() -> None:
    pages = {
        "sizes": [15, 100, 357],
        "pages": {
            # slow at 15 members, fast at 357: only the largest size counts
            "/": {"15": page(400, 10_000), "100": page(100, 10_000), "357": page(90, 900_000)},
            "/goals/11/": {"15": page(20, 10_000), "100": page(60, 10_000), "357": page(149, 1024 * 1024)},
            "/goals/11.json": {"15": page(20, 10_000), "100": page(60, 10_000), "357": page(120, 5_000_000)},
            "/goals/11.csv": {"15": page(20, 10_000), "100": page(60, 10_000), "357": page(150, 10_000)},
            "/compare/?series=x": {"15": page(5, 1), "100": page(5, 1), "357": page(5, 1)},
            "/compare.json?series=x": {"15": page(5, 1), "100": page(5, 1), "357": page(151, 1)},
            "/download/berekraft-data.zip": {"357": page(20, 9_000_000, first_ms=9000)},
        },
        "in_process_rps": {"357": {"compare_json": 80.0, "floor": 900.0}},
    }
    found = verdicts(figures(pages=pages))
    assert found["/"] == MET
    assert found["/goals/11/"] == NOT_MET  # 1 MB is not below 1 MB
    assert found["/goals/11.json"] == MET  # a twin's size has no goal
    assert found["/goals/11.csv"] == NOT_MET  # 150 ms is not below 150 ms
    assert found["/compare/?series=x"] == MET
    assert found["/compare.json?series=x"] == NOT_MET  # a query string does not make it HTML
    assert found["/download/berekraft-data.zip"] == NO_GOAL
    assert found["compare.json uncached, in-process, sequential"] == NO_GOAL
    row = next(r for r in summary_rows(figures(pages=pages)) if r.figure == "/goals/11/")
    assert row.value == "20 / 60 / 149 ms; 1,024 KB"  # growth over the sizes, size at the largest


def test_compare_json_against_datasette_and_alone_on_postgresql() -> None:
    def compare(ours: float, theirs: float | None) -> str:
        found = {"berekraft": {"rps": ours}, "datasette": {"rps": theirs} if theirs else None}
        return verdicts(figures(compare=found))["compare.json uncached req/s, 1 worker, wrk"]

    assert compare(500.0, 500.0) == MET
    assert compare(499.0, 500.0) == NOT_MET
    assert compare(95.0, None) == NO_PEER


def test_parts_that_did_not_run_are_neither_met_nor_hidden() -> None:
    found = figures(
        skipped=["import"],
        failed={"compare": "exit status 2", "recompute": "exit status 1"},
        recompute=None,
        pages=None,
    )
    rows = summary_rows(found)
    assert [r.verdict for r in rows] == [SKIPPED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED]
    assert "failed: exit status 2" in rows[-1].value
    # a run that stopped after its full run: the verify is reported missing, not met
    partial = verdicts(figures(recompute={"full_s": 3.0}, failed={"recompute": "exit status 1"}))
    assert partial["verify one value"] == NOT_MEASURED
    text = render("SQLite: summary", rows)
    assert text.splitlines()[0] == "SQLite: summary"
    assert text.endswith("goals met: 0 of 0; 3 not measured")
