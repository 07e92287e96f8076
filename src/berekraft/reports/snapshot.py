"""A member's city snapshot for one year: the profile page (web/selectors/member.py) as a PDF.

The numbers are the profile's own, read by the same selector as the page and its JSON twin
(``/members/<code>.json?year=<year>``), and written as the report's language writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from berekraft.errors import NotFoundError
from berekraft.reports import charts, projects, render
from berekraft.reports.common import date_text, number, page_words, percent, written_in
from berekraft.scores.models import AggregateScore
from berekraft.web import figures
from berekraft.web.charts import band_label
from berekraft.web.selectors import common
from berekraft.web.selectors.member import MemberProfile, ProfileRow, member_profile
from berekraft.web.templatetags.berekraft import quality_label, scope_label, trend_label


def snapshot_pdf(*, code: str, year: int, language: str, created: datetime) -> bytes:
    """The snapshot of member ``code`` for ``year`` as PDF bytes."""
    with written_in(language):
        data = snapshot_data(code=code, year=year, language=language, created=created)
        return render.pdf("snapshot.typ", data, created=created)


def load_profile(*, code: str, year: int, language: str) -> tuple[MemberProfile, common.Catalogue]:
    place = common.public_place(code)
    cat = common.catalogue(language=language)
    profile = member_profile(place=place, catalogue=cat, year=year)
    if profile.year is None:
        raise NotFoundError(f"{place.name_nb} ({code}) has no published values for {year} or before")
    return profile, cat


class TargetNotes:
    """Target sources numbered in order of first use: a table cell carries [n], the annex the text."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def ref(self, source: str) -> int | None:
        if not source:
            return None
        return self.numbers.setdefault(source, len(self.numbers) + 1)

    def listed(self) -> list[dict[str, Any]]:
        return [{"n": n, "text": text} for text, n in self.numbers.items()]


def target_text(row: ProfileRow, language: str) -> str:
    s = row.score
    if s is None:
        return ""
    if s.target is not None:
        text = number(s.target, language)
    elif s.target_lower is not None and s.target_upper is not None:
        text = f"{number(s.target_lower, language)}–{number(s.target_upper, language)}"
    else:
        return _("no benchmark")
    if s.target_year:
        text += " " + _("by %(year)s") % {"year": s.target_year}
    return text


def value_text(value: float | None, info: common.SeriesInfo, language: str) -> str:
    """A value as the member series page labels it: a yes/no KPI (1 or 0) as "yes" or "no"."""
    if value is not None and info.indicator.unit_en == "yes/no":
        return _("yes") if value == 1 else _("no")
    return number(value, language)


def row_data(row: ProfileRow, language: str, notes: TargetNotes) -> dict[str, Any]:
    s = row.score
    yes_no = row.info.indicator.unit_en == "yes/no"
    return {
        "code": row.info.code,
        "name": row.info.name,
        "value": value_text(s.value, row.info, language) if s else "–",
        "unit": row.info.unit if s and not yes_no else "",  # a dash alone where nothing is reported
        "year": str(s.year) if s else "",
        "target": target_text(row, language),
        "scope": scope_label(s.target_scope) if s and s.target_scope else "",
        "ref": notes.ref(row.target_source) if s and s.target_scope else None,
        "percent": percent(s.achievement, language) if s else "–",
        "band": s.points if s and s.points else 0,
        "trend": trend_label(s.trend) if s else "",
        "index": number(s.network_index, language) if s else "–",
        "quality": quality_label(row.quality),
        "demo": row.is_demo,
    }


def labels() -> dict[str, str]:
    return {
        "kpi": _("KPI"),
        "value": _("Value"),
        "year": _("Year"),
        "target": _("Target"),
        "percent": _("% of target"),
        "band": _("Band"),
        "trend": _("Trend"),
        "index": _("Network index"),
        "quality": _("Quality"),
        "key_figures": _("Key figures"),
        "wheel": _("The U4SSC wheel"),
        "dimensions": _("Dimensions and categories"),
        "goals": _("The 17 Sustainable Development Goals"),
        "kpis": _("Key performance indicators"),
        "focus": _("Where to focus"),
        "low": _("Far from target (bands 1–2)"),
        "deteriorating": _("Deteriorating"),
        "not_reported": _("Not reported"),
        "none": _("None."),
        "projects": _("What the member is doing about it"),
        "no_projects": _("The member has published no project linked to these KPIs."),
        "method": _("Method"),
        "targets": _("Targets and their sources"),
        "sources": _("Data sources"),
        "not_scored": _("not scored"),
    }


def method_text() -> list[dict[str, str]]:
    """The four lenses, the bands and the rules, in plain words (README, *How scores are computed*)."""
    return [
        {
            "title": _("Target achievement (U4SSC)"),
            "text": _(
                "Each value is compared with its target: the share of the target reached gives "
                "points from 1 to 4 (under 33 %, 33–66 %, 66–95 %, 95 % or more). A category, "
                "sub-dimension, dimension, goal or the whole member scores its points divided by "
                "4 points for every series scored. Series not reported and series without a "
                "benchmark are left out of both."
            ),
        },
        {
            "title": _("Lower is better"),
            "text": _(
                "U4SSC does not publish how a KPI where less is better is scored. berekraft "
                "divides the target by the value (a value at or under its target has reached it), "
                "and for a target of zero measures the distance travelled from a baseline to the "
                "target."
            ),
        },
        {
            "title": _("Normalised score 0–100"),
            "text": _(
                "As in the SDSN's SDG index: the distance from a lower bound (the worst 2.5 % of "
                "values, or the target's baseline) to the target, from 0 to 100. A goal's score is "
                "the mean of its series, left empty where fewer than 80 % are reported."
            ),
        },
        {
            "title": _("Trend"),
            "text": _(
                "As Open SDG and Statistics Canada measure progress: the yearly growth since 2015 "
                "compared with the growth the target needs by its year: on track, moderate "
                "progress, limited progress or deterioration. A met target is shown as achieved. "
                "A fall of less than 0.5 % a year counts as limited progress, not deterioration."
            ),
        },
        {
            "title": _("Network index"),
            "text": _(
                "As in KS' ASSS comparisons: the value divided by the mean of the members that "
                "report it, times 100. Over 100 is above the network's mean, whether that is good "
                "or bad depends on the KPI."
            ),
        },
        {
            "title": _("Targets"),
            "text": _(
                "U4SSC's own target values are not public. berekraft ships default targets only "
                "where a public source gives one, each cited below; the network and each member "
                "may set their own (local overrides network overrides default). A series without "
                "a target is shown but not scored."
            ),
        },
    ]


def _scored(agg: AggregateScore | None, name: str, language: str) -> dict[str, Any]:
    """A framework node's name, % of target, band and points as the tables print them."""
    scored = bool(agg and agg.max_points)
    return {
        "name": name,
        "percent": percent(agg.percent, language) if agg and scored else "",
        "band": agg.band if agg and agg.band else 0,
        "points": f"{agg.points}/{agg.max_points}" if agg and scored else "",
    }


def snapshot_data(*, code: str, year: int, language: str, created: datetime) -> dict[str, Any]:
    """Everything the template prints, as plain JSON with every number already written out."""
    profile, cat = load_profile(code=code, year=year, language=language)
    place = profile.place
    notes = TargetNotes()
    dimensions = []
    for dim in profile.dimensions:
        # Categories under their sub-dimension: Economy has "Water and Sanitation", "Electricity
        # Supply" and "Transport" twice (under ICT and under Infrastructure).
        subs: list[dict[str, Any]] = []
        for block in dim.categories:
            sub_code = block.rows[0].info.sub_dimension
            if not subs or subs[-1]["code"] != sub_code:
                subs.append(
                    {
                        "code": sub_code,
                        **_scored(
                            profile.aggregates.get(("sub_dimension", sub_code)),
                            cat.node_name(sub_code),
                            language,
                        ),
                        "categories": [],
                    }
                )
            subs[-1]["categories"].append(
                {
                    **_scored(block.score, block.name, language),
                    "sub": subs[-1]["name"],
                    "rows": [row_data(r, language, notes) for r in block.rows],
                }
            )
        dimensions.append({"code": dim.code, **_scored(dim.score, dim.name, language), "subs": subs})
    rows = profile.rows
    in_year = sum(1 for r in rows if r.score and r.score.year == profile.year)
    overall = profile.overall
    status = [
        _("Scores for %(year)s") % {"year": profile.year},
        _("%(n)s of %(total)s series have a published value for %(year)s")
        % {"n": in_year, "total": profile.series_count, "year": profile.year},
    ]
    membership = next((m for m in common.members(network=common.network()) if m.code == place.code), None)
    if membership is not None and not membership.member_in(year) and membership.left is not None:
        status.append(
            _("%(name)s was a member of the network until %(left)s; its latest scores are for %(latest)s")
            % {"name": place.name_nb, "left": membership.left.year, "latest": profile.year}
        )
    elif profile.year != year:
        status.append(
            _("%(year)s has too few published values for scores; the latest year with enough is %(latest)s")
            % {"year": year, "latest": profile.year}
        )
    if profile.partial_year:
        status.append(
            _("%(year)s: %(n)s of %(total)s values published so far")
            % {"year": profile.partial_year, "n": profile.partial_count, "total": profile.series_count}
        )
    status.append(
        _("Each KPI shows its latest published value up to %(year)s and that value's year") % {"year": year}
    )
    key = [
        {
            "label": _("Overall"),
            "value": percent(overall.percent, language)
            if overall and overall.max_points
            else _("not scored"),
            "band": overall.band if overall and overall.band else 0,
            "scored": bool(overall and overall.max_points),
            "note": _("%(points)s/%(max)s points, %(scored)s series scored")
            % {"points": overall.points, "max": overall.max_points, "scored": overall.scored}
            if overall and overall.max_points
            else "",
        }
    ]
    for d in dimensions:
        key.append(
            {
                "label": d["name"],
                "value": d["percent"] or _("not scored"),
                "band": d["band"],
                "scored": bool(d["percent"]),
                "note": "",
            }
        )
    key.append(
        {
            "label": _("Reported"),
            "value": f"{in_year}/{profile.series_count}",
            "band": 0,
            "scored": True,
            "note": _("series with a value for %(year)s") % {"year": profile.year},
        }
    )
    sources: dict[str, int] = {}
    for r in rows:
        if r.score and (r.source or r.is_demo):
            text = _("Demonstration data (generated)") if r.is_demo else r.source
            sources[text] = sources.get(text, 0) + 1
    listed_projects = projects.member_projects(
        place=place, series_codes={r.info.code for r in profile.focus.low + profile.focus.deteriorating}
    )
    title = _("%(name)s: city snapshot %(year)s") % {"name": place.name_nb, "year": year}
    return {
        **page_words(language=language, demo=profile.has_demo_data, created=created, title=title),
        "labels": labels(),
        "member": {
            "name": place.name_nb,
            "code": place.code,
            "kind": _("County municipality") if place.kind == "county" else _("Municipality"),
            "population": _("Population %(n)s (%(date)s, SSB)")
            % {
                "n": number(place.population, language),
                "date": date_text(datetime.combine(place.population_date, datetime.min.time()), language),
            }
            if place.population and place.population_date
            else "",
        },
        "year": year,
        "subtitle": _(
            "City snapshot: U4SSC key performance indicators and the UN Sustainable Development Goals"
        ),
        "status": status,
        "key": key,
        "wheel": charts.svg(figures.wheel(profile, cat), width=420),
        "wheel_alt": _("U4SSC wheel of %(name)s") % {"name": place.name_nb},
        # Paper has no tooltips: the caption says what the rings are and where each dimension is.
        "wheel_caption": _(
            "From the centre out: dimensions, sub-dimensions, categories and each KPI, every KPI an "
            "equal slice. Clockwise from the top: %(dimensions)s. A slice's colour is its band; pale "
            "grey: not scored."
        )
        % {"dimensions": ", ".join(d["name"] for d in dimensions)},
        "dimensions": dimensions,
        "goals": [
            {
                "number": t.goal.number,
                "name": t.name,
                "percent": percent(t.score.percent, language) if t.score and t.score.max_points else "",
                "band": t.score.band if t.score and t.score.band else 0,
            }
            for t in profile.goals
        ],
        "focus": {
            "low": [
                f"{r.info.name} ({percent(r.score.achievement, language)})"
                for r in profile.focus.low
                if r.score
            ],
            "deteriorating": [r.info.name for r in profile.focus.deteriorating],
            "not_reported": [s.name for s in profile.focus.not_reported],
        },
        "projects": [p.text() for p in listed_projects],
        "method": method_text(),
        "band_names": [{"band": b, "text": f"{b}: {band_label(b)}"} for b in (1, 2, 3, 4)],
        "targets": notes.listed(),
        "sources": [{"text": t, "count": n} for t, n in sorted(sources.items())],
        "sources_note": _(
            "Population: Statistisk sentralbyrå (SSB), CC BY 4.0. KPI definitions: ITU, U4SSC."
        ),
    }
