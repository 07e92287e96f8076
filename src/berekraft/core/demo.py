"""Deterministic DEMONSTRATION data: plausible values, never measurements.

The demo must show what the tool is for, so it draws a network that differs, not a uniform one:

* **Members differ.** Each member gets a *level* (strong … weak, spread evenly over the members in
  an order drawn from the seed) and an offset per U4SSC dimension (strong on the environment, weak
  on society, …). A series' *standing* (0 = the worst end of its plausible range, 1 = the best end,
  by the series' direction) starts at the member's level plus the dimension offset plus noise, so
  one member has series in several bands and the members' overall bands differ.
* **Real trends.** Most series are noisy but flat; some improve, some deteriorate (the series'
  network-wide drift in ``demo_ranges.csv`` decides which way is more likely).
* **Gaps.** A share of member-series is never reported (more for weak members, as in real
  networks), and some single years are missing.

Values always stay inside the series' plausible range (``data/catalogue/demo_ranges.csv``,
assumptions stated there). Each (place, series) gets its own random stream seeded from the seed and
the two codes, and every draw happens whatever the years asked for, so adding a series, a place or
a year leaves every other demo value as it was. Everything generated here is stored with origin
``demo`` and labelled as demonstration data.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

DEMO_SEED = 2039  # chosen (among 2020–2059) for a demo with overall bands 2, 3 and 4 across members

# Member levels run from STRONGEST down to WEAKEST (added to a mid standing of 0.5).
STRONGEST, WEAKEST = 0.55, -0.8
DIMENSION_SPREAD = 0.25  # a member's dimension offsets run from + this to − this
SERIES_SPREAD = 0.3  # a series' own offset from its member's level: Gaussian sd
YEAR_NOISE = 0.025  # year-to-year noise, in standing (share of the range)
TRENDING = 0.4  # share of member-series with a real trend; the rest are flat with noise
NEVER_REPORTED = (0.04, 0.18)  # share of a member's series never reported: strongest, weakest member
YEAR_GAP = 0.04  # chance that one year of a reported series is missing
EDGE = 0.05  # how far inside its range a series' trend line stays
MID_YEAR = 2020  # a series' start standing is where its trend line passes this year


@dataclass(frozen=True, slots=True)
class DemoRange:
    """A series' plausible range, its network-wide drift (up/down/flat) and which end is better."""

    series: str
    low: float
    high: float
    trend: str
    yes_no: bool = False
    lower_is_better: bool = False
    dimension: str = ""


def demo_ranges() -> dict[str, DemoRange]:
    text = (
        resources.files("berekraft.data").joinpath("catalogue", "demo_ranges.csv").read_text(encoding="utf-8")
    )
    return {
        r["series"]: DemoRange(r["series"], float(r["low"]), float(r["high"]), r["trend"].strip())
        for r in csv.DictReader(text.splitlines())
    }


def _stream(seed: int, place: str, series: str) -> random.Random:
    return random.Random(zlib.crc32(f"{seed}|{place}|{series}".encode()))


def member_levels(places: Mapping[str, object], *, seed: int = DEMO_SEED) -> dict[str, float]:
    """Each place's level, STRONGEST … WEAKEST spread evenly, in an order drawn from the seed.

    Evenly spread rather than drawn, so that every seed gives strong and weak members.
    """
    order = sorted(places, key=lambda code: (zlib.crc32(f"{seed}|level|{code}".encode()), code))
    if len(order) == 1:
        return {order[0]: 0.0}
    step = (STRONGEST - WEAKEST) / (len(order) - 1)
    return {code: STRONGEST - i * step for i, code in enumerate(order)}


def dimension_offsets(place: str, dimensions: list[str], *, seed: int = DEMO_SEED) -> dict[str, float]:
    """A member's offset per dimension, from +DIMENSION_SPREAD to −DIMENSION_SPREAD in an order drawn
    from the seed: every member has a strong and a weak dimension (even the strongest member has
    something to work on)."""
    order = sorted(dimensions)
    _stream(seed, place, "dimensions").shuffle(order)
    if len(order) == 1:
        return {order[0]: 0.0}
    step = 2 * DIMENSION_SPREAD / (len(order) - 1)
    return {dimension: DIMENSION_SPREAD - i * step for i, dimension in enumerate(order)}


def _drift(rng: random.Random, spec: DemoRange) -> float:
    """Change of standing per year: flat (most), improving or deteriorating."""
    trending, toward, size, flat = rng.random(), rng.random(), rng.uniform(0.02, 0.05), rng.uniform(-1, 1)
    if trending >= TRENDING:
        return flat * 0.004
    # The series' drift in value terms, turned into standing terms (up is good unless lower is better).
    expected = {"up": 1.0, "down": -1.0}.get(spec.trend, 0.0) * (-1.0 if spec.lower_is_better else 1.0)
    improving = toward < (0.75 if expected > 0 else 0.25 if expected < 0 else 0.6)
    return size if improving else -size


def series_values(rng: random.Random, spec: DemoRange, years: range, *, level: float) -> list[float]:
    """One place's values for one series over ``years``, around standing ``level`` (0.5 is middling).

    Draws are made in the same order whatever ``years`` is, so a value does not change when the
    years asked for grow.
    """
    span = spec.high - spec.low
    start = 0.5 + level + rng.gauss(0.0, SERIES_SPREAD)
    drift = _drift(rng, spec)
    if spec.yes_no:
        # The year a plan is adopted: early for a strong standing, later (or not yet) for a weak one.
        adopted = 2015 + round((1.0 - start) * 14) - 3 + rng.randint(-2, 2)
        return [spec.high if year >= adopted else spec.low for year in years]
    values = []
    for year in years:
        # The trend line stays a little inside the range, so that a series at one end still varies
        # from year to year rather than sitting on the bound.
        line = min(max(start + drift * (year - MID_YEAR), EDGE), 1.0 - EDGE)
        standing = min(max(line + rng.gauss(0.0, YEAR_NOISE), 0.0), 1.0)
        share = 1.0 - standing if spec.lower_is_better else standing
        values.append(round(spec.low + span * share, 3))
    return values


def _reported(rng: random.Random, level: float, years: range) -> list[bool]:
    """Whether each year is reported: a weak member leaves more series out, and some years are gaps."""
    weakness = (STRONGEST - level) / (STRONGEST - WEAKEST)
    never = rng.random() < NEVER_REPORTED[0] + (NEVER_REPORTED[1] - NEVER_REPORTED[0]) * weakness
    gaps = [rng.random() < YEAR_GAP for _ in years]
    return [not never and not gap for gap in gaps]


def generate(
    places: dict[str, range], ranges: dict[str, DemoRange], *, seed: int = DEMO_SEED
) -> Iterator[tuple[str, str, int, float]]:
    """Yield (place, series, year, value) for the reported values of every place (with its years)."""
    levels = member_levels(places, seed=seed)
    dimensions = sorted({spec.dimension for spec in ranges.values()})
    for place, years in places.items():
        offsets = dimension_offsets(place, dimensions, seed=seed)
        for series, spec in ranges.items():
            rng = _stream(seed, place, series)
            level = levels[place] + offsets[spec.dimension]
            values = series_values(rng, spec, years, level=level)
            reported = _reported(_stream(seed, place, f"reported|{series}"), levels[place], years)
            for year, value, shown in zip(years, values, reported, strict=True):
                if shown:
                    yield place, series, year, value
