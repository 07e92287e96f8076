"""The JSON-stat 2.0 reader: real SSB examples, constructed edge cases, and a property against a
naive per-cell reference implementation."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from berekraft.core import jsonstat
from berekraft.core.jsonstat import JsonStatError, loads, read_dataset, read_frame

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jsonstat"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_real_07459_population_gives_one_row_per_year_with_codes() -> None:
    dataset = read_dataset(fixture("ssb_07459_oslo_women_age0.json"), labels=True)
    frame = dataset.frame
    assert frame.columns == [
        "Region",
        "Region_label",
        "Kjonn",
        "Kjonn_label",
        "Alder",
        "Alder_label",
        "ContentsCode",
        "ContentsCode_label",
        "Tid",
        "Tid_label",
        "value",
        "status",
    ]
    assert frame["Region"].to_list() == ["0301"] * 7
    assert frame["Region_label"][0] == "Oslo"
    assert frame["Tid"].to_list() == [str(y) for y in range(2019, 2026)]
    assert frame["value"].to_list() == [4479.0, 4454.0, 4345.0, 4557.0, 3948.0, 4114.0, 4359.0]
    assert frame["value"].dtype == pl.Float64
    assert dataset.table_id == "07459"
    assert dataset.role_dimension("geo") == "Region"
    assert dataset.dimension("ContentsCode").units["Personer1"]["base"] == "personer"  # type: ignore[union-attr]


def test_real_03024_is_row_major_with_the_last_dimension_fastest() -> None:
    dataset = read_dataset(fixture("ssb_03024_salmon_export_shortened.json"))
    frame = dataset.frame
    assert frame.height == 12
    first = frame.head(3)
    assert first["VareGrupper2"].to_list() == ["01", "01", "01"]
    assert first["ContentsCode"].to_list() == ["Vekt"] * 3
    assert first["Tid"].to_list() == ["2025U01", "2025U02", "2025U03"]
    assert first["value"].to_list() == [11364.0, 15939.0, 17325.0]
    assert frame.row(3, named=True) | {} == {
        "VareGrupper2": "01",
        "ContentsCode": "Kilopris",
        "Tid": "2025U01",
        "value": None,
        "status": "..",
    }
    assert dataset.table_id == "03024"  # from extension.px.tableid


def test_role_geo_missing_falls_back_to_the_region_dimension_id() -> None:
    data = fixture("ssb_07459_oslo_women_age0.json")
    del data["role"]["geo"]
    dataset = read_dataset(data)
    assert dataset.role_dimension("geo") == "Region"
    assert dataset.role_dimension("time") == "Tid"


def base(sizes: list[int], value: Any, **extra: Any) -> dict[str, Any]:
    ids = [f"D{i}" for i in range(len(sizes))]
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ids,
        "size": sizes,
        "dimension": {
            d: {"category": {"index": [f"{d}c{j}" for j in range(s)]}}
            for d, s in zip(ids, sizes, strict=True)
        },
        "value": value,
        **extra,
    }


def test_sparse_values_and_statuses_fill_absent_cells_with_null() -> None:
    frame = read_frame(base([2, 3], {"1": 5, "4": 2.5}, status={"0": "..", "4": "*"}))
    assert frame["value"].to_list() == [None, 5.0, None, None, 2.5, None]
    assert frame["status"].to_list() == ["..", None, None, None, "*", None]


def test_status_as_one_string_or_a_list() -> None:
    assert read_frame(base([2], [1, None], status="p"))["status"].to_list() == ["p", "p"]
    assert read_frame(base([2], [1, None], status=[None, ":"]))["status"].to_list() == [None, ":"]


def test_single_category_without_index_and_index_as_object() -> None:
    data = base([1, 2], [1, 2])
    data["dimension"]["D0"]["category"] = {"label": {"only": "Only"}}
    data["dimension"]["D1"]["category"] = {"index": {"b": 1, "a": 0}}
    frame = read_frame(data)
    assert frame["D0"].to_list() == ["only", "only"]
    assert frame["D1"].to_list() == ["a", "b"]


def test_numeric_strings_in_value_are_numbers() -> None:
    assert read_frame(base([2], ["1.5", None]))["value"].to_list() == [1.5, None]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (base([2], [1]), "'value' has 1 cells"),
        (base([2], {"7": 1}), "outside the cube"),
        (base([2], ["x", 1]), "not a number"),
        ({**base([2], [1, 2, 3]), "size": [3]}, "size is 3"),
        ({**base([2], [1, 2]), "class": "collection"}, "collection"),
        ([1, 2], "JSON object"),
        ({**base([2], [1, 2]), "dimension": {}}, "missing"),
        ({**base([1], [1]), "size": [-1]}, "non-negative"),
    ],
)
def test_malformed_datasets_are_refused_with_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(JsonStatError, match=message):
        read_frame(data)


def test_a_huge_sparse_cube_is_refused_before_memory_is_spent() -> None:
    with pytest.raises(JsonStatError, match="more than"):
        read_frame(base([100_000, 100_000], {}), max_cells=1_000_000)


def test_invalid_json_is_a_jsonstat_error() -> None:
    with pytest.raises(JsonStatError, match="not valid JSON"):
        loads("{")
    with pytest.raises(JsonStatError):
        loads("[" * 100_000)


def naive(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The obvious reference: walk every cell in row-major order."""
    ids, sizes = data["id"], data["size"]
    codes = [data["dimension"][d]["category"]["index"] for d in ids]
    values, status = data["value"], data.get("status")
    rows = []
    for flat, combo in enumerate(itertools.product(*(range(s) for s in sizes))):
        row: dict[str, Any] = {d: codes[k][combo[k]] for k, d in enumerate(ids)}
        raw = values.get(str(flat)) if isinstance(values, dict) else values[flat]
        row["value"] = None if raw is None else float(raw)
        row["status"] = status.get(str(flat)) if isinstance(status, dict) else None
        rows.append(row)
    return rows


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    sizes = draw(st.lists(st.integers(1, 5), min_size=0, max_size=4))
    n = math.prod(sizes)
    cell = st.one_of(
        st.none(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False)
    )
    values = draw(st.lists(cell, min_size=n, max_size=n))
    sparse = draw(st.booleans())
    value: Any = {str(i): v for i, v in enumerate(values) if v is not None} if sparse else values
    status = {str(i): draw(st.sampled_from(["..", ".", ":"])) for i in range(n) if draw(st.booleans())}
    return base(sizes, value, status=status)


@settings(max_examples=300, deadline=None)
@given(datasets())
def test_reader_equals_a_naive_per_cell_reference(data: dict[str, Any]) -> None:
    assert read_frame(data).to_dicts() == naive(data)


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("a dimension was decoded before the cheap checks refused the dataset")


def test_too_many_dimensions_are_refused_before_any_is_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 7, finding 10: 220,000 one-category dimensions cost 3.3 GB and 23 s before a refusal.
    monkeypatch.setattr(jsonstat, "_dimension", _never)
    data = base([1] * 220_000, [1.0])
    with pytest.raises(JsonStatError, match="220000 dimensions, more than the 32 accepted"):
        read_dataset(data)
    # SSB's own tables have up to a handful: 32 is accepted (and the cheap checks do not refuse it).
    monkeypatch.undo()
    assert read_frame(base([1] * 32, [1.0])).height == 1


def test_value_length_and_missing_dimensions_are_checked_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jsonstat, "_dimension", _never)
    with pytest.raises(JsonStatError, match="'value' has 5 cells but the sizes give 6"):
        read_dataset(base([2, 3], [1, 2, 3, 4, 5]))
    with pytest.raises(JsonStatError, match="dimension 'D1': missing"):
        read_dataset({**base([2, 3], [1] * 6), "dimension": {"D0": {"category": {"index": ["a", "b"]}}}})
