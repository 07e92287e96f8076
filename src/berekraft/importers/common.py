"""What every reader shares: refusing a file with a Problem, decoding text, tidy column names,
U4SSC's quality levels, and building the ImportTable. Kept here so the readers agree on them."""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import polars as pl

from berekraft.core.problems import Problem, gettext_noop
from berekraft.core.quality import QUALITY_LEVELS, quality_key, quality_label
from berekraft.errors import InputError
from berekraft.importers.base import IMPORT_COLUMNS, IMPORT_SCHEMA, Limits

# U4SSC's quality levels live in core.quality; re-exported here for the readers.
__all__ = ["QUALITY_LEVELS", "quality_key", "quality_label"]


# Tidy column names and the Norwegian words people use for them in a header row.
ALIASES: dict[str, tuple[str, ...]] = {
    "place": ("place", "sted", "kommune", "kommunenummer", "fylke", "fylkesnummer"),
    "indicator": ("indicator", "indikator", "kpi"),
    "series": ("series", "serie", "datapunkt"),
    "year": ("year", "år", "aar", "årstall"),
    "value": ("value", "verdi"),
    "numerator": ("numerator", "teller"),
    "denominator": ("denominator", "nevner"),
    "quality": ("quality", "kvalitet", "datakvalitet", "quality level", "kvalitetsnivå"),
    "origin": ("origin", "opphav", "dataopphav"),
    "source": ("source", "kilde"),
    "note": ("note", "merknad", "kommentar"),
}
_ALIAS_TO_COLUMN = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
REQUIRED = ("place", "indicator", "year")
Params = tuple[tuple[str, object], ...]


def column_for(header: str) -> str | None:
    """The tidy column a header cell names: ``"Verdi"``, ``"value"``, ``"Verdi / Value"`` → value."""
    text = " ".join(str(header).split()).casefold()
    if text in _ALIAS_TO_COLUMN:
        return _ALIAS_TO_COLUMN[text]
    parts = [p.strip() for p in text.split("/")]
    found = {_ALIAS_TO_COLUMN[p] for p in parts if p in _ALIAS_TO_COLUMN}
    return found.pop() if len(found) == 1 else None


def header_problems(columns: Sequence[str | None], file: str, sheet: str = "") -> list[Problem]:
    """Problems with a tidy header (the tidy names of its cells, None for others): a required column
    or the value column missing, or a column named twice."""
    on_sheet: Params = (("sheet", sheet),) if sheet else ()
    problems = [
        Problem(
            gettext_noop("the header row on sheet %(sheet)r names %(column)r twice")
            if sheet
            else gettext_noop("the header row names %(column)r twice"),
            file=file,
            row=1,
            column=column,
            hint=gettext_noop("Keep one column of each name"),
            params=(*on_sheet, ("column", column)),
        )
        for column in dict.fromkeys(c for c in columns if c and columns.count(c) > 1)
    ]
    present = {c for c in columns if c}
    missing = [c for c in REQUIRED if c not in present]
    if "value" not in present and not {"numerator", "denominator"} <= present:
        missing.append("value")
    if not missing:
        return problems
    return [
        *problems,
        Problem(
            gettext_noop("the header row on sheet %(sheet)r lacks the column(s) %(columns)s")
            if sheet
            else gettext_noop("the header row lacks the column(s) %(columns)s"),
            file=file,
            row=1,
            hint=gettext_noop(
                "Name the columns place, indicator, series, year, value (optional numerator, "
                "denominator, quality, origin, source, note); Norwegian names such as sted, indikator, "
                "år, verdi are accepted too"
            ),
            params=(*on_sheet, ("columns", ", ".join(missing))),
        ),
    ]


def refuse(
    path: Path | str, message: str, hint: str = "", *, params: Params = (), **where: object
) -> InputError:
    """An InputError with one Problem about the file (raise it). ``message`` and ``hint`` are
    templates marked with gettext_noop; their %(name)s values come from ``params``."""
    name = Path(path).name
    problem = Problem(message, file=name, hint=hint, params=params, **where)  # type: ignore[arg-type]
    return InputError([problem], summary=f"{name} cannot be imported")


def check_size(path: Path, limits: Limits) -> int:
    """Refuse a missing, empty or too large file; return its size in bytes."""
    try:
        size = path.stat().st_size
    except OSError:
        raise refuse(path, gettext_noop("the file does not exist or cannot be read")) from None
    if not path.is_file():
        raise refuse(path, gettext_noop("is not a file"))
    if size == 0:
        raise refuse(
            path, gettext_noop("the file is empty"), gettext_noop("Choose the file that holds the data")
        )
    if size > limits.max_bytes:
        raise refuse(
            path,
            gettext_noop("the file is %(size)s MB, more than the %(limit)s MB accepted"),
            gettext_noop("Split it into smaller files, e.g. one per year"),
            params=(("size", f"{size / 1e6:.1f}"), ("limit", f"{limits.max_bytes / 1e6:.1f}")),
        )
    return size


def read_text(path: Path, limits: Limits) -> str:
    """The file as text. UTF-8 (with or without BOM) is the only encoding accepted: a file saved in
    another encoding is refused with the encoding it seems to be in and how to save it as UTF-8."""
    return read_utf8(path, limits).decode("utf-8-sig")


def read_utf8(path: Path, limits: Limits) -> bytes:
    """The file's bytes, checked to be UTF-8 text (``read_text`` without decoding: a reader that
    parses bytes, such as polars, need not hold the text twice)."""
    check_size(path, limits)
    data = path.read_bytes()
    hint = gettext_noop(
        "Save it as UTF-8: in Excel «Lagre som» → «CSV UTF-8 (kommadelt)»; in LibreOffice tick «UTF-8»"
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(path, gettext_noop("the file is UTF-16 text; UTF-8 is expected"), hint)
    if b"\x00" in data[:65536]:
        raise refuse(
            path,
            gettext_noop("the file holds binary data, not UTF-8 text"),
            gettext_noop("Choose a text (CSV/JSON) file"),
        )
    if _is_utf8(data):
        return data
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise refuse(
            path,
            gettext_noop(
                "the file is not UTF-8 text (it looks like Windows-1252 / ISO-8859-1); UTF-8 is expected"
            )
            if _looks_latin1(data)
            else gettext_noop("the file is not UTF-8 text (it looks like not UTF-8); UTF-8 is expected"),
            hint,
            row=line,
            value=data[exc.start : exc.start + 4].hex(" "),
        ) from None
    return data


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, decoded a megabyte at a time (not a second copy of a large file
    in memory); ``read_utf8`` decodes it whole to say where it is not."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _looks_latin1(data: bytes) -> bool:
    return any(b in data for b in (b"\xe6", b"\xf8", b"\xe5", b"\xc6", b"\xd8", b"\xc5"))


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: 12 → "12", 12.0 → "12", 0.1 → "0.1"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value).strip()


def split_series_code(code: str) -> tuple[str, str]:
    """``"EN: EN: AQ: 1C/PM2.5"`` → (``"EN: EN: AQ: 1C"``, ``"PM2.5"``); no key → ("…", "")."""
    head, _, key = code.strip().partition("/")
    return head.strip(), key.strip()


def table(records: Iterable[Mapping[str, str]]) -> pl.DataFrame:
    """The ImportTable from row dicts; absent columns become "" and the order is IMPORT_COLUMNS."""
    rows = list(records)
    return pl.DataFrame(
        {c: [str(r.get(c) or "") for r in rows] for c in IMPORT_COLUMNS}, schema=IMPORT_SCHEMA
    )
