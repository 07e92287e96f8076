"""Numbers as people write them in a cell: decimal comma, spaces as thousands separators, a real
minus, and the one form that cannot be read without guessing ("1,000")."""

from __future__ import annotations

import re

import polars as pl

from berekraft.core.text import stripped

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


# The forms most cells take, which polars' own parser reads exactly as float() does: ASCII digits,
# an optional minus, an optional decimal point or (not ambiguous) decimal comma. Anything else
# (exponents, "+5", "1_000", other digits, text) goes through parse_number, once per distinct text.
_PLAIN = r"^-?[0-9]+([.,][0-9]+)?$"
_AMBIGUOUS_PLAIN = r"^-?[1-9][0-9]{0,2},[0-9]{3}$"


def parse_numbers(texts: pl.Series | pl.DataFrame) -> pl.Series:
    """:func:`parse_number` of every text in a String column (null for null), as one Float64
    column: the plain forms by polars, the rest by parse_number once per distinct text. A frame
    of one column may be given for the column (a column a reader left as one constant, such as
    an absent numerator, then stays one)."""
    name = texts.columns[0] if isinstance(texts, pl.DataFrame) else texts.name
    cleaned = (
        stripped(pl.col("t"))
        .str.replace_all("\u2212", "-", literal=True)
        .str.replace_all("\u00a0", "", literal=True)
        .str.replace_all(" ", "", literal=True)
    )
    given = (
        texts.select(pl.first().alias("t"))
        if isinstance(texts, pl.DataFrame)
        else texts.alias("t").to_frame()
    )
    frame = given.with_columns(cleaned.alias("c"))
    plain = pl.col("c").str.contains(_PLAIN) & ~pl.col("c").str.contains(_AMBIGUOUS_PLAIN)
    frame = frame.with_columns(
        plain.alias("plain"),
        pl.when(plain).then(pl.col("c").str.replace(",", ".", literal=True).cast(pl.Float64)).alias("n"),
    )
    other = frame.filter(~pl.col("plain") & (pl.col("c") != "")).select(pl.col("t").unique())["t"]
    if other.len():
        parsed = pl.DataFrame(
            {"t": other, "p": [parse_number(t) for t in other.to_list()]},
            schema={"t": pl.String, "p": pl.Float64},
        )
        frame = frame.join(parsed, on="t", how="left", maintain_order="left").with_columns(
            pl.coalesce("n", "p").alias("n")
        )
    # float() reads 400 digits as inf, which parse_number refuses
    return frame.select(pl.when(pl.col("n").is_finite()).then(pl.col("n")))["n"].alias(name)
