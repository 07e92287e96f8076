"""SSB table → U4SSC series, by the YAML mapping in ``berekraft/data/ssb/mapping.yaml``.

A JSON-stat dataset from SSB (a file or a fetch) is filtered and summed per entry, then turned into
ImportTable rows: place = the region code, normalised (``K-3001`` → ``3001``, ``0`` (all of Norway)
→ ``NO``; old 2020–2023 codes are kept as given, and validation maps them to current places);
year = ``Tid`` as given. Placeholder regions (``xx99`` unknown municipality, ``21``–``23``
Svalbard/Jan Mayen/continental shelf, ``99``, ``9999``) and codes that are neither a municipality
nor a county (districts, economic regions) are left out, as are cells SSB gives no number for
(``..``, ``.``, ``:``). A row's ``note`` names the original region code and its SSB label whenever
the code was changed or the label marks an old code (``Asker (2020-2023)``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import polars as pl
import yaml

from berekraft.core.jsonstat import Dataset
from berekraft.importers.common import cell_text, table

col = pl.col
METHODS = ("as_is", "percent", "per_100k", "ratio")
PLACEHOLDERS = re.compile(r"^(\d\d99|21|22|23|99)$")
PLACE = re.compile(r"^(\d{2}|\d{4}|NO)$")
OLD_LABEL = re.compile(r"\(\s*\d{4}\s*-\s*\d{4}\s*\)")
Population = Mapping[str, Mapping[str, float]]  # place code → year → inhabitants


class MappingError(ValueError):
    """A mapping file that cannot be used (unknown method, missing field …)."""


@dataclass(frozen=True, slots=True)
class MappingEntry:
    id: str
    table: str
    contents: str
    series: str = ""
    provides: str = ""
    method: str = "as_is"
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sum_over: tuple[str, ...] = ()
    numerator: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    denominator: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scale: float = 1.0
    quality: str = "measured"
    confidence: str = "low"
    note: str = ""


def parse_mapping(data: Any) -> tuple[MappingEntry, ...]:
    """Check and convert a parsed mapping document; MappingError says which entry is wrong."""
    if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
        raise MappingError("a mapping is a YAML document with a list under 'entries'")
    entries = []
    for i, raw in enumerate(data["entries"]):
        where = f"entry {i + 1} ({raw.get('id', '?') if isinstance(raw, Mapping) else '?'})"
        if not isinstance(raw, Mapping) or not all(
            isinstance(raw.get(k), str) for k in ("id", "table", "contents")
        ):
            raise MappingError(f'{where}: needs id, table (quoted, e.g. "07459") and contents')
        method = str(raw.get("method", "as_is"))
        if method not in METHODS:
            raise MappingError(f"{where}: unknown method {method!r}; use one of {', '.join(METHODS)}")
        if bool(raw.get("series")) == bool(raw.get("provides")):
            raise MappingError(f"{where}: give either series or provides: population")
        entries.append(
            MappingEntry(
                id=raw["id"],
                table=raw["table"],
                contents=raw["contents"],
                series=str(raw.get("series") or ""),
                provides=str(raw.get("provides") or ""),
                method=method,
                filters=_codes(raw.get("filters"), where),
                sum_over=tuple(str(d) for d in raw.get("sum_over") or ()),
                numerator=_codes(raw.get("numerator"), where),
                denominator=_codes(raw.get("denominator"), where),
                scale=float(raw.get("scale", 1)),
                quality=str(raw.get("quality", "measured")),
                confidence=str(raw.get("confidence", "low")),
                note=" ".join(str(raw.get("note", "")).split()),
            )
        )
    return tuple(entries)


def _codes(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(isinstance(v, list) for v in raw.values()):
        raise MappingError(f"{where}: filters are dimension: [codes] (codes quoted)")
    return {str(k): tuple(str(c) for c in v) for k, v in raw.items()}


@cache
def default_mapping() -> tuple[MappingEntry, ...]:
    """The packaged mapping (berekraft/data/ssb/mapping.yaml)."""
    text = resources.files("berekraft.data").joinpath("ssb", "mapping.yaml").read_text(encoding="utf-8")
    return parse_mapping(yaml.safe_load(text))


def normalise_region(code: str) -> str:
    """SSB region code → berekraft place code: drop a ``K-``/``F-`` prefix, pad a municipality to
    four digits, and ``0`` (Hele landet) → ``NO``. Old codes are kept as they are."""
    text = code.strip()
    text = re.sub(r"^[KF]-", "", text)
    if text == "0":
        return "NO"
    if text.isdigit() and len(text) == 3:
        return text.zfill(4)
    return text


def _group_sum(frame: pl.DataFrame, keys: list[str], name: str) -> pl.DataFrame:
    """Sum per key; a group with any missing cell is missing (a partial sum would mislead)."""
    return frame.group_by(keys, maintain_order=True).agg(
        pl.when(pl.col("value").null_count() == 0).then(pl.col("value").sum()).otherwise(None).alias(name),
        pl.col("status").drop_nulls().unique().sort().str.join(" ").alias(f"{name}_status"),
    )


def _select(dataset: Dataset, entry: MappingEntry, extra: Mapping[str, tuple[str, ...]]) -> pl.DataFrame:
    frame = dataset.frame
    metric = dataset.role_dimension("metric")
    if metric is not None:
        frame = frame.filter(pl.col(metric) == entry.contents)
    for dimension, codes in {**entry.filters, **extra}.items():
        frame = frame.filter(pl.col(dimension).is_in(list(codes)))
    return frame


def check_entry(dataset: Dataset, entry: MappingEntry) -> list[str]:
    """What makes an entry unusable for this dataset (missing dimensions, a breakdown left open)."""
    region, time, metric = (dataset.role_dimension(r) for r in ("geo", "time", "metric"))
    problems = []
    if region is None or time is None:
        problems.append("the dataset has no Region or no Tid dimension")
    named = {*entry.filters, *entry.sum_over, *entry.numerator, *entry.denominator}
    problems += [f"the dataset has no dimension {d!r}" for d in sorted(named - set(dataset.ids))]
    contents = dataset.dimension(metric) if metric else None
    if contents is not None and entry.contents not in contents.codes:
        problems.append(f"the dataset has no {metric} {entry.contents!r}")
    for d in dataset.dimensions:
        if d.id not in {region, time, metric, *named} and len(d.codes) > 1:
            problems.append(
                f"dimension {d.id!r} has {len(d.codes)} categories; the mapping neither filters nor sums it"
            )
    return problems


def entry_values(dataset: Dataset, entry: MappingEntry) -> pl.DataFrame:
    """(region, time, x, x_status[, d, d_status]) per region and year for one entry."""
    region, time = dataset.role_dimension("geo"), dataset.role_dimension("time")
    keys = [str(region), str(time)]
    x = _group_sum(_select(dataset, entry, entry.numerator), keys, "x")
    if entry.method != "ratio":
        return x
    return x.join(_group_sum(_select(dataset, entry, entry.denominator), keys, "d"), on=keys, how="left")


def population_from(dataset: Dataset, entries: Sequence[MappingEntry]) -> dict[str, dict[str, float]]:
    """Inhabitants per place and year from the dataset's ``provides: population`` entries."""
    population: dict[str, dict[str, float]] = {}
    for entry in entries:
        if entry.provides != "population" or entry.table != dataset.table_id or check_entry(dataset, entry):
            continue
        for place, year, x, _ in entry_values(dataset, entry).iter_rows():
            if x is not None:
                population.setdefault(normalise_region(place), {})[year] = x
    return population


def map_dataset(
    dataset: Dataset,
    entries: Sequence[MappingEntry],
    *,
    population: Population | None = None,
    population_source: str = "gitt ved import",
) -> tuple[pl.DataFrame, list[str]]:
    """The ImportTable rows of every series entry for the dataset's table, and what kept an entry out.
    ``population`` (place → year → inhabitants) wins over population found in the dataset itself;
    ``population_source`` says where it came from, for the rows' source."""
    table_id = dataset.table_id
    mine = [e for e in entries if e.table == table_id]
    people = (_population_frame(population or {}), _population_frame(population_from(dataset, mine)))
    skipped: list[str] = []
    frames: list[pl.DataFrame] = []
    region = dataset.dimension(str(dataset.role_dimension("geo")))
    labels = dict(zip(region.codes, region.labels, strict=True)) if region else {}
    regions = _regions(pl.Series(region.codes if region else [], dtype=pl.String), labels)
    for entry in (e for e in mine if e.series):
        problems = check_entry(dataset, entry)
        if problems:
            skipped += [f"{entry.id}: {p}" for p in problems]
            continue
        frames.append(_entry_rows(dataset, entry, people, regions, population_source))
    return (pl.concat(frames) if frames else table([])), skipped


def _population_frame(population: Population) -> pl.DataFrame:
    return pl.DataFrame(
        [(place, str(year), n) for place, years in population.items() for year, n in years.items()],
        schema={"place": pl.String, "year": pl.String, "inhabitants": pl.Float64},
        orient="row",
    )


def _regions(codes: pl.Series, labels: Mapping[str, str]) -> pl.DataFrame:
    """Per region code of the dataset: the place, whether it is one (not a placeholder, a district
    or an economic region) and the note that names the code when it was changed or is old."""
    records = []
    for original in codes.to_list():
        place = normalise_region(original)
        label = labels.get(original, "")
        note = f"SSB Region {original} «{label}»" if place != original or OLD_LABEL.search(label) else ""
        records.append((original, place, not PLACEHOLDERS.match(place) and bool(PLACE.match(place)), note))
    schema = {"original": pl.String, "place": pl.String, "is_place": pl.Boolean, "region_note": pl.String}
    return pl.DataFrame(records, schema=schema, orient="row")


def _cell_texts(values: pl.Series) -> pl.Series:
    """``cell_text`` of every number ("" for none), as the spreadsheet readers write numbers."""
    return pl.Series(values.name, [cell_text(v) for v in values.to_list()], dtype=pl.String)


def _entry_rows(
    dataset: Dataset,
    entry: MappingEntry,
    people: tuple[pl.DataFrame, pl.DataFrame],
    regions: pl.DataFrame,
    population_source: str,
) -> pl.DataFrame:
    """The ImportTable rows of one entry, as polars expressions over its regions and years; the
    people are (population given by the caller, population in the file), per place and year;
    ``regions`` what ``_regions`` says of the dataset's region codes."""
    region_id, time_id = str(dataset.role_dimension("geo")), str(dataset.role_dimension("time"))
    values = entry_values(dataset, entry).rename({region_id: "original", time_id: "year"})
    frame = values.join(regions, on="original", how="left", maintain_order="left").filter(
        col("is_place") & col("x").is_not_null()
    )
    source = f"SSB, tabell {dataset.table_id} ({entry.contents}), CC BY 4.0"
    x, nothing = col("x"), pl.lit(None, pl.Float64)
    if entry.method == "ratio":
        frame = frame.filter(col("d").is_not_null() & (col("d") != 0))
        frame = frame.with_columns((x / col("d") * entry.scale).alias("value"), col("d").alias("per"))
    elif entry.method == "per_100k":
        given, own = (
            frame.select("place", "year").join(p, on=["place", "year"], how="left", maintain_order="left")
            for p in people
        )
        frame = frame.with_columns(given["inhabitants"].alias("given"), own["inhabitants"].alias("own"))
        truthy = col("given").is_not_null() & (col("given") != 0)
        per = pl.when(truthy).then("given").otherwise("own")
        frame = frame.with_columns(per.alias("per")).with_columns(
            pl.when(col("per") != 0).then(x / col("per") * 100_000).alias("value"),
            pl.when(col("per") != 0).then("per").alias("per"),
            pl.when(col("per") != 0)
            .then(
                pl.lit(source + "; folkemengde: ")
                + pl.when(truthy)
                .then(pl.lit(population_source))
                .otherwise(pl.lit(f"SSB, tabell {dataset.table_id}"))
            )
            .otherwise(pl.lit(source))
            .alias("source"),
        )
    else:
        frame = frame.with_columns(x.alias("value"), nothing.alias("per"))
    if "source" not in frame.columns:
        frame = frame.with_columns(pl.lit(source).alias("source"))
    statuses = [col(c).fill_null("") for c in ("x_status", "d_status") if c in frame.columns]
    status = pl.concat_list(statuses).list.eval(pl.element().filter(pl.element() != "")).list.join(" ")
    missing = pl.when(col("value").is_null()).then(pl.format("population missing for {} {}", "place", "year"))
    notes = (
        pl.concat_list(
            col("region_note"),
            pl.when(status != "").then(pl.lit("SSB status ") + status).otherwise(pl.lit("")),
            missing.fill_null(""),
        )
        .list.eval(pl.element().filter(pl.element() != ""))
        .list.join("; ")
    )
    indicator, _, key = entry.series.partition("/")
    counted = entry.method in ("ratio", "per_100k")
    return frame.select(
        pl.lit("").alias("_sheet"),
        pl.format(f"{region_id}={{}}, {time_id}={{}}", "original", "year").alias("_row"),
        "place",
        pl.lit(indicator.strip()).alias("indicator"),
        pl.lit(key.strip()).alias("series"),
        "year",
        _cell_texts(frame["value"]).alias("value"),
        (_cell_texts(frame["x"]) if counted else pl.lit("")).alias("numerator"),
        _cell_texts(frame["per"]).alias("denominator"),
        pl.lit(entry.quality).alias("quality"),
        pl.lit("ssb").alias("origin"),
        "source",
        notes.alias("note"),
    )
