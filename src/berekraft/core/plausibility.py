"""Plausibility warnings: what does not block an import but a verifier should look at.

- a jump from the previous year (in the file or the database) beyond the series' threshold;
- population denominators that vary more than 5 % within one submission (U4SSC Verification
  Manual §6.1: "variations over 5 % … should be investigated");
- a rate per 100 000 built on fewer than 5 events, which makes it volatile.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import polars as pl

from berekraft.core.catalogue import Indicator, Series
from berekraft.core.problems import Problem, gettext_noop

col = pl.col
POPULATION_TOLERANCE = 0.05  # U4SSC: investigate variations over 5 % within one submission
SMALL_COUNT = 5  # fewer events than this make a rate per 100 000 volatile
Params = tuple[tuple[str, object], ...]
Key = tuple[str, str, int]  # (place, series, year)
PREVIOUS_SCHEMA = {"place": pl.String, "series": pl.String, "year": pl.Int64, "value": pl.Float64}


def jump_threshold(series: Series) -> tuple[str, float]:
    """How far a value may move from the previous year before it is questioned.

    Shares: 20 percentage points; everything else: 50 % of the previous value.
    """
    return ("points", 20.0) if series.unit.strip() == "%" else ("relative", 0.5)


def _where(file: str, sheet: str, row: str) -> tuple[str, int | None]:
    return f"{file}{' › ' + sheet if sheet else ''}", int(row) if row.isdigit() else None


def previous_frame(previous: Mapping[Key, float] | pl.DataFrame) -> pl.DataFrame:
    """Earlier values as a frame (place, series, year, value), from a frame or a mapping."""
    if isinstance(previous, pl.DataFrame):
        return previous.select(
            "place", "series", pl.col("year").cast(pl.Int64), pl.col("value").cast(pl.Float64)
        )
    return pl.DataFrame(
        [(*key, value) for key, value in previous.items()],
        schema=PREVIOUS_SCHEMA,
        orient="row",
    )


def _key_numbers(*frames: pl.DataFrame) -> Callable[[int], pl.Expr]:
    """An expression for a number per (place, series, year + shift) of the frames' rows: joins on
    one integer, not on two texts and a year (a million rows join in a fraction of the memory)."""
    places = pl.concat([f["place"] for f in frames]).unique().sort().to_list()
    series = pl.concat([f["series"] for f in frames]).unique().sort().to_list()

    def number(shift: int) -> pl.Expr:
        place = pl.col("place").replace_strict(places, range(len(places)), return_dtype=pl.Int64)
        code = pl.col("series").replace_strict(series, range(len(series)), return_dtype=pl.Int64)
        return ((place * len(series) + code) * 10_000 + pl.col("year") + shift).alias("k")

    return number


def plausibility_warnings(
    rows: pl.DataFrame,
    units: Mapping[str, tuple[Indicator, Series]],
    *,
    file: str,
    previous: Mapping[Key, float] | pl.DataFrame,
    populations: Mapping[str, int | None],
) -> list[Problem]:
    """Warnings for validated rows (place, series, year, value, numerator, denominator, _sheet, _row)
    with unique keys, in row order (a row's jump before its events), then the population spreads.

    The rules are polars expressions over all rows: the value a year before is the file's own
    (even «not reported») or else ``previous`` (the database's)."""
    codes = list(units)
    scale = pl.col("series").replace_strict(codes, [float(units[c][0].scale) for c in codes], default=None)
    points = pl.col("series").replace_strict(
        codes, [jump_threshold(units[c][1])[0] == "points" for c in codes], default=None
    )
    people = {code: float(n) for code, n in populations.items() if n}
    population = pl.col("place").replace_strict(list(people), list(people.values()), default=None)
    key = ["place", "series", "year"]
    stored = previous_frame(previous)
    number = _key_numbers(rows, stored)
    # The value of the year before: the file's own (even «not reported», null), else the stored one
    # (only stored values of keys not in the file: the two parts then never share a key).
    own = rows.select(number(0))
    earlier = pl.concat(
        [
            rows.select(number(1), "value"),
            stored.select(number(0), number(1).alias("next"), "value")
            .join(own, on="k", how="anti")
            .select(col("next").alias("k"), "value"),
        ]
    )
    looked = own.join(earlier.rename({"value": "before"}), on="k", how="left", maintain_order="left").select(
        "before"
    )
    value, before = pl.col("value"), pl.col("before")
    change = (
        pl.when(pl.col("points"))
        .then((value - before).abs())
        .otherwise((value - before).abs() / before.abs())
    )
    limit = pl.when(pl.col("points")).then(20.0).otherwise(0.5)
    events = pl.when(pl.col("scale") == 100_000).then(
        pl.coalesce("numerator", value * pl.col("population") / 100_000)
    )
    jump = (before.is_not_null() & value.is_not_null() & (before != 0) & (change > limit)).fill_null(False)
    frame = (
        pl.concat(
            [rows.select(*key, "value", "numerator", "denominator", "_sheet", "_row"), looked],
            how="horizontal",
        )
        .lazy()
        .with_columns(scale.alias("scale"), points.alias("points"), population.alias("population"))
        .with_columns(events.alias("events"), jump.alias("jump"))
        .with_columns((pl.col("events") < SMALL_COUNT).fill_null(False).alias("few"))
        .select(
            *key,
            "value",
            "denominator",
            "_sheet",
            "_row",
            "scale",
            "points",
            "before",
            "events",
            "jump",
            "few",
        )
        .collect()
    )
    found: list[Problem] = []
    flagged = frame.filter(pl.col("jump") | pl.col("few"))
    for r in flagged.iter_rows(named=True):
        where, row = _where(file, r["_sheet"], r["_row"])
        if r["jump"]:
            before_value, now = r["before"], r["value"]
            points = r["points"]
            moved = abs(now - before_value) if points else abs(now - before_value) / abs(before_value)
            message = (
                gettext_noop("changed %(change)s percentage points from %(year)s (%(before)s → %(value)s)")
                if points
                else gettext_noop("changed %(change)s %% from %(year)s (%(before)s → %(value)s)")
            )
            found.append(
                Problem(
                    message,
                    file=where,
                    row=row,
                    column="value",
                    hint=gettext_noop("Check the figure; explain a real change in the note"),
                    severity="warning",
                    params=(
                        ("change", f"{moved:.1f}" if points else f"{moved * 100:.0f}"),
                        ("year", r["year"] - 1),
                        ("before", f"{before_value:g}"),
                        ("value", f"{now:g}"),
                    ),
                )
            )
        if r["few"]:
            found.append(
                Problem(
                    gettext_noop("a rate per 100 000 built on about %(events)s events"),
                    file=where,
                    row=row,
                    column="value",
                    hint=gettext_noop("Small numbers make a rate volatile: consider a multi-year average"),
                    severity="warning",
                    params=(("events", f"{r['events']:.1f}"),),
                )
            )
    return found + _population_spreads(frame, file)


def _population_spreads(frame: pl.DataFrame, file: str) -> list[Problem]:
    """Population denominators of the rates per 100 000 of one place and year that differ by more
    than POPULATION_TOLERANCE."""
    spreads = (
        frame.filter((pl.col("scale") == 100_000) & pl.col("denominator").is_not_null())
        .group_by("place", "year", maintain_order=True)
        .agg(
            pl.col("denominator").min().alias("low"),
            pl.col("denominator").max().alias("high"),
            pl.col("_row"),
        )
        .filter((pl.col("low") > 0) & (pl.col("high") / pl.col("low") - 1 > POPULATION_TOLERANCE))
    )
    return [
        Problem(
            gettext_noop("population denominators for %(place)s %(year)s vary %(spread)s %% (rows %(rows)s)"),
            file=file,
            column="denominator",
            severity="warning",
            hint=gettext_noop("U4SSC: population figures should agree within 5 %% across a submission"),
            params=(
                ("place", place),
                ("year", year),
                ("spread", f"{(high / low - 1) * 100:.0f}"),
                ("rows", ", ".join(sorted(str(x) for x in rows))),
            ),
        )
        for place, year, low, high, rows in spreads.iter_rows()
    ]
