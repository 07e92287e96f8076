"""``berekraft score`` and ``berekraft catalogue``: the analyst's path, with no database."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table

from berekraft.core.catalogue import Catalogue, Indicator, load_catalogue
from berekraft.core.engine import score
from berekraft.core.problems import Problem
from berekraft.core.tidy import read_tidy_csv

FORMATS = ("table", "json", "csv")
SERIES_COLUMNS = [
    "place",
    "indicator",
    "series",
    "year",
    "value",
    "direction",
    "target",
    "target_lower",
    "target_upper",
    "target_scope",
    "achievement",
    "points",
    "band",
    "normalised",
    "bound",
    "base_year",
    "cagr",
    "cagr_required",
    "trend_ratio",
    "trend",
    "peer_mean",
    "network_index",
    "rank",
    "quartile",
    "status",
]


def indicator_record(indicator: Indicator, catalogue: Catalogue) -> dict[str, Any]:
    category = catalogue.node(indicator.category)
    sub = catalogue.node(indicator.sub_dimension)
    dim = catalogue.node(indicator.dimension)
    return {
        "code": indicator.code,
        "name": indicator.names.en,
        "name_nb": indicator.names.nb,
        "name_nn": indicator.names.nn,
        "dimension": dim.names.en if dim else indicator.dimension,
        "sub_dimension": sub.names.en if sub else indicator.sub_dimension,
        "category": category.names.en if category else indicator.category,
        "type": indicator.type,
        "unit": indicator.unit.en,
        "direction": indicator.direction,
        "goals": list(indicator.goals),
        "series": [s.code for s in indicator.series],
        "numerator": indicator.numerator.en,
        "denominator": indicator.denominator.en,
        "scale": indicator.scale,
        "targets": [
            {
                "series": t.series,
                "value": t.value,
                "lower": t.lower,
                "upper": t.upper,
                "year": t.year,
                "source": t.source,
            }
            for s in indicator.series
            if (t := catalogue.target(s.code)) is not None
        ],
    }


def _write_csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in r.items()})
    return out.getvalue()


def catalogue_command(args: argparse.Namespace) -> int:
    catalogue = load_catalogue()
    if args.code:
        indicator = catalogue.indicator(args.code)
        if indicator is None:
            print(
                f"berekraft catalogue: no indicator {args.code!r}. Run 'berekraft catalogue' for the list.",
                file=sys.stderr,
            )
            return 2
        indicators = [indicator]
    else:
        indicators = list(catalogue.indicators)
    records = [indicator_record(i, catalogue) for i in indicators]
    if args.format == "json":
        print(json.dumps(records[0] if args.code else records, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(_write_csv([{k: v for k, v in r.items() if k != "targets"} for r in records]), end="")
    else:
        table = Table("code", "name", "category", "type", "unit", "direction", "goals", "series")
        for r in records:
            table.add_row(
                r["code"],
                r["name"],
                r["category"],
                r["type"],
                r["unit"],
                r["direction"],
                ",".join(map(str, r["goals"])),
                str(len(r["series"])),
            )
        Console().print(table)
    return 0


def _records(frame: pl.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    return frame.select([c for c in columns if c in frame.columns]).to_dicts()


def score_command(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"berekraft score: {path}: no such file", file=sys.stderr)
        return 2
    catalogue = load_catalogue()
    observations, problems = read_tidy_csv(path, catalogue)
    if problems:
        print(
            f"berekraft score: {path.name} has {len(problems)} problem(s); nothing was scored:",
            file=sys.stderr,
        )
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    result = score(observations, catalogue)
    order = {s.code: s.order for s in catalogue.series}
    series = result.series.with_columns(
        pl.col("points").alias("band"),
        pl.col("series").replace_strict(order, return_dtype=pl.Int32).alias("_order"),
    ).sort("place", "_order", "year")
    aggregates = result.aggregates.sort("place", "year", "level", "code")
    series_records = _records(series, SERIES_COLUMNS)
    aggregate_records = aggregates.to_dicts()
    if args.format == "json":
        print(
            json.dumps(
                {"series": series_records, "aggregates": aggregate_records},
                ensure_ascii=False,
                indent=1,
                allow_nan=False,
                default=str,
            )
        )
    elif args.format == "csv":
        print(_write_csv(series_records if args.part == "series" else aggregate_records), end="")
    else:
        _print_aggregates(result.aggregates, catalogue)
    return 0


def _print_aggregates(aggregates: pl.DataFrame, catalogue: Catalogue) -> None:
    table = Table("place", "year", "level", "code", "name", "points", "max", "%", "band", "scored", "0-100")
    shown = aggregates.filter(pl.col("level").is_in(["overall", "dimension", "sub_dimension", "category"]))
    order = {"overall": 0, "dimension": 1, "sub_dimension": 2, "category": 3}
    shown = shown.with_columns(pl.col("level").replace_strict(order, return_dtype=pl.Int8).alias("_o")).sort(
        "place", "year", "_o", "code"
    )
    for r in shown.iter_rows(named=True):
        node = catalogue.node(r["code"])
        table.add_row(
            r["place"],
            str(r["year"]),
            r["level"],
            r["code"],
            node.names.en if node else "all series",
            str(r["points"]),
            str(r["max_points"]),
            "–" if r["percent"] is None else f"{r['percent']:.2f}",
            str(r["band"] or "–"),
            str(r["scored"]),
            "–" if r["normalised"] is None else f"{r['normalised']:.1f}",
        )
    Console().print(table)


def _parser(command: str) -> argparse.ArgumentParser:
    if command == "catalogue":
        parser = argparse.ArgumentParser(
            prog="berekraft catalogue",
            description="List the U4SSC indicators, or show one by its code (e.g. 'EC: ICT: ICT: 1C').",
        )
        parser.add_argument("code", nargs="?", help="an indicator code")
    else:
        parser = argparse.ArgumentParser(
            prog="berekraft score",
            description=(
                "Score a tidy CSV (columns place,indicator,year,value; optional series,target,direction) "
                "through the U4SSC, normalised, trend and peer lenses, without a database. A row's own "
                "target and direction override the catalogue's. Exit status 2 lists every problem."
            ),
        )
        parser.add_argument("file", help="the CSV file")
        parser.add_argument(
            "--part",
            choices=("aggregates", "series"),
            default="aggregates",
            help="with --format csv: which records to write (default aggregates)",
        )
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    return parser


def main(command: str, argv: Sequence[str]) -> int:
    args = _parser(command).parse_args(list(argv))
    return catalogue_command(args) if command == "catalogue" else score_command(args)


__all__ = ["Problem", "main"]
