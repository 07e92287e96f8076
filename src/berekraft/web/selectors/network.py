"""The network home: member cards and the map's measure (a dimension, goal, series or overall)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext as _

from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.web.selectors.common import (
    DIMENSIONS,
    Catalogue,
    Member,
    SeriesInfo,
    headline_year,
    members_page,
)
from berekraft.web.tables import Column, Table


@dataclass(frozen=True)
class Measure:
    """What the map colours by. ``key``: ``overall``, ``dimension:EC``, ``goal:3`` or
    ``series:<slug>``. Aggregates are shown as % of target; a series as its value."""

    key: str
    label: str
    level: str
    code: str
    series: SeriesInfo | None = None

    @property
    def is_series(self) -> bool:
        return self.series is not None


def measures(catalogue: Catalogue) -> list[Measure]:
    result = [Measure("overall", _("Overall score"), "overall", "all")]
    for n in catalogue.level("dimension"):
        result.append(Measure(f"dimension:{n.code}", n.name(catalogue.language), "dimension", n.code))
    for g in catalogue.goals:
        label = _("SDG %(number)s: %(name)s") % {"number": g.number, "name": g.name(catalogue.language)}
        result.append(Measure(f"goal:{g.number}", label, "goal", str(g.number)))
    for s in catalogue.series:
        result.append(Measure(f"series:{s.slug}", f"{s.code} {s.name}", "series", s.code, s))
    return result


def measure(catalogue: Catalogue, key: str | None) -> Measure:
    options = measures(catalogue)
    return next((m for m in options if m.key == key), options[0])


class CardScore(NamedTuple):
    """The fields of an AggregateScore a card shows (read as values: hundreds of cards)."""

    percent: float | None
    band: int | None
    coverage: float
    scored: int
    reported: int
    catalogue_count: int


CARD_FIELDS = ("place_id", "code", "year", *CardScore._fields)


@dataclass
class MemberCard:
    member: Member
    year: int | None
    dimensions: dict[str, CardScore | None]
    overall: CardScore | None
    previous: CardScore | None
    value: float | None
    band: int | None

    @property
    def change(self) -> float | None:
        """Overall % of target compared with the year before, in percentage points."""
        if self.overall and self.previous and self.overall.percent is not None:
            return self.overall.percent - (self.previous.percent or 0.0)
        return None


@dataclass
class NetworkHome:
    """``members``: every member, with the measure's value and band in ``year`` (the map, its
    table, the count); ``cards``: the members whose cards are shown, with their headline scores
    (with a page, MEMBERS_PER_PAGE of them, and only these members' cards carry their scores; the
    twins: every member)."""

    members: list[MemberCard]
    measure: Measure
    year: int
    years: list[int]
    dimension_names: dict[str, str]
    has_demo_data: bool
    cards: list[MemberCard]
    page: int = 1
    pages: int = 1

    def table(self) -> Table:
        columns = [
            Column("code", _("Code")),
            Column("name", _("Member")),
            Column("kind", _("Kind")),
            Column("year", _("Year")),
            Column("measure", self.measure.label),
            Column("EC", self.dimension_names.get("EC", "EC")),
            Column("EN", self.dimension_names.get("EN", "EN")),
            Column("SC", self.dimension_names.get("SC", "SC")),
            Column("overall", _("Overall score")),
            Column("coverage", _("Coverage")),
        ]
        rows = []
        for c in self.members:
            rows.append(
                {
                    "code": c.member.code,
                    "name": c.member.name,
                    "kind": c.member.kind,
                    "year": c.year,
                    "measure": c.value,
                    **{d: (s.percent if (s := c.dimensions.get(d)) else None) for d in DIMENSIONS},
                    "overall": c.overall.percent if c.overall else None,
                    "coverage": c.overall.coverage if c.overall else None,
                }
            )
        return Table("network", _("Members"), columns, rows, self.has_demo_data)


def reported_counts(place_ids: list[int]) -> dict[int, dict[int, int]]:
    """Place → year → series with a published value (what headline years are chosen by). 1 query;
    the same for every request until the next score run, so pages keep it (``web/constants.py``)."""
    reported: dict[int, dict[int, int]] = {pid: {} for pid in place_ids}
    counts = AggregateScore.objects.filter(level="overall", code="all", place_id__in=place_ids)
    for pid, in_year, n in counts.values_list("place_id", "year", "reported"):
        reported[pid][in_year] = n
    return reported


def network_home(
    *,
    members: list[Member],
    catalogue: Catalogue,
    measure: Measure,
    year: int | None,
    demo: bool,
    reported: dict[int, dict[int, int]] | None = None,
    page: int | None = None,
) -> NetworkHome:
    """Member cards (headline year: the three dimensions, overall, coverage, change) and the chosen
    measure for ``year`` (default: the network's headline year, ``headline_year``). With ``page``,
    the cards of that page of members only (the HTML page); without, every member's (the twins).
    2 queries."""
    place_ids = [m.place.pk for m in members]
    # Each card shows its member's headline year, and the map opens on the network's: a reporting
    # year that has only begun (a few members, a few values) is one click away, not the default.
    if reported is None:
        reported = reported_counts(place_ids)
    years = sorted({y for by_year in reported.values() for y in by_year})
    latest = {pid: headline_year(reported[pid]) for pid in place_ids}
    network: dict[int, int] = {}
    for by_year in reported.values():
        for in_year, n in by_year.items():
            network[in_year] = network.get(in_year, 0) + n
    default = headline_year(network) or (years[-1] if years else 0)
    chosen = year if year in years else default
    shown = members_page(members, page)
    card_ids = [m.place.pk for m in shown.members]
    # Only the rows shown: each card's headline year (and the year before, for the change), and
    # the measure in the chosen year for the map. Each by level and code as well, so the database
    # reads them by its unique index (level, code, place, year), in the order the run wrote them,
    # not every level's rows of each place and year (15 times as many, on as many disk pages).
    card_years = {y for pid in card_ids if (y := latest[pid]) is not None}
    shown_years = Q(place_id__in=card_ids, year__in=card_years | {y - 1 for y in card_years})
    wanted = (shown_years & Q(level="dimension", code__in=DIMENSIONS)) | (
        shown_years & Q(level="overall", code="all")
    )
    if measure.series is None:
        wanted |= Q(place_id__in=place_ids, year=chosen, level=measure.level, code=measure.code)
    rows = AggregateScore.objects.filter(wanted).values_list(*CARD_FIELDS)
    aggregates = {(pid, code, in_year): CardScore(*rest) for pid, code, in_year, *rest in rows}
    values: dict[int, tuple[float | None, int | None]] = {}
    if measure.series is not None:
        values = {
            pid: (value, points)
            for pid, value, points in SeriesScore.objects.filter(
                series_id=measure.series.id, place_id__in=place_ids, year=chosen
            ).values_list("place_id", "value", "points")
        }
    else:
        for pid in place_ids:
            agg = aggregates.get((pid, measure.code, chosen))
            values[pid] = (agg.percent, agg.band) if agg else (None, None)
    on_cards = set(card_ids)
    cards = []
    for m in members:
        y = latest[m.place.pk] if m.place.pk in on_cards else None
        value, band = values.get(m.place.pk, (None, None))
        cards.append(
            MemberCard(
                member=m,
                year=latest[m.place.pk],
                dimensions={d: aggregates.get((m.place.pk, d, y or 0)) for d in DIMENSIONS},
                overall=aggregates.get((m.place.pk, "all", y or 0)),
                previous=aggregates.get((m.place.pk, "all", (y or 0) - 1)),
                value=value,
                band=band,
            )
        )
    names = {n.code: n.name(catalogue.language) for n in catalogue.level("dimension")}
    shown_cards = [c for c in cards if c.member.place.pk in on_cards]
    return NetworkHome(cards, measure, chosen, years, names, demo, shown_cards, shown.page, shown.pages)
