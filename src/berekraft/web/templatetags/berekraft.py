"""Small display helpers for scores."""

from __future__ import annotations

from django import template

register = template.Library()

BAND_LABELS = {
    1: "Less than 33% of target",
    2: "33–66% of target",
    3: "66–95% of target",
    4: "95%+ of target",
}
TREND_LABELS = {
    "target_achieved": ("★", "target achieved"),
    "on_track": ("↑", "on track"),
    "moderate": ("↗", "moderate progress"),
    "limited": ("→", "limited progress"),
    "deterioration": ("↓", "deterioration"),
}


@register.filter
def band_label(band: int | None) -> str:
    return BAND_LABELS.get(band or 0, "not scored")


@register.filter
def trend_symbol(trend: str | None) -> str:
    return TREND_LABELS.get(trend or "", ("", ""))[0]


@register.filter
def trend_label(trend: str | None) -> str:
    return TREND_LABELS.get(trend or "", ("", "no trend"))[1]


@register.filter
def number(value: float | None) -> str:
    """A number as a reader wants it: thousands spaced, at most 3 significant decimals."""
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", "\u202f")
    if abs(value) >= 100:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    """``mapping|get_item:key`` (a dict look-up with a variable key)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
