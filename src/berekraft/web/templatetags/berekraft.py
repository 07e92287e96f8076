"""Display helpers for scores, in the reader's language."""

from __future__ import annotations

import functools
import json
from typing import Any

from django import template
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from berekraft.accounts.selectors import can_verify
from berekraft.web.charts import band_label as _band_label
from berekraft.web.numbers import format_number, format_percent
from berekraft.web.views.base import language

register = template.Library()


def _trends() -> dict[str, tuple[str, str]]:
    return _trends_in(get_language())


@functools.cache
def _trends_in(language: str | None) -> dict[str, tuple[str, str]]:
    """Trend symbols and labels in the active language (translated once per language)."""
    return {
        "target_achieved": ("★", _("target achieved")),
        "on_track": ("↑", _("on track")),
        "moderate": ("↗", _("moderate progress")),
        "limited": ("→", _("limited progress")),
        "deterioration": ("↓", _("deterioration")),
    }


@register.filter
def band_label(band: int | None) -> str:
    return _band_label(band)


@register.filter
def trend_symbol(trend: str | None) -> str:
    return _trends().get(trend or "", ("", ""))[0]


@register.filter
def trend_label(trend: str | None) -> str:
    return _trends().get(trend or "", ("", _("no trend")))[1]


@register.filter
def status_label(status: str | None) -> str:
    return {
        "verified": pgettext("status", "verified"),
        "submitted": pgettext("status", "submitted"),
        "draft": pgettext("status", "draft"),
        "returned": pgettext("status", "returned"),
        "missing": pgettext("status", "missing"),
    }.get(status or "", status or "")


@register.filter
def quality_label(quality: str | None) -> str:
    """U4SSC's six data-quality levels (Verification Manual p.162)."""
    return {
        "measured": pgettext("quality", "accurate measurements"),
        "survey": pgettext("quality", "extrapolated from a survey of inhabitants"),
        "higher_level": pgettext("quality", "extrapolated from higher-level data"),
        "assumptions": pgettext("quality", "estimation based on assumptions"),
        "personal": pgettext("quality", "personal estimation"),
        "unknown": pgettext("quality", "unknown methodology, not traceable"),
    }.get(quality or "", quality or "")


@register.filter
def scope_label(scope: str | None) -> str:
    return {
        "default": pgettext("target", "default"),
        "network": pgettext("target", "network"),
        "local": pgettext("target", "local"),
    }.get(scope or "", scope or "")


@register.filter
def direction_label(direction: str | None) -> str:
    return {
        "higher": _("higher is better"),
        "lower": _("lower is better"),
        "range": _("within a range"),
    }.get(direction or "", direction or "")


@register.filter
def number(value: float | str | None) -> str:
    """A number in the page's language (``web/numbers.py``); "–" for a missing one."""
    return format_number(value, language())


@register.filter
def percent(value: float | str | None) -> str:
    """A percentage in the page's language: ``98 %`` (nb, nn), ``98%`` (en); "–" when missing."""
    return format_percent(value, language())


@register.filter
def fixed(value: float | str | None, decimals: int = 1) -> str:
    """A number with a fixed count of decimals in the page's language (a change in points)."""
    return format_number(value, language(), int(decimals))


@register.filter
def may_verify(user: Any) -> bool:
    """Whether to offer ``user`` the verifier's pages (the queue, coverage): others get a 403."""
    return can_verify(user)


@register.filter
def get(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """``mapping[key]``, or None when there is no mapping (a member with no values at all)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.simple_tag(takes_context=True)
def twin_url(context: dict[str, Any], fmt: str) -> str:
    """This page's .json or .csv twin, with the same query."""
    request = context["request"]
    path = request.path.rstrip("/") or "/index"
    query = request.META.get("QUERY_STRING", "")
    return f"{path}.{fmt}" + (f"?{query}" if query else "")


@register.simple_tag
def cell(page: Any, series_id: int, code: str, year: int) -> Any:
    return page.cell(series_id, code, year)


@register.filter
def fraction_percent(value: float | None) -> str:
    """A share 0–1 as a whole percentage."""
    share = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    return format_percent(None if share is None else share * 100, language())


@register.filter
def to_json(value: Any) -> str:
    """A chart spec as JSON for a data- attribute (the template escapes it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@register.filter
def localised_name(item: Any) -> str:
    """A goal's, indicator's or series' name in the language the page is shown in."""
    return str(item.name(language()))


@register.filter
def localised_numerator(indicator: Any) -> str:
    """An indicator's numerator in words, in the language the page is shown in."""
    return str(indicator.numerator_text(language()))


@register.filter
def localised_denominator(indicator: Any) -> str:
    """An indicator's denominator in words, in the language the page is shown in."""
    return str(indicator.denominator_text(language()))


@register.filter
def problem_message(problem: Any) -> str:
    """A validation problem's message in the page's language."""
    return str(problem.text(_))


@register.filter
def problem_where(problem: Any) -> str:
    """Where a problem is (file, row, column), in the page's language."""
    return str(problem.where_text(_, lambda name: str(COLUMN_NAMES.get(name, name))))


# The fields of an import (core.tidy, the workbook) as a reader names them; others stay as written.
COLUMN_NAMES = {
    "place": pgettext_lazy("column", "place"),
    "indicator": pgettext_lazy("column", "indicator"),
    "series": pgettext_lazy("column", "series"),
    "year": pgettext_lazy("column", "year"),
    "value": pgettext_lazy("column", "value"),
    "numerator": pgettext_lazy("column", "numerator"),
    "denominator": pgettext_lazy("column", "denominator"),
    "quality": pgettext_lazy("column", "quality"),
    "data_origin": pgettext_lazy("column", "data origin"),
    "source": pgettext_lazy("column", "source"),
    "note": pgettext_lazy("column", "note"),
    "target": pgettext_lazy("column", "target"),
    "direction": pgettext_lazy("column", "direction"),
}


@register.filter
def problem_hint(problem: Any) -> str:
    return str(problem.hint_text(_))
