"""The summary table of ``make bench-norway`` (bench/norway_all.py): each figure, its goal from
issue 9 and whether it is met, from the figures the bench scripts write with ``--json``.

Pure (no Django, no database), so that tests/bench/test_norway_summary.py can check the verdicts.
The figures of one database are a dict of the parts' JSON, each None when the part did not run:

- ``import``: bench/import_norway.py (``rows``; ``steps``: per step ``wall_s``, ``peak_mb``, …);
- ``recompute``: bench/recompute.py (``full_s``, ``partial_s``, ``verify_request_ms``, …);
- ``pages``: bench/norway.py (``sizes``; ``pages``: URL → size → ``best_ms``, ``bytes``, …);
- ``compare``: bench/compare_twin.py (``berekraft`` and ``datasette``: ``rps``; ``ratio``);

and ``failed``: part → why it stopped, ``skipped``: the parts left out on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Goals of issue 9 on the 2-core machines.
PAGE_MS = 150.0  # every public page uncached, at 357 members
PAGE_BYTES = 1024 * 1024  # of HTML, at 357 members
VERIFY_REQUEST_MS = 200.0
VERIFY_VISIBLE_S = 30.0
IMPORT_S = 60.0  # 1.2 M rows
IMPORT_MB = 1024.0
RECOMPUTE_S = 15.0
COMPARE_RATIO = 1.0  # compare.json req/s ÷ Datasette's on the same database

MET, NOT_MET, NO_GOAL = "met", "NOT met", ""
NOT_MEASURED, SKIPPED, NO_PEER = "not measured", "skipped", "no peer"
PARTS = ("import", "recompute", "pages", "compare")


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    goal: str
    verdict: str


def _below(value: float, goal: float) -> str:
    return MET if value < goal else NOT_MET


def _missing(figures: dict[str, Any], part: str, figure: str) -> Row:
    """A row for a part without figures: left out, failed, or stopped before this figure."""
    if part in figures.get("skipped", ()):
        return Row(figure, "", "", SKIPPED)
    why = figures.get("failed", {}).get(part)
    return Row(figure, f"failed: {why}" if why else "", "", NOT_MEASURED)


def import_rows(figures: dict[str, Any]) -> list[Row]:
    found = figures.get("import")
    steps = (found or {}).get("steps", {})
    if "import" not in steps:
        return [_missing(figures, "import", "import of the Norway-sized file")]
    count = found["rows"] if found else 0
    first = steps["import"]
    rows = [
        Row(
            f"import of {count:,} rows: time",
            f"{first['wall_s']:.1f} s",
            f"< {IMPORT_S:.0f} s",
            _below(first["wall_s"], IMPORT_S),
        ),
        Row(
            f"import of {count:,} rows: peak memory",
            f"{first['peak_mb']:.0f} MB",
            f"< {IMPORT_MB:.0f} MB",
            _below(first["peak_mb"], IMPORT_MB),
        ),
    ]
    if "recompute" in steps:
        step = steps["recompute"]
        rows.append(
            Row(
                "recompute after the import (first run, own process)",
                f"{step['wall_s']:.1f} s, peak {step['peak_mb']:.0f} MB",
                f"< {RECOMPUTE_S:.0f} s",
                _below(step["wall_s"], RECOMPUTE_S),
            )
        )
    for name in ("again", "changed"):
        if name in steps:
            step = steps[name]
            value = f"{step['wall_s']:.1f} s, peak {step['peak_mb']:.0f} MB"
            rows.append(Row(step.get("label", name), value, "", NO_GOAL))
    return rows


def recompute_rows(figures: dict[str, Any]) -> list[Row]:
    found = figures.get("recompute") or {}
    if "full_s" not in found:
        return [_missing(figures, "recompute", "recompute, full run")]
    rows = [
        Row(
            f"recompute, full run ({found.get('published_values', 0):,} values, scores stored)",
            f"{found['full_s']:.1f} s",
            f"< {RECOMPUTE_S:.0f} s",
            _below(found["full_s"], RECOMPUTE_S),
        )
    ]
    if "partial_s" in found:
        kind = found.get("partial_kind", "partial")
        rows.append(Row(f"run after one changed value ({kind})", f"{found['partial_s']:.1f} s", "", NO_GOAL))
    if "verify_request_ms" in found:
        rows += [
            Row(
                "verify one value: request",
                f"{found['verify_request_ms']:.0f} ms",
                f"< {VERIFY_REQUEST_MS:.0f} ms",
                _below(found["verify_request_ms"], VERIFY_REQUEST_MS),
            ),
            Row(
                "verify one value: scores show it after",
                f"{found['verify_visible_s']:.1f} s",
                f"< {VERIFY_VISIBLE_S:.0f} s",
                _below(found["verify_visible_s"], VERIFY_VISIBLE_S),
            ),
        ]
    elif found:
        rows.append(_missing(figures, "recompute", "verify one value"))
    return rows


def is_html(url: str) -> bool:
    """A page (HTML) rather than a data twin or the download."""
    path = url.partition("?")[0]
    return not path.endswith((".json", ".csv", ".zip"))


def page_rows(figures: dict[str, Any]) -> list[Row]:
    """One row per URL: its best-of-3 uncached time at each size (growth visible) and its size at
    the largest; the goals apply at the largest size measured (issue 9: 357 members)."""
    found = figures.get("pages") or {}
    if not found.get("pages"):
        return [_missing(figures, "pages", "public pages and twins")]
    largest = str(max(found["sizes"]))
    rows = []
    for url, by_size in found["pages"].items():
        times = " / ".join(f"{m['best_ms']:.0f}" for m in by_size.values())
        at = by_size.get(largest)
        if at is None:
            rows.append(Row(url, f"{times} ms", "", NOT_MEASURED))
        elif url.endswith(".zip"):
            # Made once per score run and kept; best is the kept file sent.
            made = " / ".join(f"{m['first_ms']:.0f}" for m in by_size.values())
            value = f"made {made} ms, kept file {times} ms; {at['bytes'] / 1024:,.0f} KB"
            rows.append(Row(url, value, "", NO_GOAL))
        elif is_html(url):
            value = f"{times} ms; {at['bytes'] / 1024:,.0f} KB"
            ok = at["best_ms"] < PAGE_MS and at["bytes"] < PAGE_BYTES
            rows.append(Row(url, value, f"< {PAGE_MS:.0f} ms, < 1 MB", MET if ok else NOT_MET))
        else:
            value = f"{times} ms; {at['bytes'] / 1024:,.0f} KB"
            rows.append(Row(url, value, f"< {PAGE_MS:.0f} ms", _below(at["best_ms"], PAGE_MS)))
    rps = found.get("in_process_rps", {}).get(largest)
    if rps:
        rows.append(
            Row(
                "compare.json uncached, in-process, sequential",
                f"{rps['compare_json']:.0f} req/s (floor {rps['floor']:.0f})",
                "",
                NO_GOAL,
            )
        )
    return rows


def compare_rows(figures: dict[str, Any]) -> list[Row]:
    found = figures.get("compare") or {}
    figure = "compare.json uncached req/s, 1 worker, wrk"
    if not found.get("berekraft"):
        return [_missing(figures, "compare", figure)]
    ours = found["berekraft"]["rps"]
    goal = "≥ Datasette's"
    if not found.get("datasette"):
        return [Row(figure, f"{ours:.0f} (Datasette cannot serve PostgreSQL)", goal, NO_PEER)]
    theirs = found["datasette"]["rps"]
    ratio = ours / theirs if theirs else 0.0
    value = f"{ours:.0f} vs Datasette {theirs:.0f} ({ratio:.2f}×)"
    return [Row(figure, value, goal, MET if ratio >= COMPARE_RATIO else NOT_MET)]


def summary_rows(figures: dict[str, Any]) -> list[Row]:
    return import_rows(figures) + recompute_rows(figures) + page_rows(figures) + compare_rows(figures)


def render(title: str, rows: list[Row]) -> str:
    """The rows as a fixed-width table under ``title``, with a count of the goals met."""
    width = [max([len(h)] + [len(getattr(r, h)) for r in rows]) for h in ("figure", "value", "goal")]
    lines = [title, ""]
    lines.append(f"{'figure':<{width[0]}}  {'value':<{width[1]}}  {'goal':<{width[2]}}  result")
    lines.append("-" * (sum(width) + 6 + len(NOT_MEASURED)))
    for r in rows:
        lines.append(
            f"{r.figure:<{width[0]}}  {r.value:<{width[1]}}  {r.goal:<{width[2]}}  {r.verdict}".rstrip()
        )
    judged = [r for r in rows if r.verdict in (MET, NOT_MET)]
    met = sum(r.verdict == MET for r in judged)
    unmeasured = sum(r.verdict == NOT_MEASURED for r in rows)
    tail = f"goals met: {met} of {len(judged)}"
    if unmeasured:
        tail += f"; {unmeasured} not measured"
    lines += ["", tail]
    return "\n".join(lines)
