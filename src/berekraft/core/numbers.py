"""Numbers as people write them in a cell: decimal comma, spaces as thousands separators, a real
minus, and the one form that cannot be read without guessing ("1,000")."""

from __future__ import annotations

import re

# "1,000" and "12,345": English thousands or a Norwegian decimal comma? A leading 0 ("0,125")
# cannot be thousands, so it is not ambiguous.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+$")


def _clean_number(text: str) -> str:
    return text.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")


def is_ambiguous_number(text: str) -> bool:
    """Whether a comma before exactly three digits could be a thousands separator or a decimal
    comma (``1,000``, ``12,345``, ``1,000,000``). :func:`parse_number` refuses such text rather
    than guess; the caller says why and asks for ``1000`` or ``1,0``."""
    return bool(_AMBIGUOUS.match(_clean_number(text)))


def parse_number(text: str) -> float | None:
    """A number as people write it: decimal comma, spaces as thousands separators, a real minus.

    ``None`` for anything that is not one number, including the ambiguous ``1,000``
    (:func:`is_ambiguous_number`): read as 1.0 it silently loses a factor of a thousand."""
    cleaned = _clean_number(text)
    if _AMBIGUOUS.match(cleaned):
        return None
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None
