"""Pure helpers for PxWebApi v2 fetches: resolve a selection against a table's metadata, split it
into requests under the cell limit, and merge the JSON-stat parts back into one dataset.

Resolving locally (``*``, ``?``, ``top(n)``, ``bottom(n)``, ``from(x)``, ``to(x)``, ``range(a,b)``
and plain codes, as in SSB's guide) lets us count cells before asking, name an unknown code in our
own words, and send every request with explicit codes, so that split requests cannot overlap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any

import polars as pl

from berekraft.core.jsonstat import Dataset, read_dataset

_CALL = re.compile(r"^(top|bottom|from|to|range)\((.*)\)$", re.IGNORECASE)


class SelectionError(ValueError):
    """A selection that does not fit the table (unknown variable or code, bad expression)."""


def resolve(variable: str, codes: Sequence[str], expressions: Sequence[str]) -> list[str]:
    """The codes an expression list selects, in the table's order."""
    chosen: set[str] = set()
    for expression in expressions:
        text = expression.strip()
        call = _CALL.match(text)
        if call:
            chosen |= _call(
                variable, codes, call.group(1).lower(), [a.strip() for a in call.group(2).split(",")]
            )
        elif "*" in text or "?" in text:
            chosen |= {c for c in codes if fnmatchcase(c, text)}
        elif text in codes:
            chosen.add(text)
        else:
            sample = ", ".join(codes[:8]) + (" …" if len(codes) > 8 else "")
            raise SelectionError(f"{variable} has no value {text!r} (it has {sample})")
    if not chosen:
        raise SelectionError(f"the selection for {variable} ({', '.join(expressions)}) matches nothing")
    return [c for c in codes if c in chosen]


def _call(variable: str, codes: Sequence[str], name: str, args: list[str]) -> set[str]:
    try:
        if name in ("top", "bottom"):
            n = int(args[0])
            return set(codes[-n:] if name == "top" else codes[:n]) if n > 0 else set()
    except (ValueError, IndexError):
        raise SelectionError(f"{variable}: {name}() takes a whole number") from None
    low = args[0] if name in ("from", "range") else None
    high = args[-1] if name in ("to", "range") else None
    if name == "range" and len(args) != 2:
        raise SelectionError(f"{variable}: range() takes two values")
    return {c for c in codes if (low is None or c >= low) and (high is None or c <= high)}


def cells(selection: Mapping[str, Sequence[str]]) -> int:
    return math.prod(len(v) for v in selection.values())


def plan(selection: Mapping[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """Split a resolved selection into selections of at most ``max_cells`` cells each, cutting the
    variable with most values first (usually Region or Tid), then the next, as far as needed."""
    if cells(selection) <= max_cells:
        return [dict(selection)]
    variable = max(selection, key=lambda v: len(selection[v]))
    values = selection[variable]
    if len(values) <= 1:
        raise SelectionError(f"a single combination has more than {max_cells} cells")
    rest = cells(selection) // len(values)
    size = max(1, max_cells // max(rest, 1))
    parts = []
    for start in range(0, len(values), size):
        parts += plan({**selection, variable: values[start : start + size]}, max_cells)
    return parts


def merge(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One JSON-stat dataset from datasets that share dimensions but hold different categories
    (the answers to a split selection). Categories keep the order of their first appearance."""
    if len(parts) == 1:
        return dict(parts[0])
    datasets: list[Dataset] = [read_dataset(p) for p in parts]
    first = datasets[0]
    codes: dict[str, dict[str, str]] = {d.id: {} for d in first.dimensions}
    for dataset in datasets:
        for d in dataset.dimensions:
            for code, label in zip(d.codes, d.labels, strict=True):
                codes[d.id].setdefault(code, label)
    ids = list(codes)
    sizes = [len(codes[i]) for i in ids]
    frame = pl.concat([d.frame.select(*ids, "value", "status") for d in datasets])
    flat = pl.lit(0, dtype=pl.Int64)
    stride = math.prod(sizes)
    for i, size in zip(ids, sizes, strict=True):
        stride //= size
        position = pl.col(i).replace_strict(list(codes[i]), list(range(size)), return_dtype=pl.Int64)
        flat = flat + position * stride
    frame = frame.with_columns(flat.alias("_flat"))
    n = math.prod(sizes)
    values = pl.Series([None] * n, dtype=pl.Float64).scatter(frame["_flat"], frame["value"])
    status = frame.filter(pl.col("status").is_not_null())
    dimension = {}
    for i in ids:
        raw = dict(parts[0]["dimension"][i])
        category = dict(raw.get("category", {}))
        category["index"] = {c: k for k, c in enumerate(codes[i])}
        category["label"] = dict(codes[i])
        raw["category"] = category
        dimension[i] = raw
    merged = {k: v for k, v in parts[0].items() if k not in ("value", "status", "size", "dimension")}
    return {
        **merged,
        "size": sizes,
        "dimension": dimension,
        "value": values.to_list(),
        "status": dict(zip((str(f) for f in status["_flat"]), status["status"], strict=True)),
    }
