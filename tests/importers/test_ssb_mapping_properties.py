"""Properties of the SSB mapping that hold for every dataset: ``map_dataset`` (polars expressions
per entry) gives the same ImportTable rows, in the same order, and the same skipped entries as the
row-by-row mapping it replaced (tests/importers/reference_ssb_mapping.py), for every method
(as is, ratio, per 100 000 with population given, in the file, both or neither), placeholder and
old region codes, missing cells and SSB's status flags."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from berekraft.core.jsonstat import read_dataset
from berekraft.importers.ssb_mapping import map_dataset, parse_mapping
from tests.importers import reference_ssb_mapping

REGIONS = {
    "3201": "Bærum",
    "0": "Hele landet",
    "K-3001": "Halden",
    "301": "Oslo",
    "3025": "Asker (2020-2023)",
    "0399": "Uoppgitt",
    "21": "Svalbard",
    "EAK01": "Økonomisk region",
    "F-30": "Viken (2020-2023)",
    "1103": "Stavanger",
}
YEARS = ["2023", "2024"]
FUEL = ["1", "5"]
CONTENTS = ["Antall", "Folk"]
ENTRIES: list[dict[str, Any]] = [
    {
        "id": "as-is",
        "table": "99999",
        "contents": "Antall",
        "series": "EC: ICT: ICT: 1C",
        "sum_over": ["Fuel"],
    },
    {
        "id": "ratio",
        "table": "99999",
        "contents": "Antall",
        "series": "EC: I: T: 8A",
        "method": "ratio",
        "numerator": {"Fuel": ["5"]},
        "denominator": {},
        "sum_over": ["Fuel"],
        "scale": 100,
    },
    {
        "id": "rate",
        "table": "99999",
        "contents": "Antall",
        "series": "SC: SH: SA: 1C",
        "method": "per_100k",
        "filters": {"Fuel": ["1"]},
        "quality": "higher_level",
    },
    {"id": "people", "table": "99999", "contents": "Folk", "provides": "population", "sum_over": ["Fuel"]},
    {"id": "open", "table": "99999", "contents": "Antall", "series": "EN: EN: AQ: 1C/PM10"},  # Fuel open
]

cells = st.one_of(
    st.none(),
    st.just(0.0),
    st.integers(0, 200_000).map(float),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
)


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    regions = draw(st.lists(st.sampled_from(list(REGIONS)), min_size=1, max_size=6, unique=True))
    size = [len(regions), len(FUEL), len(CONTENTS), len(YEARS)]
    n = size[0] * size[1] * size[2] * size[3]
    values = draw(st.lists(cells, min_size=n, max_size=n))
    status = draw(
        st.dictionaries(st.integers(0, n - 1).map(str), st.sampled_from(["..", ".", ":", "p"]), max_size=4)
    )

    def dimension(codes: list[str], labels: dict[str, str] | None = None) -> dict[str, Any]:
        return {
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": labels or {c: c for c in codes},
            }
        }

    return {
        "version": "2.0",
        "class": "dataset",
        "label": "99999: Konstruert tabell",
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "id": ["Region", "Fuel", "ContentsCode", "Tid"],
        "size": size,
        "dimension": {
            "Region": dimension(regions, {r: REGIONS[r] for r in regions}),
            "Fuel": dimension(FUEL),
            "ContentsCode": dimension(CONTENTS),
            "Tid": dimension(YEARS),
        },
        "extension": {"px": {"tableid": "99999"}},
        "value": values,
        "status": status,
    }


population = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["3201", "3001", "0301", "1103", "NO"]),
        st.dictionaries(st.sampled_from(YEARS), st.one_of(st.just(0), st.integers(1, 800_000)), max_size=2),
        max_size=4,
    ),
)


@settings(max_examples=300, deadline=None)
@given(datasets(), population, st.permutations(ENTRIES))
def test_map_dataset_is_the_row_by_row_mapping(
    data: dict[str, Any], people: dict[str, dict[str, int]] | None, entries: list[dict[str, Any]]
) -> None:
    dataset = read_dataset(data, labels=False)
    mapping = parse_mapping({"entries": entries})
    found, skipped = map_dataset(dataset, mapping, population=people, population_source="gitt")
    expected, expected_skipped = reference_ssb_mapping.map_dataset(
        dataset, mapping, population=people, population_source="gitt"
    )
    assert skipped == expected_skipped
    assert_frame_equal(found, expected)
