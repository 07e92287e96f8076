"""Malformed files of every kind get an InputError or a valid ImportTable: never another exception."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from berekraft.core.catalogue import load_catalogue
from berekraft.errors import InputError
from berekraft.importers.base import IMPORT_COLUMNS, Limits
from berekraft.importers.registry import read_file
from berekraft.importers.workbook import write_template

from .fake_ssb import load

LIMITS = Limits(max_bytes=2_000_000, max_rows=2_000, max_columns=200)
SUFFIXES = [".csv", ".xlsx", ".json", ".txt", ".xlsm", ".xls", ""]


@cache
def template_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        write_template(
            path, member_code="1103", member_name="Stavanger", year=2024, catalogue=load_catalogue()
        )
        return path.read_bytes()


def workbook_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


random_bytes = st.tuples(st.binary(max_size=3000), st.sampled_from(SUFFIXES))
truncated = st.builds(
    lambda cut, suffix: (template_bytes()[: max(1, int(len(template_bytes()) * cut))], suffix),
    st.floats(0, 0.999),
    st.sampled_from([".xlsx", ".xlsx", ".csv"]),
)


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[bytes, str]:
    data = bytearray(template_bytes())
    for _ in range(draw(st.integers(1, 20))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data), ".xlsx"


printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20)
cells = st.one_of(
    st.none(), st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False), printable
)
formula = st.sampled_from(["=1+1", "=SUM(A1:A3)", "=A1/0", '=HYPERLINK("x")'])
workbooks = st.builds(
    lambda header, rows: (workbook_bytes([header, *rows]), ".xlsx"),
    st.one_of(
        st.just(["place", "indicator", "series", "year", "value"]),
        st.lists(printable, max_size=8),
    ),
    st.lists(st.lists(st.one_of(cells, formula), max_size=8), max_size=10),
)
wrong_encoding = st.builds(
    lambda text, encoding: (
        ("place,indicator,year,value\n" + text).encode(encoding, errors="replace"),
        ".csv",
    ),
    st.text(alphabet='æøåÆØÅ,;\n"abc123 ', max_size=200),
    st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-32", "mac_roman"]),
)
csv_garbage = st.builds(
    lambda text, header: ((header + text).encode("utf-8"), ".csv"),
    st.text(alphabet=st.sampled_from(list(',;\t"\n\r x1€æ\x00')), max_size=400),
    st.sampled_from(
        ["", "place,indicator,year,value\n", "Year,GeoCode,Value\n", "place;indicator;year;verdi\n"]
    ),
)
wide = st.builds(
    lambda n, sep: (sep.join(f"c{i}" for i in range(n)).encode() + b"\n" + b"1" * n, ".csv"),
    st.integers(150, 5000),
    st.sampled_from([",", ";"]),
)
wide_sheet = st.builds(
    lambda n: (workbook_bytes([[f"c{i}" for i in range(n)]]), ".xlsx"), st.integers(190, 400)
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
json_garbage = st.builds(lambda value: (json.dumps(value).encode(), ".json"), json_values)


@st.composite
def mutated_jsonstat(draw: st.DrawFn) -> tuple[bytes, str]:
    data = load("jsonstat/constructed_07849_cars.json")
    key = draw(st.sampled_from(["size", "value", "id", "dimension", "status", "extension", "role", "label"]))
    data[key] = draw(json_values)
    return json.dumps(data).encode(), ".json"


malformed = st.one_of(
    random_bytes,
    truncated,
    corrupted(),
    workbooks,
    wrong_encoding,
    csv_garbage,
    wide,
    wide_sheet,
    json_garbage,
    mutated_jsonstat(),
)


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(malformed)
def test_every_malformed_file_gets_an_input_error_or_a_valid_import_table(case: tuple[bytes, str]) -> None:
    data, suffix = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            _, frame = read_file(path, LIMITS)
        except InputError as error:
            assert error.problems and all(p.message for p in error.problems)
            return
    assert tuple(frame.columns) == IMPORT_COLUMNS
    assert all(dtype == pl.String for dtype in frame.dtypes)


def test_a_zip_with_the_xlsx_parts_but_garbage_xml_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("xl/workbook.xml", "<<<")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bad.xlsx"
        path.write_bytes(out.getvalue())
        try:
            read_file(path, LIMITS)
        except InputError as error:
            assert "cannot be read as an .xlsx workbook" in str(error.problems[0])
        else:
            raise AssertionError("garbage workbook accepted")
