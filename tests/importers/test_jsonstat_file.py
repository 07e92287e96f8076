"""SSB JSON-stat files mapped to U4SSC series by the packaged mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from polars.testing import assert_frame_equal

from berekraft.core.catalogue import load_catalogue
from berekraft.core.jsonstat import read_dataset
from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.jsonstat_file import read_jsonstat_file
from berekraft.importers.ssb_mapping import (
    MappingError,
    default_mapping,
    normalise_region,
    parse_mapping,
    population_from,
)

from .conftest import FIXTURES, expected

LIMITS = Limits()
JSONSTAT = FIXTURES / "jsonstat"
SOURCE_09429 = "SSB, tabell 09429 (Personer), CC BY 4.0"
SOURCE_07849 = "SSB, tabell 07849 (Personbil1), CC BY 4.0"


COLUMNS = ["_row", "place", "year", "value", "numerator", "denominator", "note"]


def test_higher_education_per_100k_with_population_given_and_old_codes_noted() -> None:
    frame = read_jsonstat_file(
        JSONSTAT / "constructed_09429_education.json",
        LIMITS,
        population={"3203": {"2024": 90000}, "3025": {"2023": 95000}},
    )
    assert_frame_equal(
        frame.select(COLUMNS),
        expected(
            """
_row,place,year,value,numerator,denominator,note
"Region=3203, Tid=2024",3203,2024,10000,9000,90000,
"Region=3025, Tid=2023",3025,2023,9000,8550,95000,SSB Region 3025 «Asker (2020-2023)»
"Region=K-1103, Tid=2023",1103,2023,,13500,,SSB Region K-1103 «Stavanger»; population missing for 1103 2023
"Region=K-1103, Tid=2024",1103,2024,,13500,,SSB Region K-1103 «Stavanger»; population missing for 1103 2024
"""
        ).select(COLUMNS),
    )
    given = f"{SOURCE_09429}; folkemengde: gitt ved import"
    assert frame["source"].to_list() == [given, given, SOURCE_09429, SOURCE_09429]
    assert set(frame.select("indicator", "series", "quality", "origin").rows()) == {
        ("SC: EH: ED: 3C", "", "measured", "ssb")
    }


def test_electric_car_share_is_a_ratio_summed_over_fuel_and_use() -> None:
    frame = read_jsonstat_file(JSONSTAT / "constructed_07849_cars.json", LIMITS)
    assert_frame_equal(
        frame.select(COLUMNS),
        expected(
            """
_row,place,year,value,numerator,denominator,note
"Region=3201, Tid=2024",3201,2024,70,7700,11000,
"Region=0, Tid=2024",NO,2024,70,770000,1100000,SSB Region 0 «Hele landet»
"Region=K-3001, Tid=2024",3001,2024,70,770,1100,SSB Region K-3001 «Halden»
"""
        ).select(COLUMNS),
    )
    assert set(frame.select("indicator", "source").rows()) == {("EC: I: T: 8A", SOURCE_07849)}


def test_population_table_is_read_as_population_and_refused_as_a_series_source() -> None:
    dataset = read_dataset(
        json.loads((JSONSTAT / "ssb_07459_oslo_women_age0.json").read_text(encoding="utf-8"))
    )
    assert population_from(dataset, default_mapping()) == {
        "0301": {
            str(y): float(v)
            for y, v in zip(range(2019, 2026), [4479, 4454, 4345, 4557, 3948, 4114, 4359], strict=True)
        }
    }
    with pytest.raises(InputError) as caught:
        read_jsonstat_file(JSONSTAT / "ssb_07459_oslo_women_age0.json", LIMITS)
    problem = caught.value.problems[0]
    assert "only population" in problem.text() and "07849, 09429" in problem.hint_text()


def test_a_table_the_mapping_does_not_know_is_refused() -> None:
    with pytest.raises(InputError, match="1 problem") as caught:
        read_jsonstat_file(JSONSTAT / "ssb_03024_salmon_export_shortened.json", LIMITS)
    assert "03024 gives nothing" in caught.value.problems[0].text()


def test_an_open_breakdown_keeps_the_entry_out_and_says_so(tmp_path: Path) -> None:
    data = json.loads((JSONSTAT / "constructed_07849_cars.json").read_text(encoding="utf-8"))
    mapping = [e for e in default_mapping() if e.table == "07849"]
    entry = mapping[0]
    narrowed = type(entry)(
        **{**{f: getattr(entry, f) for f in entry.__slots__}, "sum_over": ("DrivstoffType",)}
    )
    path = tmp_path / "cars.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_jsonstat_file(path, LIMITS, mapping=[narrowed])
    assert "'KjoringensArt' has 2 categories; the mapping neither filters nor sums it" in str(
        caught.value.problems[0]
    )


@pytest.mark.parametrize(
    ("code", "place"),
    [("0301", "0301"), ("K-3001", "3001"), ("F-30", "30"), ("301", "0301"), ("0", "NO"), ("3025", "3025")],
)
def test_region_codes_are_normalised_and_old_codes_kept(code: str, place: str) -> None:
    assert normalise_region(code) == place


def test_packaged_mapping_uses_only_verified_codes_and_known_series() -> None:
    entries = default_mapping()
    verified = {  # data-sources.md §1.4–1.5, marked ✔ there
        "07459": {"ContentsCode": {"Personer1"}, "dims": {"Region", "Kjonn", "Alder", "Tid"}},
        "06913": {"ContentsCode": {"Folkemengde"}, "dims": {"Region", "Tid"}},
        "09429": {
            "ContentsCode": {"Personer", "PersonerProsent"},
            "dims": {"Region", "Nivaa", "Kjonn", "Tid"},
        },
        "07849": {
            "ContentsCode": {"Personbil1"},
            "dims": {"Region", "KjoringensArt", "DrivstoffType", "Tid"},
        },
    }
    codes = {
        "Kjonn": {"0", "1", "2"},
        "Nivaa": {"01", "02a", "11", "03a", "04a", "09a", "00"},
        "DrivstoffType": {"5"},
    }
    catalogue = load_catalogue()
    for entry in entries:
        assert entry.contents in verified[entry.table]["ContentsCode"], entry.id
        named = {*entry.filters, *entry.sum_over, *entry.numerator, *entry.denominator}
        assert named <= verified[entry.table]["dims"], entry.id
        for dimension, values in {**entry.filters, **entry.numerator}.items():
            assert set(values) <= codes[dimension], entry.id
        assert entry.confidence in {"high", "medium", "low"}
        assert entry.provides == "population" or catalogue.series_by_code(entry.series) is not None


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, "list under 'entries'"),
        ({"entries": [{"id": "x", "table": 7459, "contents": "P"}]}, "quoted"),
        (
            {"entries": [{"id": "x", "table": "1", "contents": "P", "series": "S", "method": "log"}]},
            "unknown method",
        ),
        ({"entries": [{"id": "x", "table": "1", "contents": "P"}]}, "either series or provides"),
        (
            {"entries": [{"id": "x", "table": "1", "contents": "P", "series": "S", "filters": {"K": "0"}}]},
            "codes",
        ),
    ],
)
def test_a_bad_mapping_says_which_entry_is_wrong(document: object, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        parse_mapping(yaml.safe_load(yaml.safe_dump(document)))
