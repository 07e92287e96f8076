"""Reads for a member's local indicators on its public pages: a section of the profile, marked as
local, and a series page for each. Never in the U4SSC catalogue (``common.catalogue``), /kpis/,
compare, goals, the map or coverage: a local indicator is the member's own and has no peers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from berekraft.catalogue.local import LocalIndicatorView, local_indicators
from berekraft.errors import NotFoundError
from berekraft.observations.models import Observation
from berekraft.places.models import Place
from berekraft.scores.models import SeriesScore
from berekraft.web.tables import Column, Table


@dataclass
class LocalRow:
    view: LocalIndicatorView
    name: str
    unit: str
    definition: str
    score: SeriesScore | None  # the latest published value's score
    source: str  # where the latest published value comes from
    is_demo: bool


def _name(view: LocalIndicatorView, language: str) -> str:
    return view.indicator.name(language)


@dataclass
class LocalSection:
    place: Place
    rows: list[LocalRow]

    def table(self) -> Table:
        return Table(
            name=f"member-{self.place.code}-local",
            title=_("Local indicators: %(member)s") % {"member": self.place.name_nb},
            columns=_columns(),
            rows=[_row(r.view, r.name, r.unit, r.score) | {"definition": r.definition} for r in self.rows],
            demo=any(r.is_demo for r in self.rows),
        )


def _columns() -> list[Column]:
    """The columns, in the reader's language (translated when asked, not at import)."""
    return [
        Column("code", _("Code")),
        Column("name", _("Name")),
        Column("unit", _("Unit")),
        Column("year", _("Year")),
        Column("value", _("Value")),
        Column("target", _("Target")),
        Column("target_lower", _("Target from")),
        Column("target_upper", _("Target to")),
        Column("target_year", _("Target year")),
        Column("target_source", _("Source of the target")),
        Column("achievement", _("% of target")),
        Column("band", _("Band")),
        Column("trend", _("Trend")),
    ]


def _row(view: LocalIndicatorView, name: str, unit: str, s: SeriesScore | None) -> dict[str, object]:
    t = view.target
    return {
        "code": view.indicator.code,
        "name": name,
        "unit": unit,
        "year": s.year if s else None,
        "value": s.value if s else None,
        "target": s.target if s else (t.value if t else None),
        "target_lower": s.target_lower if s else (t.lower if t else None),
        "target_upper": s.target_upper if s else (t.upper if t else None),
        "target_year": t.year if t else None,
        "target_source": t.source if t else "",
        "achievement": s.achievement if s else None,
        "band": s.points if s else None,
        "trend": s.trend if s else "",
    }


def local_section(*, place: Place, language: str) -> LocalSection:
    """``place``'s local indicators, each with its latest published value and score: 1 query for a
    member without any, 5 otherwise, however many it has."""
    views = local_indicators(place=place)
    if not views:
        return LocalSection(place, [])
    latest: dict[int, SeriesScore] = {}
    for s in SeriesScore.objects.filter(place=place, series__indicator__owner=place).order_by("-year"):
        latest.setdefault(s.series_id, s)
    published = {
        (o.series_id, o.year): o
        for o in Observation.objects.filter(
            place=place, series__indicator__owner=place, published_value__isnull=False
        ).only("series_id", "year", "published_source", "published_origin")
    }
    rows = []
    for v in views:
        score = latest.get(v.series.pk)
        obs = published.get((v.series.pk, score.year)) if score else None
        rows.append(
            LocalRow(
                view=v,
                name=_name(v, language),
                unit=v.indicator.unit(language),
                definition=v.definition(language),
                score=score,
                source=obs.published_source if obs else "",
                is_demo=bool(obs and obs.published_origin == Observation.Origin.DEMO),
            )
        )
    return LocalSection(place, rows)


@dataclass
class LocalSeries:
    place: Place
    view: LocalIndicatorView
    name: str
    unit: str
    definition: str
    points: list[SeriesScore]
    has_demo_data: bool

    def table(self) -> Table:
        return Table(
            name=f"member-{self.place.code}-local-{self.view.slug}",
            title=f"{self.place.name_nb}: {self.name} ({self.unit})",
            columns=_columns(),
            rows=[_row(self.view, self.name, self.unit, s) for s in self.points],
            demo=self.has_demo_data,
        )


def local_series(*, place: Place, slug: str, language: str) -> LocalSeries:
    """One local indicator of ``place`` by year, with its own target (no network figures)."""
    view = next((v for v in local_indicators(place=place) if v.slug == slug), None)
    if view is None:
        raise NotFoundError(f"{place.code} has no local indicator {slug!r}")
    points = list(SeriesScore.objects.filter(place=place, series=view.series).order_by("year"))
    demo = Observation.objects.filter(
        place=place, series=view.series, published_origin=Observation.Origin.DEMO
    ).exists()
    return LocalSeries(
        place=place,
        view=view,
        name=_name(view, language),
        unit=view.indicator.unit(language),
        definition=view.definition(language),
        points=points,
        has_demo_data=demo,
    )
