"""A member's local indicators: the rules for defining one, and how one is scored.

A member may measure what U4SSC does not (a local ambition on bicycle lanes, a council's own
climate target). A local indicator belongs to one member and is coded ``LOCAL:<member>:<slug>``,
which cannot collide with a U4SSC code (those are ``EC: ICT: ICT: 1C``: two letters first, and
never the word LOCAL). Its one series has the same code.

Scoring: the same lenses as every U4SSC series (:func:`berekraft.core.scoring.score_series`), so
the series gets % of target, band, normalised 0–100 and trend. It has no peers (one member owns
it), so the peer lens is empty: no network mean, index, rank or quartile. And it enters no
aggregate: category, sub-dimension, dimension, goal and overall scores are U4SSC-comparable and
are computed from U4SSC series only (:func:`score_local` is a run of its own; the U4SSC run never
sees a local series). The normalised lens's lower bound, where the target has no baseline, is the
2.5th percentile of the member's own values over the years, as for a U4SSC series it is over all
places and years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from berekraft.core.catalogue import DIRECTIONS, Direction, Indicator, Names, Series, normalise_code
from berekraft.core.numbers import parse_number
from berekraft.core.problems import Problem, gettext_noop
from berekraft.core.scoring import DEFAULT_PARAMS, ScoringParams, score_series

LOCAL_PREFIX = "LOCAL"
LOCAL_NODE = "LOCAL"  # the framework node of local indicators (category, sub-dimension, dimension)
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")
MAX_NAME = 200
MAX_UNIT = 100
TARGET_YEARS = (2000, 2100)

# What a peer lens would say; a local indicator has no peers, so these stay empty.
PEER_COLUMNS = ("peer_mean", "peer_count", "network_index", "rank", "quartile")


def local_code(member: str, slug: str) -> str:
    """``LOCAL:5001:sykkelveg``: the code of member 5001's local indicator ``sykkelveg``."""
    return f"{LOCAL_PREFIX}:{member}:{slug}"


def is_local_code(code: str) -> bool:
    return normalise_code(code).startswith(f"{LOCAL_PREFIX}: ")


@dataclass(frozen=True, slots=True)
class LocalIndicatorInput:
    """A local indicator as the member typed it (every field text; the rules are in ``check``)."""

    slug: str = ""
    name_nb: str = ""
    name_nn: str = ""
    name_en: str = ""
    unit: str = ""
    direction: str = ""
    definition: str = ""
    source: str = ""
    target: str = ""
    target_lower: str = ""
    target_upper: str = ""
    baseline: str = ""
    target_year: str = ""
    target_source: str = ""
    goals: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class LocalIndicator:
    """A checked local indicator: what is stored."""

    slug: str
    names: Names
    unit: str
    direction: Direction
    definition: str
    source: str
    target: float | None
    target_lower: float | None
    target_upper: float | None
    baseline: float | None
    target_year: int | None
    target_source: str
    goals: tuple[int, ...]

    @property
    def has_target(self) -> bool:
        return self.target is not None or self.target_lower is not None


def _problem(column: str, message: str, value: str = "", hint: str = "", **params: object) -> Problem:
    return Problem(message, column=column, value=value, hint=hint, params=tuple(params.items()))


def _number(column: str, text: str, problems: list[Problem]) -> float | None:
    if not text.strip():
        return None
    number = parse_number(text)
    if number is None:
        problems.append(
            _problem(
                column,
                gettext_noop("is not a number"),
                text,
                gettext_noop("Write a plain number such as 12.5 (decimal comma is fine)"),
            )
        )
    return number


def check(
    given: LocalIndicatorInput, *, taken: frozenset[str] = frozenset()
) -> tuple[LocalIndicator | None, list[Problem]]:
    """Every problem of a local indicator, each naming its field; the checked indicator if none.

    ``taken``: slugs the member already uses (for a new indicator; an edit keeps its slug).
    """
    problems: list[Problem] = []
    slug = given.slug.strip()
    if not SLUG.fullmatch(slug):
        problems.append(
            _problem(
                "slug",
                gettext_noop("is not a short code of lower-case letters a–z, digits and hyphens"),
                slug,
                gettext_noop("Write e.g. cycle-lanes (at most 40 characters)"),
            )
        )
    elif slug in taken:
        problems.append(
            _problem(
                "slug",
                gettext_noop("is already the code of another of your local indicators"),
                slug,
                gettext_noop("Choose another short code"),
            )
        )
    names = Names(given.name_en.strip(), given.name_nb.strip(), given.name_nn.strip())
    if not (names.en or names.nb or names.nn):
        problems.append(
            _problem(
                "name_nb", gettext_noop("is empty"), hint=gettext_noop("Give a name in at least one language")
            )
        )
    for column, text in (("name_nb", names.nb), ("name_nn", names.nn), ("name_en", names.en)):
        if len(text) > MAX_NAME:
            problems.append(_problem(column, gettext_noop("is longer than %(max)s characters"), max=MAX_NAME))
    unit = given.unit.strip()
    if not unit:
        problems.append(
            _problem("unit", gettext_noop("is empty"), hint=gettext_noop("Give the unit, e.g. km or %"))
        )
    elif len(unit) > MAX_UNIT:
        problems.append(_problem("unit", gettext_noop("is longer than %(max)s characters"), max=MAX_UNIT))
    direction = given.direction.strip().lower()
    if direction not in DIRECTIONS:
        problems.append(
            _problem(
                "direction",
                gettext_noop("is not higher, lower or range"),
                given.direction,
                gettext_noop("Choose whether higher or lower values are better, or a range"),
            )
        )
    target = _number("target", given.target, problems)
    lower = _number("target_lower", given.target_lower, problems)
    upper = _number("target_upper", given.target_upper, problems)
    baseline = _number("baseline", given.baseline, problems)
    if direction == "range":
        if target is not None:
            problems.append(
                _problem(
                    "target",
                    gettext_noop("is a single value, but the direction is a range"),
                    given.target,
                    gettext_noop("Give the range's lower and upper bound instead"),
                )
            )
        if (lower is None) != (upper is None) and not _has(problems, "target_lower", "target_upper"):
            missing = "target_upper" if upper is None else "target_lower"
            problems.append(
                _problem(missing, gettext_noop("is empty"), hint=gettext_noop("A range needs both bounds"))
            )
        if lower is not None and upper is not None and lower >= upper:
            problems.append(
                _problem(
                    "target_upper",
                    gettext_noop("is not above the lower bound (%(lower)s)"),
                    given.target_upper,
                    lower=f"{lower:g}",
                )
            )
    elif direction in ("higher", "lower"):
        for column, number in (("target_lower", lower), ("target_upper", upper)):
            if number is not None:
                problems.append(
                    _problem(
                        column,
                        gettext_noop("is a range bound, but the direction is not a range"),
                        f"{number:g}",
                        gettext_noop("Give one target value, or choose the direction range"),
                    )
                )
        if direction == "higher" and target is not None and target <= 0:
            problems.append(
                _problem(
                    "target",
                    gettext_noop("must be above 0 when higher is better"),
                    given.target,
                    gettext_noop("% of target is value ÷ target: a target of 0 or less measures nothing"),
                )
            )
        if direction == "lower" and target is not None and target <= 0:
            if baseline is None and not _has(problems, "baseline"):
                problems.append(
                    _problem(
                        "baseline",
                        gettext_noop("is needed when a lower-is-better target is 0 or less"),
                        hint=gettext_noop(
                            "Give the starting value the distance to the target is measured from"
                        ),
                    )
                )
            elif baseline is not None and baseline <= target:
                problems.append(
                    _problem(
                        "baseline",
                        gettext_noop("must be above the target"),
                        given.baseline,
                    )
                )
    has_target = target is not None or lower is not None or upper is not None
    year: int | None = None
    year_text = given.target_year.strip()
    if year_text:
        if (
            year_text.isascii()
            and year_text.isdigit()
            and TARGET_YEARS[0] <= int(year_text) <= TARGET_YEARS[1]
        ):
            year = int(year_text)
        else:
            problems.append(
                _problem(
                    "target_year",
                    gettext_noop("is not a year from %(first)s to %(last)s"),
                    year_text,
                    first=TARGET_YEARS[0],
                    last=TARGET_YEARS[1],
                )
            )
        if not has_target:
            problems.append(
                _problem("target_year", gettext_noop("is given, but there is no target"), year_text)
            )
    target_source = given.target_source.strip()
    if has_target and not target_source:
        problems.append(
            _problem(
                "target_source",
                gettext_noop("is empty"),
                hint=gettext_noop("Say where the target comes from, e.g. the council decision"),
            )
        )
    goals: list[int] = []
    for text in given.goals:
        text = text.strip()
        if text.isascii() and text.isdigit() and 1 <= int(text) <= 17:
            goals.append(int(text))
        elif text:
            problems.append(_problem("goals", gettext_noop("is not an SDG from 1 to 17"), text))
    if problems:
        return None, problems
    return (
        LocalIndicator(
            slug=slug,
            names=names,
            unit=unit,
            direction=direction,  # type: ignore[arg-type]  # checked against DIRECTIONS above
            definition=given.definition.strip(),
            source=given.source.strip(),
            target=target,
            target_lower=lower,
            target_upper=upper,
            baseline=baseline,
            target_year=year,
            target_source=target_source,
            goals=tuple(sorted(set(goals))),
        ),
        [],
    )


def _has(problems: list[Problem], *columns: str) -> bool:
    return any(p.column in columns for p in problems)


def catalogue_entry(
    *, code: str, names: Names, unit: str, direction: Direction, goals: tuple[int, ...]
) -> tuple[Indicator, Series]:
    """A local indicator as validation sees a catalogue indicator (one series, scale 1)."""
    series = Series(code=code, indicator=code, key="", names=names, direction=direction, unit=unit, order=0)
    indicator = Indicator(
        code=code,
        category=LOCAL_NODE,
        sub_dimension=LOCAL_NODE,
        dimension=LOCAL_NODE,
        names=names,
        type="local",
        kind="",
        unit=Names(unit, unit, unit),
        numerator=Names("", "", ""),
        denominator=Names("", "", ""),
        scale=1,
        direction=direction,
        goals=goals,
        sdg_indicators=(),
        definition=Names("", "", ""),
        source="",
        confidence="",
        note="",
        order=0,
        series=(series,),
    )
    return indicator, series


SERIES_META_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "series": pl.String,
    "indicator": pl.String,
    "category": pl.String,
    "sub_dimension": pl.String,
    "dimension": pl.String,
    "catalogue_direction": pl.String,
    "goals": pl.List(pl.Int64),
}


def series_meta(local: dict[str, tuple[Direction, tuple[int, ...]]]) -> pl.DataFrame:
    """The scoring input for local series (code → direction, goals), shaped as
    ``Catalogue.series_frame()``: each in the LOCAL node, outside the U4SSC tree."""
    return pl.DataFrame(
        [
            {
                "series": code,
                "indicator": code,
                "category": LOCAL_NODE,
                "sub_dimension": LOCAL_NODE,
                "dimension": LOCAL_NODE,
                "catalogue_direction": direction,
                "goals": list(goals),
            }
            for code, (direction, goals) in sorted(local.items())
        ],
        schema=SERIES_META_SCHEMA,
    )


def score_local(
    observations: pl.DataFrame,
    meta: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    params: ScoringParams = DEFAULT_PARAMS,
) -> pl.DataFrame:
    """Score local series through the same lenses; no peers, no aggregates.

    ``observations``: place, series, year, value of local series only (others are dropped by the
    join with ``meta``). Peer columns are empty: one member is not a network to compare with.
    """
    scored = score_series(observations, meta, targets, params=params, peers=[])
    return scored.with_columns([pl.lit(None, scored.schema[c]).alias(c) for c in PEER_COLUMNS])
