"""The network report for one year: the members side by side per dimension and goal, coverage,
the best value of each KPI and who has it, the network's mean and median and their change since
the year before, and the members' projects per goal (once the action registers exist)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from berekraft.errors import NotFoundError
from berekraft.reports import charts, projects, render
from berekraft.reports.common import number, page_words, percent, written_in
from berekraft.reports.snapshot import value_text
from berekraft.web import charts as web_charts
from berekraft.web.numbers import format_number
from berekraft.web.selectors import common
from berekraft.web.selectors.coverage import coverage
from berekraft.web.selectors.yearly import NetworkYear, network_year
from berekraft.web.templatetags.berekraft import direction_label


def public_status(status: str, published: bool) -> str:
    """Coverage as the public may see it: a published value is "verified" (whatever is being edited
    over it), a value entered but not yet verified is "reported" (not its draft state), else missing."""
    if published:
        return "verified"
    return "reported" if status in ("submitted", "draft", "returned", "verified") else "missing"


def network_pdf(*, year: int, language: str, created: datetime) -> bytes:
    with written_in(language):
        data = network_data(year=year, language=language, created=created)
        return render.pdf("network.typ", data, created=created)


def _signed(value: float | None, language: str) -> str:
    """A change with its sign, one decimal: "+2,5", "-0,3", and "0,0" (no sign) for no change."""
    if value is None:
        return "–"
    text = format_number(value, language, 1)
    zero = format_number(0, language, 1)
    if text.lstrip("-") == zero:
        return zero
    return text if value < 0 else f"+{text}"


def _overall_chart(data: NetworkYear, language: str) -> str:
    """The members ranked by overall score, drawn with the compare page's ranked bars."""
    scored = [(m, m.percent("overall", "all")) for m in data.members]
    ranked = sorted([(m, p) for m, p in scored if p is not None], key=lambda mp: -mp[1])
    rows = [
        {
            "rank": i + 1,
            "name": m.member.name,
            "value": p,
            "band": m.band("overall", "all"),
            "label": f"{m.member.name}: {percent(p, language)}",
        }
        for i, (m, p) in enumerate(ranked)
    ]
    values = [p for _m, p in ranked]
    mean = sum(values) / len(values) if len(values) >= common.NETWORK_MINIMUM else None
    spec = web_charts.ranked_bars(
        rows, _("Overall score %(year)s") % {"year": data.year}, _("% of target"), mean
    )
    return charts.svg(spec, width=440)


def network_data(*, year: int, language: str, created: datetime) -> dict[str, Any]:
    network = common.network()
    members = common.members(network=network)
    cat = common.catalogue(language=language)
    data = network_year(members=members, catalogue=cat, year=year)
    if not any(m.scores for m in data.members):
        raise NotFoundError(f"the network has no scores for {year}")
    demo = common.has_demo_data([m.member.place.pk for m in data.members])
    dims = [(n.code, n.name(language)) for n in cat.level("dimension")]

    def cell(level: str, code: str, m: Any) -> dict[str, Any]:
        p = m.percent(level, code)
        return {"text": percent(p, language) if p is not None else "–", "band": m.band(level, code) or 0}

    side = [
        {
            "name": m.member.name,
            "cells": [cell("dimension", c, m) for c, _n in dims] + [cell("overall", "all", m)],
            "change": _signed(m.change("overall", "all"), language),
        }
        for m in data.members
    ]
    goals = [
        {"name": m.member.name, "cells": [cell("goal", str(g.number), m) for g in cat.goals]}
        for m in data.members
    ]
    cov = coverage(catalogue=cat, members=members, year=year)
    status_rows = []
    published = {(code, s.info.id) for s in data.series for code in s.values}
    for r in cov.rows:
        public = [
            public_status(c, (r.member.code, s.id) in published)
            for c, s in zip(r.cells, cov.series, strict=True)
        ]
        status_rows.append(
            {
                "name": r.member.name,
                "verified": public.count("verified"),
                "reported": public.count("reported"),
                "missing": public.count("missing"),
                "by_dimension": [
                    [st for st, s in zip(public, cov.series, strict=True) if s.dimension == c]
                    for c, _n in dims
                ],
            }
        )
    kpis = []
    for s in data.series:
        best_value = s.best_value
        kpis.append(
            {
                "code": s.info.code,
                "name": s.info.name,
                "dimension": s.info.dimension,
                "unit": s.info.unit,
                "direction": direction_label(s.info.direction),
                "best": ", ".join(m.name for m in s.best),
                "best_value": value_text(best_value, s.info, language) if best_value is not None else "–",
                "mean": number(s.mean, language),
                "median": number(s.median, language),
                "change": _signed(s.median_change, language),
                "count": len(s.values),
            }
        )
    by_goal = projects.network_projects_by_goal(places=[m.member.place for m in data.members])
    goal_names = {g.number: g.name(language) for g in cat.goals}
    title = _("%(network)s: network report %(year)s") % {"network": network.name, "year": year}
    return {
        **page_words(language=language, demo=demo, created=created, title=title),
        "network": network.name,
        "year": year,
        "subtitle": _("U4SSC key performance indicators and the UN Sustainable Development Goals"),
        "intro": _(
            "%(n)s members in %(year)s. Scores are for %(year)s only: a member without published values "
            "for %(year)s is shown without scores. Change is in percentage points since %(previous)s."
        )
        % {"n": len(data.members), "year": year, "previous": year - 1},
        "labels": {
            "side": _("Members side by side"),
            "dimensions": _("Dimensions"),
            "goals": _("Sustainable Development Goals"),
            "member": _("Member"),
            "overall": _("Overall"),
            "change": _("Change"),
            "coverage": _("Coverage"),
            "coverage_note": _(
                "Verified: published values. Reported: entered or submitted, not yet verified. "
                "Missing: no value for the year."
            ),
            "verified": _("Verified"),
            "reported": _("Reported"),
            "missing": _("Missing"),
            "kpis": _("Best value per KPI"),
            "kpis_note": _(
                "Best: the highest value, or the lowest where lower is better (none for a KPI with a "
                "target range). Mean and median of the members reporting, shown from two members; "
                "change of the median since the year before."
            ),
            "kpi": _("KPI"),
            "best": _("Best"),
            "best_value": _("Best value"),
            "unit": _("Unit"),
            "mean": _("Mean"),
            "median": _("Median"),
            "n": _("Members reporting"),
            "projects": _("Projects per goal"),
            "no_projects": _("No member has published a project linked to a goal."),
            "ranked": _("Overall score"),
            "ranked_note": _(
                "Members ranked by overall score; the dashed line is their mean (shown from two members)."
            ),
        },
        "dimensions": [n for _c, n in dims],
        "dimension_codes": [c for c, _n in dims],
        "goal_numbers": [g.number for g in cat.goals],
        # A column head for each goal, short enough for seventeen columns ("Mål 7" in Norwegian).
        "goal_heads": [pgettext("column", "SDG %(n)s") % {"n": g.number} for g in cat.goals],
        "side": side,
        "goal_rows": goals,
        "coverage": status_rows,
        "kpis": kpis,
        "ranked": _overall_chart(data, language),
        "ranked_alt": _("Members ranked by overall score %(year)s") % {"year": year},
        "projects": [
            {
                "goal": _("SDG %(number)s: %(name)s") % {"number": g, "name": goal_names.get(g, "")},
                "titles": [f"{p.member}: {p.text()}" for p in ps],
            }
            for g, ps in by_goal.items()
        ],
    }
