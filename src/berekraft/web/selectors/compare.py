"""Comparisons: one series across members (ranked, over time) and 2–4 members side by side."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.utils.translation import gettext as _

from berekraft.places.models import Membership, Network
from berekraft.scores.models import LatestSeriesScore, SeriesScore
from berekraft.web.selectors.common import NETWORK_MINIMUM, Catalogue, Member, SeriesInfo
from berekraft.web.selectors.latest import latest_values
from berekraft.web.tables import Column, Table

# Most members of a group drawn one line each over time (and listed by year) on the compare page.
LINES_MEMBERS = 25


@dataclass(frozen=True)
class PeerGroup:
    key: str
    label: str
    codes: frozenset[str] | None  # None: every member


def peer_groups(*, network: Network, members: list[Member]) -> list[PeerGroup]:
    """All members; municipalities; county municipalities; and every other network the admin has
    defined whose members belong to this one (a group of the secretariat's choosing). 1 query."""
    groups = [
        PeerGroup("all", _("All members"), None),
        PeerGroup("kommune", _("Municipalities"), frozenset(m.code for m in members if not m.is_county)),
        PeerGroup(
            "fylkeskommune", _("County municipalities"), frozenset(m.code for m in members if m.is_county)
        ),
    ]
    ours = {m.code for m in members}
    defined: dict[str, tuple[str, set[str]]] = {}
    rows = Membership.objects.exclude(network=network).values_list(
        "network__code", "network__name", "place__code"
    )
    for code, name, place in rows:
        defined.setdefault(code, (name, set()))[1].add(place)
    for code, (name, places) in sorted(defined.items()):
        if places & ours:
            groups.append(PeerGroup(f"group:{code}", name, frozenset(places & ours)))
    return groups


@dataclass
class RankedValue:
    member: Member
    value: float
    points: int | None
    rank: int


@dataclass
class SeriesComparison:
    info: SeriesInfo
    group: PeerGroup
    year: int
    years: list[int]
    ranked: list[RankedValue]
    values: dict[str, dict[int, float]]  # member code → year → value
    members: list[Member]
    mean: dict[int, float]
    median: dict[int, float]
    has_demo_data: bool

    @property
    def summarised(self) -> bool:
        """Whether the page shows the group's mean and median over time rather than a line and a
        row per member (a large group: hundreds of lines are neither readable nor drawable; every
        member's years are in the twins)."""
        return len(self.members) > LINES_MEMBERS

    @property
    def lines_members(self) -> list[Member]:
        """The members drawn over time and listed by year on the page."""
        return [] if self.summarised else self.members

    def table(self) -> Table:
        columns = [
            Column("code", _("Code")),
            Column("name", _("Member")),
            *[Column(str(y), str(y)) for y in self.years],
        ]
        rows: list[dict[str, object]] = []
        for m in self.members:
            by_year = self.values.get(m.code, {})
            rows.append({"code": m.code, "name": m.name, **{str(y): by_year.get(y) for y in self.years}})
        rows.append({"code": "", "name": _("Mean"), **{str(y): self.mean.get(y) for y in self.years}})
        rows.append({"code": "", "name": _("Median"), **{str(y): self.median.get(y) for y in self.years}})
        title = f"{self.info.code} {self.info.name} ({self.info.unit}) – {self.group.label}"
        return Table(f"compare-{self.info.slug}", title, columns, rows, self.has_demo_data)


def compare_series(
    *, info: SeriesInfo, members: list[Member], group: PeerGroup, year: int | None, demo: bool
) -> SeriesComparison:
    """Every member of ``group`` on one series: ranked in ``year`` (best first, by the series'
    direction) and by year, with the group's mean and median. 1 query."""
    chosen = [m for m in members if group.codes is None or m.code in group.codes]
    by_pk = {m.place.pk: m for m in chosen}
    values: dict[str, dict[int, float]] = {}
    points: dict[tuple[str, int], int | None] = {}
    rows = SeriesScore.objects.filter(series_id=info.id, place_id__in=list(by_pk)).values_list(
        "place_id", "year", "value", "points"
    )
    for place_id, when, value, band in rows:  # values, not instances: members × years of them
        code = by_pk[place_id].code
        values.setdefault(code, {})[when] = value
        points[(code, when)] = band
    years = sorted({y for v in values.values() for y in v})
    year = year if year in years else (years[-1] if years else 0)
    in_year = [(m, values[m.code][year]) for m in chosen if year in values.get(m.code, {})]
    in_year.sort(key=lambda mv: mv[1], reverse=info.direction != "lower")
    ranked = [RankedValue(m, v, points.get((m.code, year)), i + 1) for i, (m, v) in enumerate(in_year)]
    mean: dict[int, float] = {}
    median: dict[int, float] = {}
    for y in years:
        vs = [v[y] for v in values.values() if y in v]
        if len(vs) >= NETWORK_MINIMUM:  # one member's value is no mean or median
            mean[y], median[y] = statistics.fmean(vs), statistics.median(vs)
    return SeriesComparison(info, group, year, years, ranked, values, chosen, mean, median, demo)


@dataclass
class SideBySideRow:
    info: SeriesInfo
    cells: list[LatestSeriesScore | None]


@dataclass
class SideBySide:
    members: list[Member]
    rows: list[SideBySideRow]
    has_demo_data: bool

    def table(self) -> Table:
        columns = [Column("code", _("Code")), Column("name", _("KPI")), Column("unit", _("Unit"))]
        value, year, band = _("value"), _("year"), _("band")
        for m in self.members:
            columns += [
                Column(f"{m.code}_value", f"{m.name}: {value}"),
                Column(f"{m.code}_year", f"{m.name}: {year}"),
                Column(f"{m.code}_band", f"{m.name}: {band}"),
            ]
        rows = []
        for r in self.rows:
            row: dict[str, object] = {"code": r.info.code, "name": r.info.name, "unit": r.info.unit}
            for m, s in zip(self.members, r.cells, strict=True):
                row[f"{m.code}_value"] = s.value if s else None
                row[f"{m.code}_year"] = s.year if s else None
                row[f"{m.code}_band"] = s.points if s else None
            rows.append(row)
        name = "compare-" + "-".join(m.code for m in self.members)
        return Table(name, _("Members side by side"), columns, rows, self.has_demo_data)


def side_by_side(*, chosen: list[Member], catalogue: Catalogue, demo: bool) -> SideBySide:
    """Each member's latest value of every series, in catalogue order. 1 query."""
    latest = {
        (s.place_id, s.series_id): s
        for s in latest_values(
            place_ids=[m.place.pk for m in chosen], series_ids=[i.id for i in catalogue.series]
        )
    }
    rows = [
        SideBySideRow(info, [latest.get((m.place.pk, info.id)) for m in chosen]) for info in catalogue.series
    ]
    return SideBySide(chosen, rows, demo)
