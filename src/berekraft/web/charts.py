"""Vega-Lite specifications, built in Python from selector results; vega-embed draws them in the
page (static/berekraft/charts.js). Every chart on a page has a table with the same numbers."""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from berekraft.web.numbers import page_language, vega_locale

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Bands 1–4 on a red–blue scale (safe for red–green colour blindness); grey: not scored.
BAND_COLOURS = {1: "#b2182b", 2: "#ef8a62", 3: "#67a9cf", 4: "#2166ac", 0: "#c9ced6"}
INK = "#1d2733"
ACCENT = "#19486a"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
Spec = dict[str, Any]


@functools.cache
def _band_labels(language: str | None) -> dict[int, str]:
    """The labels in the active language (translated once per language, not once per cell)."""
    return {
        0: _("not scored"),
        1: _("under 33 % of target"),
        2: _("33–66 % of target"),
        3: _("66–95 % of target"),
        4: _("95 % of target or more"),
    }


def band_label(band: int | None) -> str:
    labels = _band_labels(get_language())
    return labels.get(band or 0, labels[0])


def _band_scale() -> dict[str, Any]:
    return {
        "domain": [band_label(b) for b in (4, 3, 2, 1, 0)],
        "range": [BAND_COLOURS[b] for b in (4, 3, 2, 1, 0)],
    }


def _base(description: str, **extra: Any) -> Spec:
    return {
        "$schema": SCHEMA,
        "description": description,
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelColor": INK, "titleColor": INK, "gridColor": "#e3e7ec", "labelFontSize": 12},
            "legend": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "orient": "bottom"},
            "background": None,
            "locale": vega_locale(page_language()),
        },
        **extra,
    }


def wheel(items: list[dict[str, Any]], title: str) -> Spec:
    """The U4SSC wheel: rings for dimension → sub-dimension → category → series, angles in
    radians computed by the caller (``start``, ``end``), rings by ``inner``/``outer`` (pixels)."""
    for item in items:
        item["band_label"] = band_label(item.get("band"))
    return _base(
        title,
        width=420,
        height=420,
        data={"values": items},
        mark={"type": "arc", "stroke": "#ffffff", "strokeWidth": 0.6},
        encoding={
            "theta": {"field": "start", "type": "quantitative", "scale": None},
            "theta2": {"field": "end"},
            "radius": {"field": "inner", "type": "quantitative", "scale": None},
            "radius2": {"field": "outer"},
            "color": {
                "field": "band_label",
                "type": "nominal",
                "scale": _band_scale(),
                "title": _("Band"),
                "legend": {"columns": 2, "orient": "bottom"},
            },
            "tooltip": [
                {"field": "level", "title": _("Level")},
                {"field": "name", "title": _("Name")},
                {"field": "score", "title": _("Score")},
                {"field": "band_label", "title": _("Band")},
            ],
            "description": {"field": "label"},
        },
    )


def member_series(points: list[dict[str, Any]], title: str, unit: str, *, yes_no: bool = False) -> Spec:
    """One member over time (line), the network's range (band) and median (dashed), the target;
    ``yes_no``: dots at "yes" and "no" only (``_yes_no``)."""
    x = {
        "field": "year",
        "type": "quantitative",
        "title": _("Year"),
        "axis": {"format": "d", "tickMinStep": 1},
    }
    y_title = unit
    layers: list[Spec] = [
        {
            "mark": {"type": "area", "color": "#c9d6e3", "opacity": 0.6},
            "encoding": {
                "x": x,
                "y": {"field": "low", "type": "quantitative", "title": y_title},
                "y2": {"field": "high"},
                "tooltip": [
                    {"field": "year", "title": _("Year")},
                    {"field": "low", "title": _("Network lowest"), "format": ",.4~r"},
                    {"field": "high", "title": _("Network highest"), "format": ",.4~r"},
                ],
            },
        },
        {
            "mark": {"type": "line", "color": "#5b6673", "strokeDash": [5, 4], "strokeWidth": 2},
            "encoding": {"x": x, "y": {"field": "median", "type": "quantitative"}},
        },
        {
            "transform": [{"filter": "datum.value != null"}],
            "mark": {
                "type": "line",
                "color": ACCENT,
                "strokeWidth": 3,
                "point": {"size": 60, "filled": True},
            },
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative"},
                "tooltip": [
                    {"field": "year", "title": _("Year")},
                    {"field": "value", "title": _("Value"), "format": ",.4~r"},
                    {"field": "median", "title": _("Network median"), "format": ",.4~r"},
                ],
                "description": {"field": "label"},
            },
        },
    ]
    if any(p.get("target") is not None for p in points):
        layers.append(
            {
                "transform": [{"filter": "datum.target != null"}],
                "mark": {"type": "line", "color": "#1a7f37", "strokeWidth": 2, "strokeDash": [1, 3]},
                "encoding": {"x": x, "y": {"field": "target", "type": "quantitative"}},
            }
        )
    if yes_no:
        layers = _yes_no(layers)
    return _base(title, width="container", height=300, data={"values": points}, layer=layers)


def _yes_no(layers: list[Spec]) -> list[Spec]:
    """A yes/no series (1 = yes, 0 = no) as dots on two levels, "yes" and "no": no line between
    years, and no network range or median, which mean nothing for a yes/no answer."""
    value = layers[2]
    value["mark"] = {"type": "point", "color": ACCENT, "size": 90, "filled": True}
    value["encoding"]["y"] = {
        "field": "value",
        "type": "quantitative",
        "scale": {"domain": [0, 1]},
        "axis": {"values": [0, 1], "labelExpr": f"datum.value == 1 ? '{_('yes')}' : '{_('no')}'"},
        "title": None,
    }
    value["encoding"]["tooltip"] = [t for t in value["encoding"]["tooltip"] if t["field"] != "median"]
    return [value]


def ranked_bars(rows: list[dict[str, Any]], title: str, unit: str, mean: float | None) -> Spec:
    """Members ranked on one series in one year; the group mean as a rule."""
    for r in rows:
        r["band_label"] = band_label(r.get("band"))
    scored = any(r.get("band") for r in rows)
    colour: dict[str, Any] = (
        {
            "field": "band_label",
            "type": "nominal",
            "scale": _band_scale(),
            "title": _("Band"),
            "legend": {"columns": 1, "orient": "bottom"},  # two columns ran off a phone
        }
        if scored
        else {"value": ACCENT}
    )
    layers: list[Spec] = [
        {
            "mark": {"type": "bar", "cornerRadiusEnd": 2},
            "encoding": {
                "y": {"field": "name", "type": "nominal", "sort": {"field": "rank"}, "title": None},
                "x": {"field": "value", "type": "quantitative", "title": unit},
                "color": colour,
                "tooltip": [
                    {"field": "rank", "title": _("Rank")},
                    {"field": "name", "title": _("Member")},
                    {"field": "value", "title": _("Value"), "format": ",.4~r"},
                ],
                "description": {"field": "label"},
            },
        }
    ]
    if mean is not None:
        layers.append(
            {
                "data": {"values": [{"mean": mean}]},
                "mark": {"type": "rule", "color": INK, "strokeDash": [4, 3], "strokeWidth": 2},
                "encoding": {"x": {"field": "mean", "type": "quantitative"}},
            }
        )
    return _base(title, width="container", height={"step": 24}, data={"values": rows}, layer=layers)


def lines(rows: list[dict[str, Any]], title: str, unit: str) -> Spec:
    """Every member of a group over time, with the group's mean and median as thicker lines."""
    return _base(
        title,
        width="container",
        height=340,
        data={"values": rows},
        mark={"type": "line", "point": True},
        encoding={
            "x": {
                "field": "year",
                "type": "quantitative",
                "title": _("Year"),
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "y": {"field": "value", "type": "quantitative", "title": unit, "scale": {"zero": False}},
            "color": {
                "field": "name",
                "type": "nominal",
                "title": None,
                "scale": {"scheme": "tableau20"},
                "legend": {"orient": "bottom", "columns": 2},  # beside the plot it squeezed it on a phone
            },
            "strokeWidth": {"condition": {"test": "datum.summary", "value": 4}, "value": 1.5},
            "strokeDash": {"condition": {"test": "datum.summary", "value": [6, 3]}, "value": [1, 0]},
            "tooltip": [
                {"field": "name", "title": _("Member")},
                {"field": "year", "title": _("Year")},
                {"field": "value", "title": _("Value"), "format": ",.4~r"},
            ],
        },
    )


def heatmap(cells: list[dict[str, Any]], title: str) -> Spec:
    """Series × members, each cell coloured by the band of the member's latest value. Members
    run across (a network has about 15) and series down (a goal can have 50), so the chart fits
    the width of its container, a phone's too; only its height grows with the goal."""
    for c in cells:
        c["band_label"] = band_label(c.get("band"))
    return _base(
        title,
        width="container",
        height={"step": 18},
        autosize={"type": "fit-x", "contains": "padding"},
        data={"values": cells},
        mark={"type": "rect", "stroke": "#ffffff", "strokeWidth": 1},
        encoding={
            "x": {
                "field": "name",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelAngle": -90, "orient": "top", "labelFontSize": 11},
            },
            "y": {"field": "series", "type": "nominal", "sort": None, "title": None},
            "color": {
                "field": "band_label",
                "type": "nominal",
                "scale": _band_scale(),
                "title": _("Band"),
                "legend": {"columns": 1, "orient": "bottom"},
            },
            "tooltip": [
                {"field": "name", "title": _("Member")},
                {"field": "series", "title": _("Series")},
                {"field": "kpi", "title": _("KPI")},
                {"field": "band_label", "title": _("Band")},
            ],
            "description": {"field": "label"},
        },
    )


def norway_map(
    *, geo_urls: dict[str, str], rows: list[dict[str, Any]], title: str, legend: str, by_band: bool
) -> Spec:
    """Members on a map of Norway: municipalities and county municipalities side by side, member
    areas filled and marked with a dot (small municipalities would vanish at this scale)."""
    colour: dict[str, Any]
    if by_band:
        for r in rows:
            r["band_label"] = band_label(r.get("band"))
        colour = {"field": "band_label", "type": "nominal", "scale": _band_scale(), "title": legend}
    else:
        colour = {"field": "value", "type": "quantitative", "title": legend, "scale": {"scheme": "blues"}}
    projection = {"type": "transverseMercator", "rotate": [-15, 0, 0]}

    def panel(layer_name: str, kind: str, heading: str) -> Spec:
        lookup = {
            "lookup": "properties.code",
            "from": {
                "data": {"name": "members"},
                "key": "code",
                "fields": ["name", "value", "band_label", "label", "kind"],
            },
        }
        features = {"url": geo_urls[layer_name], "format": {"type": "json", "property": "features"}}
        counties = {"url": geo_urls["counties"], "format": {"type": "json", "property": "features"}}
        tooltip = [
            {"field": "name", "title": _("Member")},
            {"field": "value", "title": legend, "format": ",.4~r"},
        ]
        return {
            "title": {"text": heading, "anchor": "start", "fontSize": 14},
            "width": 340,
            "height": 500,
            "projection": projection,
            "layer": [
                {
                    "data": counties,
                    "transform": [{"filter": "datum.properties.current"}],
                    "mark": {"type": "geoshape", "fill": "#eef1f4", "stroke": "#aab4bf", "strokeWidth": 0.5},
                },
                {
                    "data": features,
                    "transform": [lookup, {"filter": f"datum.name != null && datum.kind == '{kind}'"}],
                    "mark": {"type": "geoshape", "stroke": INK, "strokeWidth": 0.6},
                    "encoding": {"color": colour, "tooltip": tooltip},
                },
                {
                    "data": features,
                    "transform": [lookup, {"filter": f"datum.name != null && datum.kind == '{kind}'"}],
                    "mark": {"type": "circle", "size": 110, "stroke": INK, "strokeWidth": 1.2, "opacity": 1},
                    "encoding": {
                        "longitude": {"field": "properties.lon", "type": "quantitative"},
                        "latitude": {"field": "properties.lat", "type": "quantitative"},
                        "color": colour,
                        "tooltip": tooltip,
                        "description": {"field": "label"},
                    },
                },
            ],
        }

    return _base(
        title,
        datasets={"members": rows},
        hconcat=[
            panel("municipalities", "municipality", _("Municipalities")),
            panel("counties", "county", _("County municipalities")),
        ],
        resolve={"scale": {"color": "shared"}},
    )
