"""Deterministic DEMONSTRATION data: plausible values, never measurements.

Each (place, series) gets its own random stream seeded from the seed and the two codes, so adding a
series or a place leaves every other demo value as it was. Values start somewhere inside the
series' plausible range (``data/catalogue/demo_ranges.csv``, assumptions stated there) and drift
in the expected direction with a little noise, which gives believable trends for the pages to show.
Everything generated here is stored with origin ``demo`` and labelled as demonstration data.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

DEMO_SEED = 2030


@dataclass(frozen=True, slots=True)
class DemoRange:
    series: str
    low: float
    high: float
    trend: str
    yes_no: bool = False


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


def series_values(rng: random.Random, spec: DemoRange, years: range) -> list[float]:
    """One place's values for one series over ``years``."""
    span = spec.high - spec.low
    if spec.yes_no:
        switch = rng.randint(years.start, years.stop + 3)  # the year a plan/instrument is adopted
        return [1.0 if year >= switch else 0.0 for year in years]
    sign = {"up": 1.0, "down": -1.0}.get(spec.trend, 0.0)
    drift = sign * span * rng.uniform(0.01, 0.04) if sign else span * rng.uniform(-0.005, 0.005)
    steps = len(years) - 1
    start = spec.low + span * rng.uniform(0.15, 0.85)
    # Keep the whole path inside the range: start far enough from the end the drift runs toward.
    start = min(max(start - drift * steps / 2, spec.low), spec.high)
    values = []
    level = start
    for _ in years:
        noisy = level + rng.gauss(0.0, span * 0.01)
        values.append(round(min(max(noisy, spec.low), spec.high), 3))
        level += drift
    return values


def generate(
    places: dict[str, range], ranges: dict[str, DemoRange], *, seed: int = DEMO_SEED
) -> Iterator[tuple[str, str, int, float]]:
    """Yield (place, series, year, value) for every place (with its years) and series."""
    for place, years in places.items():
        for series, spec in ranges.items():
            rng = _stream(seed, place, series)
            for year, value in zip(years, series_values(rng, spec, years), strict=True):
                yield place, series, year, value
