"""Read an analyst's tidy CSV (``place,indicator,year,value`` + optional ``series``, ``target``,
``direction``, ``baseline``) into an observations frame, reporting every problem with its row and
column.

A row's own ``target``, ``direction`` and ``baseline`` override the catalogue's. ``target`` is a
number, or ``low..high`` for a range. The target a row ends up with (its own, else the
catalogue's) must fit the direction it ends up with, or the row is a problem, never silently
unscored (:mod:`berekraft.core.directions` has the rules):

* ``range`` needs a ``low..high`` target; ``higher`` and ``lower`` need one number;
* a higher-is-better target must be above 0 (any value reaches 0);
* a lower-is-better target of 0 or less needs a ``baseline`` above it (the worst case, e.g. 100
  for a share): achievement is then the distance travelled from baseline to target;
* a baseline needs a target on the same row, below it for higher and above it for lower.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

import polars as pl

from berekraft.core.catalogue import Catalogue, normalise_code, parse_direction
from berekraft.core.numbers import is_ambiguous_number, parse_number
from berekraft.core.problems import Problem

REQUIRED = ("place", "indicator", "year", "value")
OPTIONAL = ("series", "target", "direction", "baseline")
YEARS = (1990, 2100)
_RANGE = re.compile(r"^\s*(-?[\d.eE+-]+)\s*(?:\.\.|–|—)\s*(-?[\d.eE+-]+)\s*$")


def read_tidy_csv(path: Path, catalogue: Catalogue) -> tuple[pl.DataFrame, list[Problem]]:
    """Parse and check the whole file; return (observations, problems). Any error → no frame rows."""
    name = path.name
    try:
        raw = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, UnicodeDecodeError, OSError) as exc:
        return _empty(), [
            Problem(
                f"cannot be read as CSV: {str(exc).splitlines()[0]}",
                file=name,
                hint="Save it as comma-separated UTF-8 text with a header row",
            )
        ]
    columns = {c.strip().lower(): c for c in raw.columns}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return _empty(), [
            Problem(
                f"missing column(s): {', '.join(missing)}",
                file=name,
                row=1,
                hint=f"The header must name {', '.join(REQUIRED)}; optional {', '.join(OPTIONAL)}",
            )
        ]
    problems: list[Problem] = []
    records = []
    seen: dict[tuple[str, str, int], int] = {}
    for index, row in enumerate(raw.iter_rows(named=True)):
        line = index + 2

        def cell(col: str, row: dict[str, str | None] = row) -> str:
            return (row.get(columns[col]) or "").strip() if col in columns else ""

        def bad(col: str, message: str, hint: str = "", value: str = "", line: int = line) -> None:
            problems.append(Problem(message, file=name, row=line, column=col, value=value, hint=hint))

        place = cell("place")
        if not place:
            bad("place", "is empty", "Give the place's name or code")
        code = normalise_code(cell("indicator"))
        indicator = catalogue.indicator(code)
        series_code = None
        catalogue_direction = None
        if indicator is None:
            bad(
                "indicator",
                "is not a U4SSC indicator code",
                "Use a code such as 'EC: ICT: ICT: 1C' (berekraft catalogue lists them)",
                cell("indicator"),
            )
        else:
            key = cell("series")
            keys = [s.key for s in indicator.series]
            if key:
                match = next((s for s in indicator.series if s.key.lower() == key.lower()), None)
                if match is None:
                    bad(
                        "series",
                        f"is not a series of {indicator.code}",
                        f"Use one of: {', '.join(k for k in keys if k) or '(none: leave it empty)'}",
                        key,
                    )
                else:
                    series_code = match.code
                    catalogue_direction = match.direction or indicator.direction
            elif len(indicator.series) > 1:
                bad(
                    "series",
                    f"{indicator.code} is measured as several series and needs one",
                    f"Use one of: {', '.join(keys)}",
                )
            else:
                series_code = indicator.series[0].code
                catalogue_direction = indicator.series[0].direction or indicator.direction
        year_text = cell("year")
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not YEARS[0] <= year <= YEARS[1]:
            bad(
                "year",
                "is not a year",
                f"Write a four-digit year between {YEARS[0]} and {YEARS[1]}",
                year_text,
            )
            year = None
        value_text = cell("value")
        value = parse_number(value_text) if value_text else None
        if value_text and value is None:
            if is_ambiguous_number(value_text):
                bad("value", *_ambiguous(value_text), value_text)
            else:
                bad(
                    "value",
                    "is not a number",
                    "Write a plain number such as 12.5 (no units or % sign)",
                    value_text,
                )
        target = lower = upper = None
        target_text = cell("target")
        if target_text:
            found = _RANGE.match(target_text)
            if found:
                lower, upper = parse_number(found.group(1)), parse_number(found.group(2))
                if lower is None or upper is None or lower > upper:
                    bad(
                        "target",
                        "is not a valid range",
                        "Write a range as low..high, e.g. 0.95..1.05",
                        target_text,
                    )
            else:
                target = parse_number(target_text)
                if target is None and is_ambiguous_number(target_text):
                    bad("target", *_ambiguous(target_text), target_text)
                elif target is None:
                    bad("target", "is not a number", "Write a number, or a range as low..high", target_text)
        direction = None
        direction_text = cell("direction")
        if direction_text:
            direction = parse_direction(direction_text)
            if direction is None:
                bad("direction", "is not a direction", "Write higher, lower or range", direction_text)
        baseline = None
        baseline_text = cell("baseline")
        if baseline_text:
            baseline = parse_number(baseline_text)
            if baseline is None and is_ambiguous_number(baseline_text):
                bad("baseline", *_ambiguous(baseline_text), baseline_text)
            elif baseline is None:
                bad("baseline", "is not a number", "Write the worst-case value, e.g. 100", baseline_text)
        if series_code is not None:
            _check_target_shape(
                bad,
                catalogue,
                series_code,
                catalogue_direction,
                (target, lower, upper, baseline),
                (target_text, direction, baseline_text),
            )
        if series_code and year is not None and place:
            first = seen.setdefault((place, series_code, year), line)
            if first != line:
                bad(
                    "value",
                    f"the same place, series and year is already on row {first}",
                    "Keep one row per place, series and year",
                )
        records.append(
            {
                "place": place,
                "series": series_code,
                "year": year,
                "value": value,
                "row_target": target,
                "row_target_lower": lower,
                "row_target_upper": upper,
                "row_direction": direction,
                "row_baseline": baseline,
            }
        )
    if problems:
        return _empty(), problems
    if not records:
        return _empty(), [Problem("has a header but no rows", file=name, hint="Add one row per value")]
    frame = pl.DataFrame(records, schema=_SCHEMA)
    return frame.with_columns(pl.lit(None, pl.Int64).alias("row_target_year")), []


def _ambiguous(text: str) -> tuple[str, str]:
    """Message and hint for ``1,000``: a thousands comma and a decimal comma cannot be told apart."""
    first, _, rest = text.strip().partition(",")
    whole = first + rest.replace(",", "")
    if "," in rest:
        return (
            "uses commas as thousands separators, which berekraft does not guess at",
            f"Write {whole} (a space between thousands is fine)",
        )
    decimal = f"{first}.{rest}"
    return (
        f"is ambiguous: {text.strip()} could be {whole} (a thousands comma) or {float(decimal)!r} "
        "(a decimal comma)",
        f"Write {whole}"
        + (f", or {_unambiguous_decimal(first, rest)} for the decimal" if "," not in rest else ""),
    )


def _unambiguous_decimal(first: str, rest: str) -> str:
    """``1,000`` → ``1,0``; ``12,345`` → ``12.345`` (a comma there would be ambiguous again)."""
    trimmed = rest.rstrip("0") or "0"
    return f"{first}.{rest}" if len(trimmed) == 3 else f"{first},{trimmed}"


class _Bad(Protocol):
    def __call__(self, col: str, message: str, hint: str = "", value: str = "") -> None: ...


def _check_target_shape(
    bad: _Bad,
    catalogue: Catalogue,
    series_code: str,
    catalogue_direction: str | None,
    numbers: tuple[float | None, float | None, float | None, float | None],
    texts: tuple[str, str | None, str],
) -> None:
    """Each way a row's target can fail to fit its direction is a problem with its fix."""
    target, lower, _upper, baseline = numbers
    target_text, row_direction, baseline_text = texts
    if target_text and target is None and lower is None:
        return  # already reported as not a number
    given = target is not None or lower is not None
    known = catalogue.target(series_code)
    direction = row_direction or catalogue_direction
    if given:
        is_range, value, base = lower is not None, target, baseline
    elif known is not None:
        is_range, value, base = known.lower is not None, known.value, known.baseline
    else:
        is_range, value, base = False, None, None
    if baseline is not None and not given:
        bad(
            "baseline",
            "a baseline needs a target on the same row",
            "Add the target, or leave the baseline out",
        )
        return
    if not (given or row_direction):
        return  # the catalogue's own pairing of target and direction (or no benchmark)
    where = "column" if row_direction else "catalogue"
    if direction == "range" and not is_range:
        if given:
            if row_direction:
                bad("target", "a range direction needs a range target", "Write it as low..high", target_text)
            else:
                bad(
                    "target",
                    f"{series_code} is scored against a range (the catalogue's direction is range)",
                    "Write the target as low..high, or add direction higher or lower",
                    target_text,
                )
        else:
            bad(
                "direction",
                "direction range needs a range target (the catalogue has none for this series)",
                "Add a target low..high on the row",
                "range",
            )
        return
    if direction in ("higher", "lower") and is_range:
        if given:
            if row_direction:
                bad(
                    "target",
                    f"a range target does not fit direction {direction}",
                    "Write one number",
                    target_text,
                )
            else:
                bad(
                    "target",
                    f"a range target needs direction range "
                    f"(the {where}'s direction for {series_code} is {direction})",
                    "Add direction range, or write one number",
                    target_text,
                )
        else:
            bad(
                "direction",
                f"direction {direction} needs a single-number target (the catalogue's is a range)",
                "Add a one-number target on the row, or leave the direction out",
                direction,
            )
        return
    if value is None:
        return
    if direction == "higher" and value <= 0:
        bad(
            "target",
            "a higher-is-better target must be above 0 (any value reaches it)",
            "Leave the target out, or give direction lower",
            target_text or str(value),
        )
    elif direction == "lower" and value <= 0 and base is None:
        bad(
            "target",
            "a lower-is-better target of 0 or less needs a baseline to be scored",
            "Add a baseline column with the worst case (e.g. 100 for a share)",
            target_text or str(value),
        )
    if base is not None and given:
        if direction == "lower" and base <= value:
            bad(
                "baseline",
                "must be above the target for lower is better",
                "Give the worst-case value",
                baseline_text,
            )
        elif direction == "higher" and base >= value:
            bad(
                "baseline",
                "must be below the target for higher is better",
                "Give the worst-case value",
                baseline_text,
            )


_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "place": pl.String,
    "series": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "row_target": pl.Float64,
    "row_target_lower": pl.Float64,
    "row_target_upper": pl.Float64,
    "row_direction": pl.String,
    "row_baseline": pl.Float64,
}


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=_SCHEMA)
