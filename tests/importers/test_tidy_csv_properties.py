"""Properties of the tidy CSV reader that hold for every file: a CSV without quotes read by
polars (``read_plain``) gives the same ImportTable, or the same refusal, as the csv module row by
row (``read_any``); and a file polars does not take is still read."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.tidy_csv import read_any, read_plain, read_tidy_csv

HEADERS = [
    "place,indicator,series,year,value",
    "Sted;Indikator;År;Verdi;Kvalitet;Kilde",
    "place\tindicator\tyear\tnumerator\tdenominator\tnote",
    " place , indicator ,year,value,extra,value",  # a column named twice
    "place,indicator,value",  # no year
    "place,indicator,year,value,,",
]
FIELD = st.text(alphabet="ab1,;\t ø\u00a0\u2028\x1c-", max_size=6)
LINE_END = st.sampled_from(["\n", "\r\n"])


@st.composite
def files(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(HEADERS))
    separator = ";" if ";" in header else "\t" if "\t" in header else ","
    lines = [header]
    for _ in range(draw(st.integers(0, 8))):
        width = draw(st.integers(0, header.count(separator) + 2))
        lines.append(separator.join(draw(FIELD) for _ in range(width)))
    text = "".join(line + draw(LINE_END) for line in lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode()


def _outcome(read: object) -> object:
    try:
        return read()  # type: ignore[operator]
    except InputError as exc:
        return [str(p) for p in exc.problems]


@settings(max_examples=300, deadline=None)
@given(files(), st.integers(1, 6))
def test_polars_reads_a_csv_without_quotes_as_the_csv_module_does(data: bytes, max_rows: int) -> None:
    limits = Limits(max_rows=max_rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_bytes(data)
        fast = _outcome(lambda: read_plain(path, data, limits))
        slow = _outcome(lambda: read_any(path, data.decode("utf-8-sig"), limits))
    if fast is None:
        return  # polars declined (a row longer than the header): the csv module reads it
    if isinstance(slow, list) or isinstance(fast, list):
        assert fast == slow
    else:
        assert_frame_equal(fast, slow)


@pytest.mark.parametrize(
    "data",
    [
        b'place,indicator,year,value,note\n0301,EC: I: WS: 1C,2023,"99,5","a, b"\n',
        b"place,indicator,year,value\r0301,EC: I: WS: 1C,2023,99\r",  # old Mac line ends
        b"place,indicator,year,value\n0301,EC: I: WS: 1C,2023,99,\n",  # an empty extra field
    ],
)
def test_what_polars_does_not_take_the_csv_module_reads(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    assert read_plain(path, data, Limits()) is None
    frame = read_tidy_csv(path, Limits())
    assert frame.select("_row", "place", "year").rows() == [("2", "0301", "2023")]
