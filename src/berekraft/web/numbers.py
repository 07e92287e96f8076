"""Numbers as a reader of each language writes them: one helper for the templates, the chart labels
and the table labels built in Python.

bokmål and nynorsk (Språkrådet): decimal comma, a (thin, no-break) space between thousands and a
no-break space before the per cent sign: ``12 345,6`` and ``98,4 %``. English: ``12,345.6`` and
``98.4%``. A missing value (None, or the empty string a template gives for a missing attribute)
is shown as a dash, never an error.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import get_language

MISSING = "–"
THOUSANDS = {"en": ","}
NORWEGIAN_THOUSANDS = "\u202f"  # narrow no-break space: a line never breaks inside a number


def _as_float(value: Any) -> float | None:
    """A number, or None for what is not one (None, "", a non-finite float)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _localise(text: str, language: str) -> str:
    """``text`` written with ',' between thousands and '.' for decimals, in ``language``."""
    if language == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", NORWEGIAN_THOUSANDS)


def format_number(value: Any, language: str, decimals: int | None = None) -> str:
    """A value as a reader wants it: thousands spaced; with ``decimals`` None at most 2 decimals
    (1 from 100, none from 1000), trailing zeros dropped."""
    number = _as_float(value)
    if number is None:
        return MISSING
    if decimals is None:
        decimals = 0 if abs(number) >= 1000 else 1 if abs(number) >= 100 else 2
        text = f"{number:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{number:,.{decimals}f}"
    if text in ("-0", "-0.0"):
        text = text[1:]
    return _localise(text, language)


def format_percent(value: Any, language: str, decimals: int = 0) -> str:
    """A percentage (0–100 and beyond): ``98 %`` in nb/nn, ``98%`` in English."""
    number = _as_float(value)
    if number is None:
        return MISSING
    text = format_number(number, language, decimals)
    return f"{text}%" if language == "en" else f"{text}\u00a0%"


def page_language() -> str:
    """The active language as one of the site's three (nb when none or another is active)."""
    code = (get_language() or "nb")[:2]
    return code if code in ("nb", "nn", "en") else "nb"


def vega_locale(language: str) -> dict[str, Any]:
    """The d3-format locale for Vega-Lite's ``config.locale``: chart labels and tooltips write
    numbers as the page does."""
    if language == "en":
        number = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}
    else:
        number = {"decimal": ",", "thousands": NORWEGIAN_THOUSANDS, "grouping": [3], "currency": ["", " kr"]}
    return {"number": number}
