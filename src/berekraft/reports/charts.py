"""The pages' Vega-Lite specifications (web/charts.py, web/figures.py) drawn for print by
vl-convert: SVG for the PDFs, PNG for the DOCX. One chart definition for web and print; print
changes only what paper needs: the shipped font, a fixed width where the page fills its container,
and band colours whose lightness falls from band 1 to band 4, so a greyscale print still tells
the bands apart (the page's red–blue scale has two dark and two light ends)."""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

import vl_convert

from berekraft.reports.fonts import FAMILY, FONTS
from berekraft.web import charts

# Band 1 (light) → band 4 (dark), red to blue, CIE lightness 82 / 65 / 45 / 25 so a greyscale print
# keeps them apart; not scored: near white (97).
PRINT_BANDS = {1: "#f4c1a6", 2: "#e0866a", 3: "#2f6ea8", 4: "#163d6b", 0: "#f7f7f7"}
VEGA_LITE = "v6.4"
# The smallest chart: drawing it starts the engine and loads Vega-Lite (warm()).
_FIRST_CHART = {"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}}


_registered = False
_registering = threading.Lock()


def _fonts() -> None:
    """vl-convert measures and writes text with the shipped font only, registered once per
    process. Under a lock, not ``functools.cache``, which lets two threads that come first at once
    both call the function: the directory would go twice into vl-convert's font database, which
    every thread draws with, and vl-convert promises nothing about a registration while it draws.
    (A server's workers register it before their threads start: ``warm()``; a development server
    or a test's threads do not.)"""
    global _registered
    if _registered:
        return
    with _registering:
        if not _registered:
            vl_convert.register_font_directory(str(FONTS))
            _registered = True


def warm() -> None:
    """Start vl-convert's JavaScript engine now rather than in the first report.

    The first chart a process draws starts the engine and loads Vega-Lite: about 0.45 s of CPU
    and 64 MB, once per process (bench/reports.py), while later charts take some 0.05 s each. A
    server's web workers call this as they start (berekraft/server.py), so that the first report
    a reader asks for costs what every later one does; one-off commands (``berekraft report``)
    do not, as they would only pay the same cost earlier."""
    _fonts()
    vl_convert.vegalite_to_svg(json.dumps(_FIRST_CHART), vl_version=VEGA_LITE, allowed_base_urls=[])


def print_spec(spec: charts.Spec, *, width: int = 480) -> charts.Spec:
    """A page's spec made ready for paper (a copy: the page's own is not changed)."""
    out = copy.deepcopy(spec)
    out.pop("$schema", None)
    config = out.setdefault("config", {})
    config["font"] = FAMILY
    config["background"] = "#ffffff"
    # A legend swatch of the near-white "not scored" needs an edge to be seen on paper.
    config["legend"] = {**config.get("legend", {}), "symbolStrokeColor": "#8a96a3", "symbolStrokeWidth": 0.6}
    _set_widths(out, width)
    _print_bands(out)
    return out


def _set_widths(node: Any, width: int) -> None:
    if isinstance(node, dict):
        if node.get("width") == "container":
            node["width"] = width
        for value in node.values():
            _set_widths(value, width)
    elif isinstance(node, list):
        for value in node:
            _set_widths(value, width)


def _print_bands(node: Any) -> None:
    """Every band scale (its range is the page's band colours) gets the print colours."""
    page = [charts.BAND_COLOURS[b] for b in (4, 3, 2, 1, 0)]
    if isinstance(node, dict):
        scale = node.get("scale")
        if isinstance(scale, dict) and scale.get("range") == page:
            scale["range"] = [PRINT_BANDS[b] for b in (4, 3, 2, 1, 0)]
        for value in node.values():
            _print_bands(value)
    elif isinstance(node, list):
        for value in node:
            _print_bands(value)


def svg(spec: charts.Spec, *, width: int = 480) -> str:
    """The chart as SVG text for typst (text stays text: the PDF's text layer has the labels)."""
    _fonts()
    ready = print_spec(spec, width=width)
    return str(vl_convert.vegalite_to_svg(json.dumps(ready), vl_version=VEGA_LITE, **_options(ready)))


def png(spec: charts.Spec, *, width: int = 480, scale: float = 2.0) -> bytes:
    """The chart as PNG (for the DOCX, where Word draws no SVG everywhere)."""
    _fonts()
    ready = print_spec(spec, width=width)
    data = vl_convert.vegalite_to_png(json.dumps(ready), vl_version=VEGA_LITE, scale=scale, **_options(ready))
    return bytes(data)


def _options(spec: charts.Spec) -> dict[str, Any]:
    """No data from the network (every chart carries its data inline); numbers in the spec's
    locale (``config.locale``, set from web/numbers.py as on the page)."""
    options: dict[str, Any] = {"allowed_base_urls": []}
    number = spec.get("config", {}).get("locale", {}).get("number")
    if number:
        options["format_locale"] = number
    return options
