"""Selector results → chart specifications (charts.py). Pure functions of data already read."""

from __future__ import annotations

import math
from typing import Any

from django.templatetags.static import static
from django.utils.translation import gettext as _

from berekraft.web import charts
from berekraft.web.numbers import format_number, format_percent, page_language
from berekraft.web.selectors.common import Catalogue
from berekraft.web.selectors.compare import SeriesComparison
from berekraft.web.selectors.goals import GoalPage
from berekraft.web.selectors.member import MemberProfile, MemberSeries
from berekraft.web.selectors.network import NetworkHome

RINGS = {"dimension": (40, 85), "sub_dimension": (87, 122), "category": (124, 164), "series": (166, 200)}


def _fmt(value: float | None) -> str:
    """A number in a chart's text label, as the page writes it."""
    return format_number(value, page_language())


def wheel(profile: MemberProfile, catalogue: Catalogue) -> charts.Spec:
    """Every series one equal slice; each framework level a ring over the slices of its series."""
    rows = profile.rows
    total = len(rows) or 1
    step = 2 * math.pi / total
    items: list[dict[str, Any]] = []
    spans: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        for level, code in (
            ("dimension", r.info.dimension),
            ("sub_dimension", r.info.sub_dimension),
            ("category", r.info.category),
        ):
            spans.setdefault((level, code), []).append(i)
        s = r.score if r.score and r.score.year == profile.year else None
        inner, outer = RINGS["series"]
        items.append(
            {
                "level": _("Series"),
                "name": f"{r.info.code} {r.info.name}",
                "score": _("%(value)s %(unit)s")
                % {"value": _fmt(s.value if s else None), "unit": r.info.unit},
                "band": s.points if s else None,
                "start": i * step,
                "end": (i + 1) * step,
                "inner": inner,
                "outer": outer,
            }
        )
    names = {"dimension": _("Dimension"), "sub_dimension": _("Sub-dimension"), "category": _("Category")}
    for (level, code), idx in spans.items():
        agg = profile.aggregates.get((level, code))
        inner, outer = RINGS[level]
        node_name = catalogue.node_name(code)
        items.append(
            {
                "level": names[level],
                "name": f"{code} {node_name}" if level != "dimension" else node_name,
                "score": format_percent(agg.percent, page_language())
                if agg and agg.percent is not None
                else _("not scored"),
                "band": agg.band if agg else None,
                "start": idx[0] * step,
                "end": (idx[-1] + 1) * step,
                "inner": inner,
                "outer": outer,
            }
        )
    for item in items:
        item["label"] = f"{item['level']}: {item['name']}, {item['score']}"
    return charts.wheel(items, _("U4SSC wheel of %(name)s") % {"name": profile.place.name_nb})


def member_series(data: MemberSeries) -> charts.Spec:
    points = []
    for p in data.points:
        row = dict(p.__dict__)
        yes_no = data.info.indicator.unit_en == "yes/no"
        shown = (_("yes") if p.value == 1 else _("no")) if yes_no and p.value is not None else _fmt(p.value)
        row["label"] = f"{p.year}: {shown}"
        points.append(row)
    title = f"{data.member.name}: {data.info.name}"
    return charts.member_series(points, title, data.info.unit, yes_no=data.info.indicator.unit_en == "yes/no")


def ranked(data: SeriesComparison) -> charts.Spec:
    rows = [
        {
            "rank": r.rank,
            "name": r.member.name,
            "value": r.value,
            "band": r.points,
            "label": f"{r.rank}. {r.member.name}: {_fmt(r.value)}",
        }
        for r in data.ranked
    ]
    title = f"{data.info.name} {data.year}"
    return charts.ranked_bars(rows, title, data.info.unit, data.mean.get(data.year))


def over_time(data: SeriesComparison) -> charts.Spec:
    rows: list[dict[str, Any]] = []
    for m in data.lines_members:
        for year, value in sorted(data.values.get(m.code, {}).items()):
            rows.append({"name": m.name, "year": year, "value": value, "summary": False})
    for label, series in ((_("Mean"), data.mean), (_("Median"), data.median)):
        for year, value in series.items():
            rows.append({"name": label, "year": year, "value": value, "summary": True})
    return charts.lines(rows, data.info.name, data.info.unit)


def goal_heatmap(data: GoalPage) -> charts.Spec:
    cells = []
    for r in data.rows:
        for s, cell in zip(data.series, r.cells, strict=True):
            band = cell.points if cell else None
            cells.append(
                {
                    "name": r.member.name,
                    "series": s.code,
                    "kpi": s.name,
                    "band": band,
                    "label": f"{r.member.name}, {s.code}: {charts.band_label(band)}",
                }
            )
    return charts.heatmap(cells, f"SDG {data.goal.number}: {data.name}")


def network_map(home: NetworkHome) -> charts.Spec:
    rows = []
    for c in home.members:
        if c.member.left and c.member.left.year < home.year:
            continue  # not a member that year (Viken after 2023)
        rows.append(
            {
                "code": c.member.code,
                "name": c.member.name,
                "kind": "county" if c.member.is_county else "municipality",
                "value": c.value,
                "band": c.band,
                "label": f"{c.member.name}: {_fmt(c.value)}",
            }
        )
    by_band = not home.measure.is_series
    legend = _("% of target") if by_band else (home.measure.series.unit if home.measure.series else "")
    title = f"{home.measure.label}, {home.year}"
    return charts.norway_map(
        geo_urls={
            "municipalities": static("berekraft/geo/municipalities.json"),
            "counties": static("berekraft/geo/counties.json"),
        },
        rows=rows,
        title=title,
        legend=legend,
        by_band=by_band,
    )
