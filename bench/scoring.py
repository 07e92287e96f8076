"""Benchmark: score 1,000 places × every catalogue series (112) × 10 years ≈ 1.1 M observations
through all four lenses and every aggregate, against the floor of the same machine.

Run: ``make bench`` (or ``.venv/bin/python bench/scoring.py [--places N]``). Prints seconds and
peak memory (resident set, as the OS counts it: polars allocates outside Python's tracemalloc).

The floor is the least work any aggregation over these columns must do: attach each observation's
category and sum the values per place, year and category (one join + one group-by), plus, for
reference, a bare sum of the value column. Goal (issue 2): scoring under 2 s and within 10× the floor.
"""

from __future__ import annotations

import argparse
import resource
import time

import polars as pl

from berekraft.core.catalogue import TARGET_SCHEMA, load_catalogue
from berekraft.core.engine import score


def synthetic(places: int, years: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    catalogue = load_catalogue()
    series = [s.code for s in catalogue.series]
    grid = (
        pl.DataFrame({"place": [f"P{i:05d}" for i in range(places)]})
        .join(pl.DataFrame({"series": series}), how="cross")
        .join(pl.DataFrame({"year": list(range(2015, 2015 + years))}), how="cross")
    )
    # Deterministic pseudo-random values 1–100 with a per-(place, series) level and a yearly drift.
    level = (pl.concat_str("place", "series").hash(7) % 9000).cast(pl.Float64) / 100.0 + 1.0
    drift = ((pl.concat_str("series", "place").hash(11) % 200).cast(pl.Float64) - 100.0) / 1000.0
    observations = grid.with_columns(
        (level * (1.0 + drift * (pl.col("year") - 2015))).clip(0.01, None).alias("value"),
        pl.col("year").cast(pl.Int64),
    )
    # Every series gets a target (default where one exists, else a synthetic one) so all lenses run.
    defaults = catalogue.targets_frame()
    missing = [s for s in series if s not in set(defaults["series"].to_list())]
    synthetic_targets = pl.DataFrame(
        {
            "series": missing,
            "place": [None] * len(missing),
            "target": [60.0] * len(missing),
            "target_lower": [None] * len(missing),
            "target_upper": [None] * len(missing),
            "baseline": [None] * len(missing),
            "target_year": [2030] * len(missing),
            "target_scope": ["network"] * len(missing),
        },
        schema=TARGET_SCHEMA,
    )
    return observations, pl.concat([defaults, synthetic_targets])


def floor(observations: pl.DataFrame) -> tuple[float, float]:
    meta = load_catalogue().series_frame().select("series", "category")
    start = time.perf_counter()
    observations.join(meta, on="series").group_by("place", "year", "category").agg(pl.col("value").sum())
    grouped = time.perf_counter() - start
    start = time.perf_counter()
    observations.select(pl.col("value").sum())
    return grouped, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    observations, targets = synthetic(args.places, args.years)
    catalogue = load_catalogue()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = score(observations, catalogue, targets=targets)
        timings.append(time.perf_counter() - start)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floors = [floor(observations) for _ in range(args.repeat)]
    grouped_floor = min(f[0] for f in floors)
    sum_floor = min(f[1] for f in floors)
    best = min(timings)
    print(f"observations            {observations.height:>12,}")
    print(f"series scores           {result.series.height:>12,}")
    print(f"aggregate scores        {result.aggregates.height:>12,}")
    print(
        f"scoring, best of {args.repeat}      {best:>12.3f} s   "
        f"(all runs: {', '.join(f'{t:.3f}' for t in timings)})"
    )
    print(f"floor: join + group-by  {grouped_floor:>12.3f} s   ratio {best / grouped_floor:.1f}x")
    print(f"floor: bare column sum  {sum_floor:>12.4f} s")
    print(f"peak RSS                {rss_after:>12.0f} MiB (before scoring: {rss_before:.0f} MiB)")
    print(
        f"goal: < 2 s {'MET' if best < 2 else 'MISSED'}; "
        f"within 10x floor {'MET' if best < 10 * grouped_floor else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
