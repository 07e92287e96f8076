"""The U4SSC indicator catalogue: goals, framework tree, indicators, series and default targets.

Read from the CSV files packaged in ``berekraft/data/catalogue`` (sources in SOURCES.md there).
A *series* is what is measured and scored; most indicators have one series whose code is the
indicator's own code, a few (air pollution, mode share …) have several data points, coded
``"<indicator>/<key>"`` (``"EN: EN: AQ: 1C/PM2.5"``), which U4SSC scores one by one.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import polars as pl

Direction = Literal["higher", "lower", "range"]
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower", "range")
LANGUAGES = ("en", "nb", "nn")
LEVELS = ("dimension", "sub_dimension", "category")


@dataclass(frozen=True, slots=True)
class Names:
    """A name in English, bokmål and nynorsk."""

    en: str
    nb: str
    nn: str

    def get(self, language: str) -> str:
        return {"nb": self.nb, "nn": self.nn}.get(language, self.en) or self.en


@dataclass(frozen=True, slots=True)
class Goal:
    number: int
    names: Names
    colour: str


@dataclass(frozen=True, slots=True)
class FrameworkNode:
    """A dimension, sub-dimension or category of the U4SSC tree."""

    level: str
    code: str
    parent: str
    names: Names
    order: int


@dataclass(frozen=True, slots=True)
class Series:
    code: str
    indicator: str
    key: str
    names: Names
    direction: Direction | None
    unit: str
    order: int


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    category: str
    sub_dimension: str
    dimension: str
    names: Names
    type: str
    kind: str
    unit: Names
    numerator: Names
    denominator: Names
    scale: int
    direction: Direction
    goals: tuple[int, ...]
    sdg_indicators: tuple[str, ...]
    definition: Names
    source: str
    confidence: str
    note: str
    order: int
    series: tuple[Series, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Target:
    """A target for a series: a value (higher/lower) or a range, a year and where it comes from.

    ``baseline`` is the worst-case start value that a lower-is-better target of zero is measured
    from (distance travelled from baseline to target); ``scope`` is default, network or local.
    """

    series: str
    value: float | None
    lower: float | None
    upper: float | None
    baseline: float | None
    year: int | None
    source: str
    note: str = ""
    scope: str = "default"


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The whole catalogue. Compared and hashed by identity, so look-ups can be cached cheaply."""

    goals: tuple[Goal, ...]
    nodes: tuple[FrameworkNode, ...]
    indicators: tuple[Indicator, ...]
    targets: tuple[Target, ...]

    @property
    def series(self) -> Iterator[Series]:
        for indicator in self.indicators:
            yield from indicator.series

    def indicator(self, code: str) -> Indicator | None:
        return _index(self)[0].get(normalise_code(code))

    def series_by_code(self, code: str) -> Series | None:
        return _index(self)[1].get(normalise_code(code))

    def node(self, code: str) -> FrameworkNode | None:
        return _index(self)[2].get(code)

    def target(self, series: str) -> Target | None:
        return _index(self)[3].get(series)

    def series_frame(self) -> pl.DataFrame:
        """One row per series with its place in the tree, direction and SDG goals: the scoring input."""
        rows = [
            {
                "series": s.code,
                "indicator": i.code,
                "category": i.category,
                "sub_dimension": i.sub_dimension,
                "dimension": i.dimension,
                "catalogue_direction": s.direction,
                "goals": list(i.goals),
            }
            for i in self.indicators
            for s in i.series
        ]
        return pl.DataFrame(
            rows,
            schema={
                "series": pl.String,
                "indicator": pl.String,
                "category": pl.String,
                "sub_dimension": pl.String,
                "dimension": pl.String,
                "catalogue_direction": pl.String,
                "goals": pl.List(pl.Int64),
            },
        )

    def targets_frame(self) -> pl.DataFrame:
        """The default targets as a frame (see :func:`berekraft.core.scoring.TARGET_SCHEMA`)."""
        return targets_to_frame(self.targets)


TARGET_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "series": pl.String,
    "place": pl.String,
    "target": pl.Float64,
    "target_lower": pl.Float64,
    "target_upper": pl.Float64,
    "baseline": pl.Float64,
    "target_year": pl.Int64,
    "target_scope": pl.String,
}


def targets_to_frame(targets: tuple[Target, ...] | list[Target], place: str | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "series": t.series,
                "place": place,
                "target": t.value,
                "target_lower": t.lower,
                "target_upper": t.upper,
                "baseline": t.baseline,
                "target_year": t.year,
                "target_scope": t.scope,
            }
            for t in targets
        ],
        schema=TARGET_SCHEMA,
    )


_SPACES = re.compile(r"\s*:\s*")


@lru_cache(maxsize=8192)
def normalise_code(code: str) -> str:
    """Official KPI codes are printed both as ``SC: EH: ED:1C`` and ``SC: EH: ED: 1C``: accept both."""
    head, sep, key = code.strip().partition("/")
    head = _SPACES.sub(": ", head.strip()).upper()
    return f"{head}/{key.strip()}" if sep else head


def parse_direction(text: str) -> Direction | None:
    """``higher``/``lower``/``range``, also the long forms used in U4SSC material."""
    word = text.strip().lower().replace("-", "_")
    aliases = {
        "higher": "higher",
        "higher_is_better": "higher",
        "lower": "lower",
        "lower_is_better": "lower",
        "range": "range",
        "target_range": "range",
    }
    found = aliases.get(word)
    return found  # type: ignore[return-value]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("berekraft.data").joinpath("catalogue", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _names(row: dict[str, str], prefix: str = "name") -> Names:
    """``<prefix>_en``/``_nb``/``_nn``; a prefix without ``_en`` (``numerator``) is the English one."""
    en = row[f"{prefix}_en"] if f"{prefix}_en" in row else row[prefix]
    return Names(en, row.get(f"{prefix}_nb", ""), row.get(f"{prefix}_nn", ""))


@cache
def load_catalogue() -> Catalogue:
    """The packaged U4SSC catalogue (read once per process)."""
    goals = tuple(Goal(int(r["goal"]), _names(r), r["colour"]) for r in _rows("goals.csv"))
    nodes = tuple(
        FrameworkNode(r["level"], r["code"], r["parent"], _names(r), i)
        for i, r in enumerate(_rows("framework.csv"))
    )
    parents = {n.code: n.parent for n in nodes}
    series_rows: dict[str, list[dict[str, str]]] = {}
    for r in _rows("series.csv"):
        series_rows.setdefault(r["indicator"], []).append(r)
    indicators = []
    order = 0
    for i, r in enumerate(_rows("indicators.csv")):
        code = r["code"]
        direction = parse_direction(r["direction"])
        if direction is None:
            raise ValueError(f"indicators.csv: {code}: unknown direction {r['direction']!r}")
        names = _names(r)
        unit = Names(r["unit_en"], r["unit_nb"], r["unit_nn"])
        series = []
        for s in series_rows.get(code, [{"key": "", "name_en": "", "direction": direction}]):
            key = s["key"].strip()
            series.append(
                Series(
                    code=f"{code}/{key}" if key else code,
                    indicator=code,
                    key=key,
                    names=_names(s) if key else names,
                    direction=parse_direction(s.get("direction", "")) if key else direction,
                    unit=s.get("unit_en", "") or unit.en,
                    order=order,
                )
            )
            order += 1
        sub_dimension = parents[r["category"]]
        indicators.append(
            Indicator(
                code=code,
                category=r["category"],
                sub_dimension=sub_dimension,
                dimension=parents[sub_dimension],
                names=names,
                type=r["type"],
                kind=r["kind"],
                unit=unit,
                numerator=_names(r, "numerator"),
                denominator=_names(r, "denominator"),
                scale=int(r["scale"] or 1),
                direction=direction,
                goals=tuple(int(g) for g in r["goals"].split(";") if g.strip()),
                sdg_indicators=tuple(g.strip() for g in r["sdg_indicators"].split(";") if g.strip()),
                definition=Names(r["definition_en"], r.get("definition_nb", ""), r.get("definition_nn", "")),
                source=r["source"],
                confidence=r["confidence"],
                note=r["note"],
                order=i,
                series=tuple(series),
            )
        )
    targets = tuple(
        Target(
            series=r["series"],
            value=_float(r["value"]),
            lower=_float(r["lower"]),
            upper=_float(r["upper"]),
            baseline=_float(r["baseline"]),
            year=int(r["year"]) if r["year"].strip() else None,
            source=r["source"],
            note=r["note"],
        )
        for r in _rows("targets.csv")
    )
    return Catalogue(goals=goals, nodes=nodes, indicators=tuple(indicators), targets=targets)


@cache
def _index(
    catalogue: Catalogue,
) -> tuple[dict[str, Indicator], dict[str, Series], dict[str, FrameworkNode], dict[str, Target]]:
    return (
        {i.code: i for i in catalogue.indicators},
        {s.code: s for s in catalogue.series},
        {n.code: n for n in catalogue.nodes},
        {t.series: t for t in catalogue.targets},
    )
