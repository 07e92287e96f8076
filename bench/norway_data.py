"""A Norway-sized tidy CSV for the import benchmark: every current municipality × every series of
the catalogue × ``years`` years, without gaps (357 × 112 × 30 ≈ 1.2 M rows).

    .venv/bin/python bench/norway_data.py OUT.csv [--members 357] [--years 30]

Built from the packaged geography (the 15 members of Bærekraftsnettverket first, then the current
municipalities by code, as ``bench/norway.py`` builds its network) and the packaged catalogue's
demonstration ranges (``core.demo``'s values: plausible, with trends and noise, so that the
plausibility warnings are as rare as in real data), with the columns a member's file has:
``place,indicator,series,year,value,quality,source``. Pure: no database, no Django.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import replace
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from berekraft.core import demo
from berekraft.core.catalogue import load_catalogue

LAST_YEAR = 2024
NETWORK = "baerekraftsnettverket"
SOURCE = "Demonstration data (bench/norway_data.py)"


def places(count: int, years: int = 30) -> dict[str, range]:
    """The network's own members first, then the current municipalities by code: ``count`` codes,
    each with the years it existed of the last ``years`` (Viken 30, a member until 2023, has
    2020–2023; a current place carries its series back across the reforms)."""
    geography = resources.files("berekraft.data").joinpath("geography")
    with geography.joinpath("networks.csv").open(encoding="utf-8") as handle:
        own = [r["member_code"] for r in csv.DictReader(handle) if r["network"] == NETWORK]
    with geography.joinpath("places.csv").open(encoding="utf-8") as handle:
        known = {r["code"]: r for r in csv.DictReader(handle)}
    current = sorted(c for c, r in known.items() if r["kind"] == "municipality" and not r["valid_to"])
    first = LAST_YEAR - years + 1
    spans = {}
    for code in (own + [c for c in current if c not in own])[:count]:
        start, end = known[code]["valid_from"], known[code]["valid_to"]
        # as bench/norway.py: only a place that has ended is cut to its own years
        begin = max(first, int(start[:4])) if start and end else first
        spans[code] = range(begin, (int(end[:4]) if end else LAST_YEAR) + 1)
    return spans


def ranges() -> dict[str, demo.DemoRange]:
    """The demonstration ranges with the catalogue's yes/no, direction and dimension (as
    ``observations.services.demo_ranges``, without the database)."""
    catalogue = load_catalogue()
    dimensions = {r["series"]: r["dimension"] for r in catalogue.series_frame().iter_rows(named=True)}
    series = {s.code: s for s in catalogue.series}
    return {
        code: replace(
            r,
            yes_no="yes/no" in series[code].unit.lower(),
            lower_is_better=series[code].direction == "lower",
            dimension=dimensions[code],
        )
        for code, r in demo.demo_ranges().items()
    }


def write(path: Path, *, members: int = 357, years: int = 30) -> int:
    """Write the CSV; returns the number of value rows."""
    codes = places(members, years)
    specs = ranges()
    levels = demo.member_levels(dict.fromkeys(codes), seed=demo.DEMO_SEED)
    dimensions = sorted({s.dimension for s in specs.values()})
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["place", "indicator", "series", "year", "value", "quality", "source"])
        for place, span in codes.items():
            offsets = demo.dimension_offsets(place, dimensions, seed=demo.DEMO_SEED)
            for code, spec in specs.items():
                rng = demo._stream(demo.DEMO_SEED, place, code)
                level = levels[place] + offsets[spec.dimension]
                indicator, _, key = code.partition("/")
                for year, value in zip(span, demo.series_values(rng, spec, span, level=level), strict=True):
                    out.writerow([place, indicator, key, year, f"{value:g}", "measured", SOURCE])
                    count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("out", type=Path)
    parser.add_argument("--members", type=int, default=357)
    parser.add_argument("--years", type=int, default=30)
    args = parser.parse_args()
    rows = write(args.out, members=args.members, years=args.years)
    print(f"{args.out}: {rows:,} rows, {args.out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
