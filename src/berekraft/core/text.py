"""Text as people type it, judged for whole columns (polars) as Python judges one string.

Python's ``str.strip()`` and polars' ``strip_chars()`` disagree about what whitespace is (Python
also strips the ASCII separators \x1c–\x1f); a reader or a rule that strips a million cells with
polars must strip what the row-by-row code stripped, or the two would read a file differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

# What Python's str.strip() strips (str.isspace(): Unicode whitespace and the four ASCII
# separators \x1c–\x1f), for polars' strip_chars, whose default (Rust's White_Space) differs.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_CLASS = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in WHITESPACE) + "]"
BLANK = f"^{_CLASS}*$"  # a text that ``str.strip()`` leaves empty
EDGES = f"^{_CLASS}|{_CLASS}$"  # a text that ``str.strip()`` changes


def blank(text: pl.Expr) -> pl.Expr:
    """Whether ``str.strip()`` leaves each text empty (without making the stripped texts)."""
    return text.str.contains(BLANK)


def stripped_in(text: pl.Expr, values: Iterable[str]) -> pl.Expr:
    """Whether ``str.strip()`` of each text is one of ``values`` (without making the stripped texts)."""
    alternatives = "|".join(re.escape(v) for v in sorted(values))
    return text.str.contains(f"^{_CLASS}*(?:{alternatives}){_CLASS}*$")


def stripped(text: pl.Expr) -> pl.Expr:
    """``str.strip()`` of every text in a column."""
    return text.str.strip_chars(WHITESPACE)


def stripped_column(frame: pl.DataFrame, name: str) -> pl.Expr:
    """``str.strip()`` of the column ``name`` of ``frame``: the column itself when no text in it
    needs stripping (no copy of a million texts to change none of them)."""
    if frame.select(pl.col(name).str.contains(EDGES).any()).item():
        return stripped(pl.col(name))
    return pl.col(name)
