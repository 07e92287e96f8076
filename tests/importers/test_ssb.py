"""The PxWebApi v2 client: limits from /config, split requests, pacing, retries, SSB's errors,
and fetch_mapped end to end, against an in-memory SSB (no network)."""

from __future__ import annotations

import httpx
import pytest

from berekraft.core.jsonstat import read_dataset, read_frame
from berekraft.errors import InputError
from berekraft.importers.ssb import fetch_mapped, fetch_table, mapped_selection
from berekraft.importers.ssb_mapping import default_mapping
from berekraft.importers.ssb_selection import SelectionError, plan, resolve

from .fake_ssb import FakeClock, FakeSsb, load, subset, timing

EDUCATION = load("jsonstat/constructed_09429_education.json")
POPULATION = load("ssb/cube_07459_population.json")


def fake(**kwargs: object) -> FakeSsb:
    return FakeSsb(cubes={"09429": EDUCATION, "07459": POPULATION}, **kwargs)  # type: ignore[arg-type]


def test_one_request_under_the_cell_limit_equals_the_cube() -> None:
    ssb, clock = fake(), FakeClock()
    selection = {
        "Region": ["*"],
        "Nivaa": ["*"],
        "Kjonn": ["0"],
        "ContentsCode": ["Personer"],
        "Tid": ["top(2)"],
    }
    data = fetch_table("09429", selection=selection, client=ssb.client(), **timing(clock))
    expected = subset(EDUCATION, {"ContentsCode": ["Personer"]})
    assert read_frame(data).equals(read_frame(expected))
    assert [r.url.path.rsplit("/", 1)[-1] for r in ssb.requests] == ["config", "metadata", "data"]
    assert ssb.requests[1].url.params["outputFormat"] == "json-stat2"


def test_a_selection_over_the_cell_limit_is_split_and_merged_back_in_order() -> None:
    ssb, clock = fake(config=load("ssb/config_small_limits.json")), FakeClock()
    selection = {"Region": ["*"], "Nivaa": ["*"], "Kjonn": ["0"], "ContentsCode": ["*"], "Tid": ["*"]}
    data = fetch_table("09429", selection=selection, client=ssb.client(), **timing(clock))
    assert read_frame(data).equals(read_frame(EDUCATION))  # 4×3×1×2×2 = 48 cells
    sizes = [
        len(r["Region"]) * len(r["Nivaa"]) * len(r["ContentsCode"]) * len(r["Tid"])
        for r in ssb.data_requests()
    ]
    assert all(size <= 10 for size in sizes) and sum(sizes) == 48


def paced(ssb: FakeSsb, calls: int, window: float) -> None:
    assert len(ssb.times) > calls
    for i in range(len(ssb.times) - calls):
        assert ssb.times[i + calls] - ssb.times[i] >= window - 1e-9, ssb.times


def test_calls_are_paced_within_the_calls_per_window_limit() -> None:
    clock = FakeClock()
    ssb = fake(config=load("ssb/config_small_limits.json"), clock=clock)  # 2 calls per 10 s
    selection = {"Region": ["*"], "Nivaa": ["*"], "ContentsCode": ["*"], "Tid": ["*"], "Kjonn": ["0"]}
    fetch_table("09429", selection=selection, client=ssb.client(), **timing(clock))
    assert clock.sleeps
    paced(ssb, 2, 10)


def test_the_ratelimit_policy_header_replaces_a_zero_config() -> None:
    clock = FakeClock()
    config = {**load("ssb/config.json"), "maxDataCells": 10}  # SSB's zeros for the call limit
    ssb = fake(config=config, headers={"x-ratelimit-policy": "3;w=60"}, clock=clock)
    selection = {"Region": ["*"], "Nivaa": ["*"], "ContentsCode": ["*"], "Tid": ["*"], "Kjonn": ["0"]}
    fetch_table("09429", selection=selection, client=ssb.client(), **timing(clock))
    paced(ssb, 3, 60)


def test_429_and_5xx_and_timeouts_are_retried_with_growing_backoff() -> None:
    scripted: dict[tuple[str, str], list[httpx.Response | Exception]] = {
        ("POST", "/tables/09429/data"): [
            httpx.Response(429, json={"title": "Too many requests"}),
            httpx.Response(503, text="busy"),
            httpx.ReadTimeout("slow"),
        ]
    }
    ssb, clock = fake(scripted=scripted), FakeClock()
    data = fetch_table(
        "09429", selection={"Tid": ["2024"], "Kjonn": ["0"]}, client=ssb.client(), **timing(clock)
    )
    assert read_dataset(data).frame.height > 0
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_retry_after_is_honoured_and_retries_are_bounded() -> None:
    busy = [httpx.Response(503, headers={"retry-after": "7"}, json={"title": "Service unavailable"})] * 5
    ssb, clock = fake(scripted={("GET", "/config"): list(busy)}), FakeClock()
    with pytest.raises(InputError) as caught:
        fetch_table("09429", selection={"Tid": ["2024"]}, client=ssb.client(), **timing(clock))
    assert clock.sleeps == [7.0, 7.0, 7.0, 7.0]
    assert "HTTP 503: Service unavailable after 5 tries" in caught.value.problems[0].text()


def test_a_400_quotes_ssbs_own_message() -> None:
    error = httpx.Response(400, json=load("ssb/error_400_non_existent_value.json"))
    ssb, clock = fake(scripted={("POST", "/tables/09429/data"): [error]}), FakeClock()
    with pytest.raises(InputError) as caught:
        fetch_table(
            "09429", selection={"Tid": ["2024"], "Kjonn": ["0"]}, client=ssb.client(), **timing(clock)
        )
    assert "HTTP 400): Non-existent value" in caught.value.problems[0].text()
    assert not clock.sleeps  # a 4xx is not retried


def test_an_unknown_table_and_unknown_codes_are_refused_clearly() -> None:
    ssb, clock = fake(), FakeClock()
    with pytest.raises(InputError, match="1 problem") as caught:
        fetch_table("99999", selection={"Tid": ["2024"]}, client=ssb.client(), **timing(clock))
    assert "HTTP 404" in caught.value.problems[0].text()
    with pytest.raises(InputError) as caught:
        fetch_table("09429", selection={"Tid": ["1850"]}, client=ssb.client(), **timing(clock))
    assert "Tid has no value '1850'" in caught.value.problems[0].text()
    with pytest.raises(InputError) as caught:
        fetch_table("07459", selection={"Tid": ["2024"]}, client=ssb.client(), **timing(clock))
    assert "Region must be selected" in caught.value.problems[0].text()


@pytest.mark.parametrize(
    ("expressions", "codes"),
    [
        (["top(2)"], ["2023", "2024"]),
        (["bottom(1)"], ["2019"]),
        (["from(2023)"], ["2023", "2024"]),
        (["to(2020)"], ["2019", "2020"]),
        (["range(2020,2022)"], ["2020", "2021", "2022"]),
        (["202?"], ["2020", "2021", "2022", "2023", "2024"]),
        (["2024", "2019"], ["2019", "2024"]),
    ],
)
def test_value_expressions_resolve_like_ssb(expressions: list[str], codes: list[str]) -> None:
    assert resolve("Tid", [str(y) for y in range(2019, 2025)], expressions) == codes


def test_plan_keeps_every_request_under_the_limit_and_covers_all() -> None:
    selection = {
        "Region": [str(i) for i in range(357)],
        "Alder": [str(i) for i in range(106)],
        "Tid": ["1", "2"],
    }
    parts = plan(selection, 800)
    assert all(len(p["Region"]) * len(p["Alder"]) * len(p["Tid"]) <= 800 for p in parts)
    assert sum(len(p["Region"]) * len(p["Alder"]) * len(p["Tid"]) for p in parts) == 357 * 106 * 2
    with pytest.raises(SelectionError):
        resolve("Tid", ["2024"], ["top(x)"])


def test_mapped_selection_asks_for_filtered_codes_or_everything() -> None:
    cars = [e for e in default_mapping() if e.table == "07849"]
    assert mapped_selection(cars, [2024]) == {
        "ContentsCode": ["Personbil1"],
        "DrivstoffType": ["*"],
        "KjoringensArt": ["*"],
        "Region": ["*"],
        "Tid": ["2024"],
    }
    education = [e for e in default_mapping() if e.table == "09429"]
    assert mapped_selection(education, None)["Nivaa"] == ["03a", "04a"]
    assert mapped_selection(education, None)["Tid"] == ["top(1)"]


def test_fetch_mapped_fetches_population_for_per_100k_and_maps_the_series() -> None:
    ssb, clock = fake(), FakeClock()
    frame = fetch_mapped("09429", default_mapping(), [2023, 2024], ssb.client(), **timing(clock))
    rows = frame.select("place", "year", "value", "numerator", "denominator").sort("place", "year").rows()
    assert rows == [
        ("1103", "2023", "18750", "13500", "72000"),
        ("1103", "2024", "18750", "13500", "72000"),
        ("3025", "2023", "18000", "8550", "47500"),
        ("3203", "2024", "20000", "9000", "45000"),
    ]
    assert frame["source"][0].endswith("folkemengde: SSB, tabell 07459")
    tables = [r.url.path.split("/")[-2] for r in ssb.requests if r.method == "POST"]
    assert tables == ["09429", "07459"]


def test_fetch_mapped_refuses_an_unmapped_table() -> None:
    ssb = fake()
    with pytest.raises(InputError) as caught:
        fetch_mapped("03024", default_mapping(), None, ssb.client())
    assert "not mapped" in caught.value.problems[0].text() and not ssb.requests
