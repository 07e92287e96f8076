"""KPI pages: the catalogue, and one indicator with its targets and all values by member and year."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from berekraft.catalogue.models import Indicator, Target
from berekraft.errors import NotFoundError
from berekraft.observations.models import Observation
from berekraft.scores.models import SeriesScore
from berekraft.web.selectors.common import Catalogue, Member, SeriesInfo, members_page
from berekraft.web.tables import Column, Table


@dataclass
class IndicatorEntry:
    indicator: Indicator
    slug: str
    name: str
    unit: str
    dimension: str
    category: str
    dimension_name: str
    category_name: str
    goals: tuple[int, ...]
    series: list[SeriesInfo]


def indicator_entries(catalogue: Catalogue) -> list[IndicatorEntry]:
    entries: dict[int, IndicatorEntry] = {}
    for s in catalogue.series:
        entry = entries.get(s.indicator.pk)
        if entry is None:
            entry = entries[s.indicator.pk] = IndicatorEntry(
                indicator=s.indicator,
                slug=s.indicator_slug,
                name=s.indicator_name,
                unit=s.indicator.unit(catalogue.language),
                dimension=s.dimension,
                category=s.category,
                dimension_name=catalogue.node_name(s.dimension),
                category_name=catalogue.node_name(s.category),
                goals=s.goals,
                series=[],
            )
        entry.series.append(s)
    return list(entries.values())


@dataclass
class IndicatorsIndex:
    entries: list[IndicatorEntry]
    catalogue: Catalogue

    def table(self) -> Table:
        return Table(
            "kpis",
            _("Key performance indicators"),
            [
                Column("code", _("Code")),
                Column("name", _("KPI")),
                Column("dimension", _("Dimension")),
                Column("category", _("Category")),
                Column("type", _("Type")),
                Column("unit", _("Unit")),
                Column("direction", _("Direction")),
                Column("goals", _("SDGs")),
                Column("series", _("Series")),
            ],
            [
                {
                    "code": e.indicator.code,
                    "name": e.name,
                    "dimension": self.catalogue.node_name(e.dimension),
                    "category": self.catalogue.node_name(e.category),
                    "type": e.indicator.type,
                    "unit": e.unit,
                    "direction": e.indicator.direction,
                    "goals": ";".join(str(g) for g in e.goals),
                    "series": len(e.series),
                }
                for e in self.entries
            ],
        )


@dataclass
class IndicatorPage:
    entry: IndicatorEntry
    definition: str
    numerator: str  # in the reader's language, like the definition
    denominator: str
    targets: list[Target]
    years: list[int]
    members: list[Member]  # the members shown: one page of them on the HTML page, all in the twins
    values: dict[tuple[int, str, int], float]  # (series id, member code, year) → value
    has_demo_data: bool
    data_sources: list[str]
    page: int = 1
    pages: int = 1

    def cell(self, series_id: int, code: str, year: int) -> float | None:
        return self.values.get((series_id, code, year))

    def table(self) -> Table:
        columns = [
            Column("series", _("Series")),
            Column("code", _("Code")),
            Column("name", _("Member")),
            *[Column(str(y), str(y)) for y in self.years],
        ]
        rows: list[dict[str, object]] = []
        for s in self.entry.series:
            for m in self.members:
                row: dict[str, object] = {"series": s.code, "code": m.code, "name": m.name}
                row.update({str(y): self.values.get((s.id, m.code, y)) for y in self.years})
                rows.append(row)
        title = f"{self.entry.indicator.code} {self.entry.name} ({self.entry.unit})"
        return Table(f"kpi-{self.entry.slug}", title, columns, rows, self.has_demo_data)


def indicator_page(
    *, slug: str, catalogue: Catalogue, members: list[Member], demo: bool, page: int | None = None
) -> IndicatorPage:
    """Definition, formula, targets with their sources, the data sources members report, and the
    members' values by year: with ``page``, that page of members (the HTML page; the years are
    those of every member, so each page has the same columns); without, every member (the twins).
    4 queries (3 without ``page``)."""
    entry = next((e for e in indicator_entries(catalogue) if e.slug == slug), None)
    if entry is None:
        raise NotFoundError(f"no KPI {slug!r}")
    ids = [s.id for s in entry.series]
    every = [m.place.pk for m in members]
    shown = members_page(members, page)
    by_pk = {m.place.pk: m for m in shown.members}
    targets = list(
        Target.objects.filter(series_id__in=ids)
        .select_related("series", "network", "place")
        .order_by("series__order", "scope")
    )
    values = {
        (sid, by_pk[pid].code, year): value
        for sid, pid, year, value in SeriesScore.objects.filter(
            series_id__in=ids, place_id__in=list(by_pk)
        ).values_list("series_id", "place_id", "year", "value")
    }
    if page is None:
        years = sorted({y for (_s, _c, y) in values})
    else:
        years = list(
            SeriesScore.objects.filter(series_id__in=ids, place_id__in=every)
            .order_by("year")
            .values_list("year", flat=True)
            .distinct()
        )
    ind = entry.indicator
    definition = (
        getattr(ind, f"definition_{catalogue.language}", "") or ind.definition_nb or ind.definition_en
    )
    numerator, denominator = ind.numerator_text(catalogue.language), ind.denominator_text(catalogue.language)
    sources = sorted(
        set(
            Observation.objects.filter(series_id__in=ids, place_id__in=every, published_value__isnull=False)
            .exclude(published_source="")
            .values_list("published_source", flat=True)
            .distinct()
        )
    )
    return IndicatorPage(
        entry,
        definition,
        numerator,
        denominator,
        targets,
        years,
        shown.members,
        values,
        demo,
        sources,
        shown.page,
        shown.pages,
    )
