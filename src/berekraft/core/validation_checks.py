"""The checks of one row of an ImportTable, as messages that say where, what and how to fix.

``core.validation`` finds the rows with a problem for the whole table at once (polars
expressions); the problems of those rows are written here, by the same checks in the same order
as a file is read (row by row, place to duplicate), so a file's problem list does not depend on
how the rows were found. Look-ups by place text and by indicator and series are made once per
distinct text (a file repeats a few hundred places and series).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Protocol

from berekraft.core.catalogue import Indicator, Series, normalise_code
from berekraft.core.numbers import is_ambiguous_number, parse_number
from berekraft.core.problems import Problem, gettext_noop
from berekraft.core.quality import QUALITY_LEVELS, quality_key
from berekraft.core.validation_types import Context

_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: str.isdigit() also takes "²" and "٢٠٢٤"
_UNIT_IN_CELL = re.compile(r"^\s*([-+−]?[\d\s\u00a0.,]*\d[\d\s\u00a0.,]*)\s*([^\d\s].*?)\s*$")


# A value cell holding one of these records "not reported": the value is cleared (None), like any
# change it goes through submit and verify, and undo restores it. Excel may turn «-» into a dash.
NOT_REPORTED = frozenset({"-", "–", "—"})


def pad_code(code: str) -> str:
    """Excel drops leading zeros: 301 → 0301 (municipality), 3 → 03 (county)."""
    code = code.strip()
    if code.isdigit() and len(code) in (1, 3):
        return code.zfill(len(code) + 1)
    return code


def is_share(indicator: Indicator, series: Series) -> bool:
    return series.unit.strip() == "%" or (indicator.scale == 100 and series.unit.strip() in ("%", ""))


Params = tuple[tuple[str, object], ...]
Call = tuple[str, str, str, str, str, Params]  # the arguments of one _Checks.add


class _Checks(Protocol):
    def add(
        self,
        column: str,
        message: str,
        value: str = "",
        hint: str = "",
        severity: str = "error",
        params: Params = (),
    ) -> None: ...


class Recorder:
    """Stands in for a row's checks while a look-up is computed once, so its problems can be
    replayed on every row with the same text (a file repeats a few hundred places and series)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []

    def add(
        self,
        column: str,
        message: str,
        value: str = "",
        hint: str = "",
        severity: str = "error",
        params: Params = (),
    ) -> None:
        self.calls.append((column, message, value, hint, severity, params))


class RowChecks:
    """One row's checks, collecting problems that name its sheet, row and column."""

    def __init__(self, context: Context, sheet: str, row: str, problems: list[Problem]) -> None:
        self.context, self.sheet, self.row, self.problems = context, sheet, row, problems

    def add(
        self,
        column: str,
        message: str,
        value: str = "",
        hint: str = "",
        severity: str = "error",
        params: Params = (),
    ) -> None:
        where = f"{self.context.file}{' › ' + self.sheet if self.sheet else ''}"
        row = int(self.row) if self.row.isdigit() else None
        if row is None and self.row:  # a JSON-stat cell such as "Region=0301, Tid=2023"
            where = f"{where} › {self.row}" if where else self.row
        self.problems.append(
            Problem(
                message,
                file=where,
                row=row,
                column=column,
                value=value,
                hint=hint,
                severity="warning" if severity == "warning" else "error",
                params=params,
            )
        )


def resolve_place(context: Context, text: str, check: _Checks) -> tuple[str | None, tuple[str, str] | None]:
    code = pad_code(text)
    if not code:
        if context.member:
            return context.member, None
        check.add(
            "place", gettext_noop("is empty"), hint=gettext_noop("Give the place's code, e.g. 0301 for Oslo")
        )
        return None, None
    if code in context.successors and code not in context.members:
        targets = context.successors[code]
        new = max(targets, key=lambda t: t[1])[0]
        return new, (code, new)
    if code not in context.places:
        by_name = [p.code for p in context.places.values() if p.name.lower().startswith(code.lower())]
        hint = (
            gettext_noop("Did you mean %(code)s?")
            if by_name
            else gettext_noop("Use the 4-digit municipality or 2-digit county code")
        )
        params: Params = (("code", by_name[0]),) if by_name else ()
        check.add("place", gettext_noop("is not a known place code"), code, hint, params=params)
        return None, None
    return code, None


def _existed(context: Context, check: RowChecks, code: str, year: int) -> bool:
    """Whether ``code`` still existed in ``year``; if not, say so and what it became.

    A place that ended before the data year (Viken 30 after 2023, Ålesund 1507 after its 2024 split)
    cannot have a value for that year: the row names the wrong place, and mapping it to a successor
    would silently give one territory's figure to another. Years *before* a code began are allowed:
    a successor carries its member's series back across the reforms (Ålesund 1508 holds 2015–2023).
    """
    info = context.places.get(code)
    if info is None or info.valid_to is None or year <= info.valid_to.year:
        return True
    became = ", ".join(new for new, _ in context.successors.get(code, []))
    check.add(
        "place",
        gettext_noop("%(code)s %(name)s did not exist in %(year)s: it ended on %(ended)s"),
        code,
        gettext_noop("Use the code of what it became (%(became)s) for %(year)s")
        if became
        else gettext_noop("Remove the rows for years after it ended"),
        params=(
            ("code", code),
            ("name", info.name),
            ("year", year),
            ("ended", info.valid_to.isoformat()),
            ("became", became),
        ),
    )
    return False


def resolve_series(
    context: Context, indicator_text: str, key: str, check: _Checks
) -> tuple[Indicator, Series] | None:
    code = normalise_code(indicator_text)
    local = context.local.get(code)
    if local is not None:
        if key.strip():
            check.add(
                "series",
                gettext_noop("is not a series of %(indicator)s"),
                key,
                gettext_noop("Use one of: %(keys)s"),
                params=(("indicator", local[0].code), ("keys", "(none: leave it empty)")),
            )
            return None
        return local[0], local[1]
    series = context.catalogue.series_by_code(code)
    if series is not None and "/" in code:
        indicator = context.catalogue.indicator(series.indicator)
        return (indicator, series) if indicator else None
    indicator = context.catalogue.indicator(code)
    if indicator is None:
        check.add(
            "indicator",
            gettext_noop("is not a U4SSC indicator code"),
            indicator_text,
            gettext_noop("Use a code such as 'EC: ICT: ICT: 1C' (berekraft catalogue lists them)"),
        )
        return None
    if key:
        found = next((s for s in indicator.series if s.key.lower() == key.strip().lower()), None)
        if found is None:
            keys = ", ".join(s.key for s in indicator.series if s.key) or "(none: leave it empty)"
            check.add(
                "series",
                gettext_noop("is not a series of %(indicator)s"),
                key,
                gettext_noop("Use one of: %(keys)s"),
                params=(("indicator", indicator.code), ("keys", keys)),
            )
            return None
        return indicator, found
    if len(indicator.series) > 1:
        keys = ", ".join(s.key for s in indicator.series)
        check.add(
            "series",
            gettext_noop("%(indicator)s is measured as several series and needs one"),
            hint=gettext_noop("Use one of: %(keys)s"),
            params=(("indicator", indicator.code), ("keys", keys)),
        )
        return None
    return indicator, indicator.series[0]


def _number(check: RowChecks, column: str, text: str, series: Series | None) -> float | None:
    if not text.strip():
        return None
    number = parse_number(text)
    if number is not None:
        return number
    if is_ambiguous_number(text):
        check.add(
            column,
            gettext_noop("is ambiguous: a thousands comma or a decimal comma?"),
            text,
            gettext_noop("Write 1000 without a separator, or 1,0 with a decimal comma"),
        )
        return None
    with_unit = _UNIT_IN_CELL.match(text)
    if with_unit and parse_number(with_unit.group(1)) is not None and series is not None:
        unit = with_unit.group(2)
        expected = series.unit
        if unit.replace(" ", "").lower() != expected.replace(" ", "").lower():
            check.add(
                column,
                gettext_noop(
                    "unit mismatch: the cell says '%(unit)s' but %(series)s is measured in '%(expected)s'"
                ),
                text,
                gettext_noop("Convert the value to %(expected)s and write the number only"),
                params=(("unit", unit), ("series", series.code), ("expected", expected)),
            )
        else:
            check.add(
                column,
                gettext_noop("has its unit written in the cell"),
                text,
                gettext_noop("Write the number only (in %(expected)s)"),
                params=(("expected", expected),),
            )
        return None
    check.add(
        column,
        gettext_noop("is not a number"),
        text,
        gettext_noop("Write a plain number such as 12.5 (decimal comma is fine)"),
    )
    return None


def _check_values(
    check: RowChecks,
    indicator: Indicator,
    series: Series,
    value: float | None,
    num: float | None,
    den: float | None,
) -> float | None:
    if den is not None and den == 0:
        check.add(
            "denominator",
            gettext_noop("is zero"),
            "0",
            gettext_noop("A ratio needs a denominator above zero"),
        )
        return value
    if num is not None and den is not None:
        if is_share(indicator, series) and num > den:
            check.add(
                "numerator",
                gettext_noop("is larger than the denominator (%(denominator)s) for a share"),
                f"{num:g}",
                gettext_noop("A part cannot exceed the whole: check the two figures"),
                params=(("denominator", f"{den:g}"),),
            )
        expected = num / den * indicator.scale
        if value is None:
            value = expected
        elif abs(value - expected) > max(0.05, 0.005 * abs(expected)):
            check.add(
                "value",
                gettext_noop("differs from numerator / denominator × %(scale)s = %(expected)s"),
                f"{value:g}",
                gettext_noop("Correct the value, the numerator or the denominator"),
                params=(("scale", f"{indicator.scale:g}"), ("expected", f"{expected:.4g}")),
            )
    if value is None:
        return None
    unit = series.unit.lower()
    if "yes/no" in unit and value not in (0.0, 1.0):
        check.add("value", gettext_noop("must be 1 (yes) or 0 (no)"), f"{value:g}")
    elif is_share(indicator, series) and not 0 <= value <= 100:
        check.add(
            "value",
            gettext_noop("is a percentage outside 0–100"),
            f"{value:g}",
            gettext_noop("Write a percentage between 0 and 100"),
        )
    elif value < 0 and "tonnes" not in unit:
        check.add("value", gettext_noop("is negative, but this is a count, rate or share"), f"{value:g}")
    for name, number in (("numerator", num), ("denominator", den)):
        if number is not None and number < 0:
            check.add(name, gettext_noop("is negative"), f"{number:g}")
    return value


PlaceMemo = dict[str, tuple[str | None, tuple[str, str] | None, list[Call]]]
SeriesMemo = dict[tuple[str, str], tuple[tuple[Indicator, Series] | None, list[Call]]]


def place_of(
    context: Context, text: str, memo: PlaceMemo
) -> tuple[str | None, tuple[str, str] | None, list[Call]]:
    """``resolve_place`` once per distinct text: (place, (old, new) if mapped, its problems)."""
    if text not in memo:
        recorder = Recorder()
        memo[text] = (*resolve_place(context, text, recorder), recorder.calls)
    return memo[text]


def series_of(
    context: Context, indicator: str, key: str, memo: SeriesMemo
) -> tuple[tuple[Indicator, Series] | None, list[Call]]:
    """``resolve_series`` once per distinct indicator and series text."""
    if (indicator, key) not in memo:
        recorder = Recorder()
        memo[(indicator, key)] = (resolve_series(context, indicator, key, recorder), recorder.calls)
    return memo[(indicator, key)]


def check_row(
    context: Context,
    r: Mapping[str, str | None],
    problems: list[Problem],
    *,
    memos: tuple[PlaceMemo, SeriesMemo],
    first_of: Callable[[tuple[str, str, int], str], str],
) -> None:
    """Append the problems of row ``r`` (an ImportTable row) to ``problems``, in the order a person
    reads them: place, indicator and series, year, numbers, quality, then the checks that need the
    resolved place. ``first_of(key, row)`` is the row on which ``key`` (place, series, year) first
    occurs in the file."""
    check = RowChecks(context, r["_sheet"] or "", r["_row"] or "", problems)
    place, moved, calls = place_of(context, r["place"] or "", memos[0])
    for call in calls:
        check.add(*call)
    resolved, calls = series_of(context, r["indicator"] or "", r["series"] or "", memos[1])
    for call in calls:
        check.add(*call)
    indicator, series = resolved if resolved else (None, None)
    year_text = (r["year"] or "").strip()
    year = int(year_text) if _YEAR.fullmatch(year_text) else None
    if year is None or not context.years[0] <= year <= context.years[1]:
        check.add(
            "year",
            gettext_noop("is not a year in range"),
            year_text,
            gettext_noop("Write a four-digit year from %(first)s to %(last)s"),
            params=(("first", context.years[0]), ("last", context.years[1])),
        )
        year = None
    not_reported = (r["value"] or "").strip() in NOT_REPORTED
    value = None if not_reported else _number(check, "value", r["value"] or "", series)
    num = _number(check, "numerator", r["numerator"] or "", series)
    den = _number(check, "denominator", r["denominator"] or "", series)
    if not_reported:
        for column, number in (("numerator", num), ("denominator", den)):
            if number is not None:
                check.add(
                    column,
                    gettext_noop("is given, but the value is marked not reported («-»)"),
                    f"{number:g}",
                    gettext_noop("Leave the numerator and denominator empty, or give the value"),
                )
    elif indicator and series:
        value = _check_values(check, indicator, series, value, num, den)
    if value is None and not (r["value"] or "").strip() and indicator:
        check.add(
            "value",
            gettext_noop("is empty"),
            hint=gettext_noop("Give a value, or a numerator and a denominator"),
        )
    quality_text = (r["quality"] or "").strip()
    quality = quality_key(quality_text) if quality_text else ""
    if quality_text and quality not in QUALITY_LEVELS:
        check.add(
            "quality",
            gettext_noop("is not one of U4SSC's six quality levels"),
            quality_text,
            gettext_noop("Use one of: %(keys)s"),
            params=(("keys", ", ".join(QUALITY_LEVELS)),),
        )
    original = moved[0] if moved else place
    if original and year is not None and not _existed(context, check, original, year):
        place = None
    if place and context.allowed is not None and place not in context.allowed:
        check.add(
            "place",
            gettext_noop("belongs to another member: you may only write your own member's data"),
            place,
            gettext_noop("Ask the network's secretariat if this is wrong"),
        )
    local = context.local.get(normalise_code(series.code)) if series else None
    if place and local is not None and place != local[2]:
        owner = context.places.get(local[2])
        check.add(
            "indicator",
            gettext_noop("is a local indicator of %(owner)s: only that member reports it"),
            series.code if series else "",
            gettext_noop("Remove the row, or use a U4SSC indicator code"),
            params=(("owner", f"{owner.name} ({local[2]})" if owner else local[2]),),
        )
    if place and series and year is not None:
        first = first_of((place, series.code, year), r["_row"] or "")
        if first != (r["_row"] or ""):
            check.add(
                "value",
                gettext_noop("the same place, series and year is already on row %(first)s"),
                hint=gettext_noop("Keep one row per place, series and year"),
                params=(("first", first),),
            )
