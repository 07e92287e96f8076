"""The row-by-row plausibility warnings as they were before they became polars expressions
(issue 9): the reference for tests/core/test_validation_properties.py. Kept verbatim but for this
docstring.


- a jump from the previous year (in the file or the database) beyond the series' threshold;
- population denominators that vary more than 5 % within one submission (U4SSC Verification
  Manual §6.1: "variations over 5 % … should be investigated");
- a rate per 100 000 built on fewer than 5 events, which makes it volatile.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from berekraft.core.catalogue import Indicator, Series
from berekraft.core.problems import Problem, gettext_noop

POPULATION_TOLERANCE = 0.05  # U4SSC: investigate variations over 5 % within one submission
SMALL_COUNT = 5  # fewer events than this make a rate per 100 000 volatile
Params = tuple[tuple[str, object], ...]


def jump_threshold(series: Series) -> tuple[str, float]:
    """How far a value may move from the previous year before it is questioned.

    Shares: 20 percentage points; everything else: 50 % of the previous value.
    """
    return ("points", 20.0) if series.unit.strip() == "%" else ("relative", 0.5)


def _warn(
    file: str, row: dict[str, object], column: str, message: str, hint: str = "", params: Params = ()
) -> Problem:
    text = str(row["_row"])
    return Problem(
        message,
        file=f"{file}{' › ' + str(row['_sheet']) if row['_sheet'] else ''}",
        row=int(text) if text.isdigit() else None,
        column=column,
        hint=hint,
        severity="warning",
        params=params,
    )


def plausibility_warnings(
    rows: pl.DataFrame,
    units: Mapping[str, tuple[Indicator, Series]],
    *,
    file: str,
    previous: Mapping[tuple[str, str, int], float],
    populations: Mapping[str, int | None],
) -> list[Problem]:
    """Warnings for validated rows (place, series, year, value, numerator, denominator, _sheet, _row)."""
    found: list[Problem] = []
    in_file = {(r["place"], r["series"], r["year"]): r["value"] for r in rows.iter_rows(named=True)}
    for r in rows.iter_rows(named=True):
        indicator, series = units[r["series"]]
        key = (r["place"], r["series"], r["year"] - 1)
        before = in_file.get(key, previous.get(key))
        value = r["value"]
        if before is not None and value is not None and before != 0:
            kind, limit = jump_threshold(series)
            change = abs(value - before) if kind == "points" else abs(value - before) / abs(before)
            if change > limit:
                message = (
                    gettext_noop(
                        "changed %(change)s percentage points from %(year)s (%(before)s → %(value)s)"
                    )
                    if kind == "points"
                    else gettext_noop("changed %(change)s %% from %(year)s (%(before)s → %(value)s)")
                )
                shown = f"{change:.1f}" if kind == "points" else f"{change * 100:.0f}"
                found.append(
                    _warn(
                        file,
                        r,
                        "value",
                        message,
                        gettext_noop("Check the figure; explain a real change in the note"),
                        (
                            ("change", shown),
                            ("year", r["year"] - 1),
                            ("before", f"{before:g}"),
                            ("value", f"{value:g}"),
                        ),
                    )
                )
        if indicator.scale == 100_000:
            events = r["numerator"]
            if events is None and value is not None:
                population = populations.get(r["place"])
                if population:
                    events = value * population / 100_000
            if events is not None and events < SMALL_COUNT:
                found.append(
                    _warn(
                        file,
                        r,
                        "value",
                        gettext_noop("a rate per 100 000 built on about %(events)s events"),
                        gettext_noop("Small numbers make a rate volatile: consider a multi-year average"),
                        (("events", f"{events:.1f}"),),
                    )
                )
    per_100k = rows.filter(
        pl.col("series").is_in([c for c, (i, _) in units.items() if i.scale == 100_000])
        & pl.col("denominator").is_not_null()
    )
    for (place, year), group in per_100k.group_by(["place", "year"]):
        low, high = group["denominator"].min(), group["denominator"].max()
        if (
            isinstance(low, float)
            and isinstance(high, float)
            and low > 0
            and high / low - 1 > POPULATION_TOLERANCE
        ):
            rows_text = ", ".join(sorted(str(x) for x in group["_row"]))
            found.append(
                Problem(
                    gettext_noop(
                        "population denominators for %(place)s %(year)s vary %(spread)s %% (rows %(rows)s)"
                    ),
                    file=file,
                    column="denominator",
                    severity="warning",
                    hint=gettext_noop(
                        "U4SSC: population figures should agree within 5 %% across a submission"
                    ),
                    params=(
                        ("place", place),
                        ("year", year),
                        ("spread", f"{(high / low - 1) * 100:.0f}"),
                        ("rows", rows_text),
                    ),
                )
            )
    return found
