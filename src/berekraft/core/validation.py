"""Validation of an ImportTable: every problem at once, each saying where, what and how to fix.

Errors block an import; warnings do not but are shown and stored with the batch for the verifier.

Errors: unknown place, indicator or series; a member's local indicator (``core.local``) in another
member's row; a year out of range; not a number; a unit written in the
cell that is not the series' unit; a percentage outside 0–100; a negative count or rate; a yes/no
series that is not 0 or 1; a denominator of zero; numerator > denominator for a share; a value that
differs from numerator / denominator × scale beyond rounding; the same place, series and year twice
in one file; a member writing another member's data; an unknown quality level.

Warnings (``core.plausibility``, computed only when there is no error): a jump from the previous
year beyond the series' threshold; population denominators that vary more than 5 % within one
submission (U4SSC Verification Manual §6.1); a rate per 100 000 built on fewer than 5 events.

Old municipality codes (2020–2023) are mapped to the current place through the reform links; the
result says which codes were mapped and how. A code is refused for a year after it ended (no
silent mapping).

How: the rules are polars expressions over the whole table (a country's file is a million rows;
a Python loop over them took minutes). Places and series are resolved once per distinct text and
joined in; numbers are parsed as columns. The rows that break a rule are then described by
``core.validation_checks`` (the messages, in the order a person reads them), so the problems of a
file are the same as if it were checked row by row (tests/core/test_validation_properties.py
compares the two on generated tables).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from berekraft.core.catalogue import normalise_code
from berekraft.core.numbers import parse_numbers
from berekraft.core.plausibility import plausibility_warnings
from berekraft.core.problems import Problem
from berekraft.core.quality import QUALITY_LEVELS, quality_key
from berekraft.core.text import blank, stripped, stripped_column, stripped_in
from berekraft.core.validation_checks import (
    NOT_REPORTED,
    PlaceMemo,
    SeriesMemo,
    check_row,
    is_share,
    pad_code,
    place_of,
    series_of,
)
from berekraft.core.validation_types import ROW_SCHEMA, Context, Validated

# An ImportTable's columns (importers.base), all text.
TEXT_COLUMNS = (
    "_sheet",
    "_row",
    "place",
    "indicator",
    "series",
    "year",
    "value",
    "numerator",
    "denominator",
    "quality",
    "origin",
    "source",
    "note",
)
col = pl.col


def _places(context: Context, texts: pl.Series, memo: PlaceMemo) -> pl.DataFrame:
    """Per distinct place text: the place, the old code it was mapped from (and to), whether it is
    a problem, the code as padded, and the last year the original code existed."""
    records = []
    for text in texts.to_list():
        place, moved, calls = place_of(context, text, memo)
        original = moved[0] if moved else place
        info = context.places.get(original) if original else None
        ended = info.valid_to.year if info is not None and info.valid_to is not None else None
        records.append((text, place, *(moved or (None, None)), bool(calls), pad_code(text), ended))
    names = ["place_text", "place_code", "moved_from", "moved_to", "place_bad", "original_place", "ended"]
    types = [pl.String, pl.String, pl.String, pl.String, pl.Boolean, pl.String, pl.Int64]
    return pl.DataFrame(records, schema=dict(zip(names, types, strict=True)), orient="row")


def _series(context: Context, pairs: pl.DataFrame, memo: SeriesMemo) -> pl.DataFrame:
    """Per distinct (indicator, series) text: the series and what its rules need."""
    records: list[tuple[object, ...]] = []
    for indicator_text, key in pairs.iter_rows():
        resolved, calls = series_of(context, indicator_text, key, memo)
        if resolved is None:
            records.append((indicator_text, key, None, None, False, False, False, bool(calls), None))
            continue
        indicator, series = resolved
        unit = series.unit.lower()
        local = context.local.get(normalise_code(series.code))
        records.append(
            (
                indicator_text,
                key,
                series.code,
                float(indicator.scale),
                is_share(indicator, series),
                "yes/no" in unit,
                "tonnes" in unit,
                bool(calls),
                local[2] if local is not None else None,
            )
        )
    schema = {
        "indicator": pl.String,
        "series": pl.String,
        "series_code": pl.String,
        "scale": pl.Float64,
        "share": pl.Boolean,
        "yes_no": pl.Boolean,
        "tonnes": pl.Boolean,
        "series_bad": pl.Boolean,
        "owner": pl.String,
    }
    return pl.DataFrame(records, schema=schema, orient="row")


def _qualities(texts: pl.Series) -> pl.DataFrame:
    """Per distinct quality text: the stored key ("" for none) and whether it is a problem."""
    records = []
    for text in texts.to_list():
        given = text.strip()
        key = quality_key(given) if given else ""
        records.append(
            (text, key if key in QUALITY_LEVELS else "", bool(given) and key not in QUALITY_LEVELS)
        )
    schema = {"quality": pl.String, "quality_key": pl.String, "quality_bad": pl.Boolean}
    return pl.DataFrame(records, schema=schema, orient="row")


def _lookup(keys: pl.DataFrame, info: pl.DataFrame) -> pl.DataFrame:
    """The columns of ``info`` (one row per distinct key) for every row of ``keys``: a join of the
    key columns only, so the table itself is not copied."""
    return keys.join(info, on=keys.columns, how="left", maintain_order="left").drop(keys.columns)


def _value_rules(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The value as stored (computed from numerator and denominator when only they are given)
    and whether a rule on the numbers (``validation_checks._check_values``) is broken."""
    v, num, den = col("v"), col("num"), col("den")
    not_reported, given = col("not_reported"), col("value_given")
    resolved = col("series_code").is_not_null()
    checked = ~not_reported & resolved
    zero = den.is_not_null() & (den == 0)
    both = num.is_not_null() & den.is_not_null() & ~zero
    expected = num / den * col("scale")
    final = pl.when(not_reported).then(None).when(checked & both & v.is_null()).then(expected).otherwise(v)
    judged = checked & ~zero & final.is_not_null()  # _check_values goes on to the unit rules
    unparsed = [~blank(value) & v.is_null()] + [
        ~blank(col(name)) & parsed.is_null() for name, parsed in (("numerator", num), ("denominator", den))
    ]
    rules = [
        ~not_reported & unparsed[0],  # not a number
        *unparsed[1:],
        not_reported & (num.is_not_null() | den.is_not_null()),
        checked & zero,
        checked & both & col("share") & (num > den),
        checked
        & both
        & v.is_not_null()
        & ((v - expected).abs() > pl.max_horizontal(pl.lit(0.05), 0.005 * expected.abs())),
        judged & col("yes_no") & (final != 0) & (final != 1),
        judged & ~col("yes_no") & col("share") & ~((final >= 0) & (final <= 100)),
        judged & ~col("yes_no") & ~col("share") & (final < 0) & ~col("tonnes"),
        judged & ((num < 0) | (den < 0)),
        final.is_null() & ~given & resolved,  # empty
    ]
    return final, pl.any_horizontal(*rules)


def _texts(table: pl.DataFrame) -> pl.DataFrame:
    """The ImportTable's columns, "" for null (the table itself when it has none: a select would
    spell out the columns a reader left as one constant)."""
    counts = table.select(TEXT_COLUMNS).null_count().row(0, named=True)  # table[c] would spell it out
    nulls = [c for c in TEXT_COLUMNS if counts[c]]
    texts = table.with_columns(col(c).fill_null("") for c in nulls) if nulls else table
    return texts.select(TEXT_COLUMNS) if texts.columns != list(TEXT_COLUMNS) else texts


def _typed(texts: pl.DataFrame, context: Context, memos: tuple[PlaceMemo, SeriesMemo]) -> pl.DataFrame:
    """Every rule evaluated for every row: the typed row (ROW_SCHEMA's columns, with the series as
    ``series_code``), the old code mapped (``moved_from``, ``moved_to``), ``bad`` (the row has a
    problem: ``check_row`` says which) and ``key`` (place, series and year, when all are known)."""
    place_texts = texts.select(col("place").alias("place_text"))
    pairs = texts.select("indicator", "series")
    looked = pl.concat(
        [
            _lookup(place_texts, _places(context, place_texts["place_text"].unique(), memos[0])),
            _lookup(pairs, _series(context, pairs.unique(), memos[1])),
            _lookup(texts.select("quality"), _qualities(texts.select(col("quality").unique())["quality"])),
            pl.DataFrame(
                [
                    parse_numbers(texts.select("value")).alias("v"),
                    parse_numbers(texts.select("numerator")).alias("num"),
                    parse_numbers(texts.select("denominator")).alias("den"),
                ]
            ),
        ],
        how="horizontal",
    )
    first, last = context.years
    year_text = stripped(col("year"))
    year = pl.when(year_text.str.contains(r"^[0-9]{4}$")).then(year_text.cast(pl.Int64, strict=False))
    ended = (
        col("ended").is_not_null()
        & col("year_number").is_not_null()
        & (col("year_number") > col("ended"))
        & pl.coalesce("moved_from", "place_code").is_not_null()
    )
    place = pl.when(~col("place_ended")).then(col("place_code"))
    keyed = place.is_not_null() & col("series_code").is_not_null() & col("year_number").is_not_null()
    allowed = (
        place.is_not_null() & ~place.is_in(sorted(context.allowed))
        if context.allowed is not None
        else pl.lit(False)
    )
    final, numbers_bad = _value_rules(col("value"))
    rules = [
        col("place_bad"),
        col("series_bad"),
        col("year_number").is_null(),
        numbers_bad,
        col("quality_bad"),
        col("place_ended"),
        allowed,
        col("owner").is_not_null() & place.is_not_null() & (place != col("owner")),
        # a key seen before (the same row text twice is no duplicate: check_row decides)
        keyed & ~pl.struct(place, "series_code", "year_number").is_first_distinct(),
    ]
    return (
        pl.concat([texts, looked], how="horizontal")
        .lazy()
        .with_columns(
            pl.when(year.is_between(first, last)).then(year).alias("year_number"),
            stripped_in(col("value"), NOT_REPORTED).alias("not_reported"),
            ~blank(col("value")).alias("value_given"),
        )
        .with_columns(ended.alias("place_ended"))
        .select(
            place.alias("place"),
            "series_code",
            "year_number",
            final.alias("value_final"),
            "num",
            "den",
            col("quality_key"),
            stripped_column(texts, "origin").alias("data_origin"),
            stripped_column(texts, "source").alias("source"),
            stripped_column(texts, "note").alias("note"),
            "_sheet",
            "_row",
            "original_place",
            pl.when(~col("place_ended")).then(col("moved_from")).alias("moved_from"),
            "moved_to",
            pl.any_horizontal(*rules).fill_null(False).alias("bad"),
            keyed.alias("keyed"),
        )
        .collect()
    )


def _problems(
    texts: pl.DataFrame, typed: pl.DataFrame, context: Context, memos: tuple[PlaceMemo, SeriesMemo]
) -> list[Problem]:
    """The problems of the rows with one, described row by row (``check_row``), in file order."""
    key = ["place", "series_code", "year_number"]
    bad = typed.with_row_index("_i").filter(col("bad"))
    keys = bad.filter(col("keyed")).select(key).unique()
    firsts = (
        typed.filter(col("keyed"))
        .join(keys, on=key, how="semi", maintain_order="left")
        .unique(key, keep="first", maintain_order=True)
        .select(*key, col("_row").alias("first_row"))
    )
    bad = bad.join(firsts, on=key, how="left", maintain_order="left")
    problems: list[Problem] = []
    rows = texts[bad["_i"]]
    for r, first in zip(rows.iter_rows(named=True), bad["first_row"].to_list(), strict=True):
        check_row(context, r, problems, memos=memos, first_of=_always(first))
    return problems


def _always(first: str) -> Callable[[tuple[str, str, int], str], str]:
    """``first_of`` for a row whose key's first row is known (computed for the whole table)."""
    return lambda _key, _row: first


def validate(table: pl.DataFrame, context: Context) -> Validated:
    """Check every row of an ImportTable; return typed rows (empty if any error) and all problems."""
    memos: tuple[PlaceMemo, SeriesMemo] = ({}, {})
    texts = _texts(table)
    frame = _typed(texts, context, memos)
    problems = _problems(texts, frame, context, memos) if frame["bad"].any() else []
    del texts
    rows = frame.select(
        "place",
        col("series_code").alias("series"),
        col("year_number").alias("year"),
        col("value_final").alias("value"),
        col("num").alias("numerator"),
        col("den").alias("denominator"),
        col("quality_key").alias("quality"),
        *list(ROW_SCHEMA)[7:],
    ).cast(ROW_SCHEMA)  # type: ignore[arg-type]
    errors = any(p.severity == "error" for p in problems)
    if not errors:
        populations = {code: p.population for code, p in context.places.items()}
        units = {pair[1].code: pair for pair, _ in memos[1].values() if pair is not None}
        problems.extend(
            plausibility_warnings(
                rows, units, file=context.file, previous=context.previous, populations=populations
            )
        )
    mapped = (
        frame.filter(col("moved_from").is_not_null())
        .group_by("moved_from", "moved_to")
        .len()
        .sort("moved_from", "moved_to")
    )
    mapped_list: list[dict[str, object]] = [
        {
            "from": old,
            "to": new,
            "rows": n,
            "kind": "renumber" if len(context.successors[old]) == 1 else "split",
        }
        for old, new, n in mapped.iter_rows()
    ]
    return Validated(rows=rows.clear() if errors else rows, problems=problems, mapped=mapped_list)
