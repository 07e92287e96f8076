"""Open-data downloads, each checked against its published format and against the published values
in the database (never against the writer's own idea of them)."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from berekraft.catalogue.models import Indicator
from berekraft.core.jsonstat import read_dataset
from berekraft.importers.base import Limits
from berekraft.importers.registry import read_file
from berekraft.observations.imports import import_table
from berekraft.observations.models import Observation
from berekraft.opendata import opensdg, sdmx
from berekraft.opendata.rows import PlaceMeta, Published, SeriesMeta, Value

pytestmark = pytest.mark.django_db


@pytest.fixture
def en() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def published_values(**where: Any) -> dict[tuple[str, str, int], float]:
    """(place code, series code, year) → published value, straight from the database (members)."""
    rows = Observation.objects.filter(
        published_value__isnull=False, place__memberships__network__code="baerekraftsnettverket", **where
    ).values_list("place__code", "series__code", "year", "published_value")
    return {(p, s, y): v for p, s, y, v in rows if v is not None}


def test_json_stat_reads_back_through_berekraft_and_pyjstat_to_the_published_numbers(en: Client) -> None:
    response = en.get("/download/kpis/en-en-aq-1c.json-stat.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    expected = published_values(series__indicator__code="EN: EN: AQ: 1C")
    assert len(expected) > 100 and len({k[1] for k in expected}) == 5  # five pollutants
    assert data["version"] == "2.0" and data["class"] == "dataset"
    assert data["role"] == {"geo": ["place"], "metric": ["series"], "time": ["year"]}
    units = data["dimension"]["series"]["category"]["unit"]
    assert units["EN: EN: AQ: 1C/PM2.5"]["label"]  # each series carries its unit

    ours = read_dataset(data).frame.drop_nulls("value")
    assert {
        (r["place"], r["series"], int(r["year"])): r["value"] for r in ours.iter_rows(named=True)
    } == expected
    quality = Observation.objects.filter(
        published_value__isnull=False, series__code="EN: EN: AQ: 1C/PM2.5", place__code="5001"
    ).values_list("year", "published_quality")
    status = {
        int(r["year"]): r["status"] for r in ours.iter_rows(named=True) if r["series"].endswith("PM2.5")
    }
    for year, level in quality:
        if level:
            assert status[year] == level

    from pyjstat import pyjstat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' deprecation notices inside pyjstat
        frame = pyjstat.Dataset.read(response.content.decode()).write("dataframe", naming="id")
    frame = frame.dropna(subset=["value"])
    theirs = {(r.place, r.series, int(r.year)): float(r.value) for r in frame.itertuples()}
    assert theirs == expected


def test_open_sdg_files_are_laid_out_as_an_open_sdg_data_repository_takes_them(en: Client) -> None:
    indicator = Indicator.objects.get(code="EC: ICT: ICT: 1C")
    goal = min(g.number for g in indicator.goals.all())
    ident = f"{goal}-u4ssc-ec-ict-ict-1c"
    response = en.get("/download/kpis/ec-ict-ict-1c.open-sdg.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {f"data/indicator_{ident}.csv", f"meta/{ident}.md"} <= set(archive.namelist())
    text = archive.read(f"data/indicator_{ident}.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    # Open SDG's data format: Year first, Value last, GeoCode second to last, breakdowns between.
    assert header[0] == "Year" and header[-1] == "Value" and header[-2] == "GeoCode"
    assert "Units" in header
    got = {}
    for row in rows[1:]:
        assert len(row) == len(header)
        assert re.fullmatch(r"\d{4}", row[0]), row
        assert all(cell == cell.strip() for cell in row), row  # no trailing white space in categories
        got[(row[-2], "EC: ICT: ICT: 1C", int(row[0]))] = float(row[-1])
    assert got == published_values(series__code="EC: ICT: ICT: 1C")

    front = archive.read(f"meta/{ident}.md").decode("utf-8")
    assert front.startswith("---\n")
    meta = yaml.safe_load(front.split("---\n")[1])
    assert meta["sdg_goal"] == str(goal)
    assert meta["indicator_number"] == ident.replace("-", ".", 2)
    assert meta["reporting_status"] in ("complete", "inprogress", "notstarted")
    assert meta["graph_type"] == "line" and meta["published"] is True
    assert meta["data_non_statistical"] is False
    assert "not a UN SDG indicator" in meta["national_indicator_description"]


def test_open_sdg_files_for_everything_hold_one_pair_per_indicator(en: Client) -> None:
    archive = zipfile.ZipFile(io.BytesIO(en.get("/download/berekraft-data.open-sdg.zip").content))
    data = [n for n in archive.namelist() if n.startswith("data/")]
    meta = [n for n in archive.namelist() if n.startswith("meta/")]
    assert len(data) == len(meta) == Indicator.objects.count()


def test_sdmx_csv_follows_the_field_guide_and_sdmx1_reads_it(en: Client) -> None:
    response = en.get("/download/members/5001.sdmx.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv; version=2.0.0")
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert all(r[0] == "dataflow" and r[1] == "BEREKRAFT:U4SSC_KPI(1.0.0)" and r[2] == "I" for r in rows[1:])
    expected = {(p, sdmx.series_id(s), y): v for (p, s, y), v in published_values(place__code="5001").items()}
    assert len(rows) - 1 == len(expected)

    from sdmx.model import common as sdmx_common
    from sdmx.model import v30
    from sdmx.reader.csv import Reader

    dsd = v30.DataStructureDefinition(id=sdmx.DATAFLOW)
    for name in sdmx.DIMENSIONS:
        dsd.dimensions.getdefault(name)
    for name in sdmx.MEASURES:
        dsd.measures.getdefault(name)
    for name in sdmx.ATTRIBUTES:
        dsd.attributes.getdefault(name)
    message = Reader().convert(io.BytesIO(response.content), structure=dsd)
    observations = [o for ds in message.data for o in ds.obs]
    assert all(ds.action == sdmx_common.ActionType.information for ds in message.data)
    read = {
        (
            o.dimension["REF_AREA"].value,
            o.dimension["SERIES"].value,
            int(o.dimension["TIME_PERIOD"].value),
        ): float(o.value)
        for o in observations
    }
    assert read == expected


def test_the_workbook_holds_the_published_values_and_imports_unchanged(en: Client, tmp_path: Path) -> None:
    response = en.get("/download/members/1103/2020.xlsx")
    assert response.status_code == 200
    path = tmp_path / "u4ssc-1103-2020.xlsx"
    path.write_bytes(response.content)
    reader, frame = read_file(path, Limits())
    assert reader.name == "workbook"
    read = {
        (r["place"], r["indicator"] + (f"/{r['series']}" if r["series"] else ""), int(r["year"])): float(
            r["value"]
        )
        for r in frame.iter_rows(named=True)
        if r["value"] not in (None, "")
    }
    expected = published_values(place__code="1103", year=2020)
    assert len(expected) > 50
    assert read == expected
    report = import_table(
        frame, file_name=path.name, checksum="-", reader=reader.name, user=None, dry_run=True
    )
    assert not [p for p in report.problems if p.severity == "error"]
    assert (report.new, report.changed) == (0, 0)
    assert report.unchanged == len(expected)


def test_a_workbook_for_a_year_that_is_not_one_is_not_found(en: Client) -> None:
    assert en.get("/download/members/1103/1800.xlsx").status_code == 404
    assert en.get("/download/members/0301/2020.xlsx").status_code == 404  # Oslo is not a member
    assert en.get("/download/members/30/2024.xlsx").status_code == 404  # Viken ended in 2023
    assert en.get("/download/members/30/2022.xlsx").status_code == 200


def test_the_download_all_zip_is_a_valid_frictionless_data_package(en: Client, tmp_path: Path) -> None:
    archive = zipfile.ZipFile(io.BytesIO(en.get("/download/berekraft-data.zip").content))
    archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert {"members", "series", "targets", "series_scores", "aggregate_scores", "values"} <= set(resources)
    scores = resources["series_scores"]["schema"]
    assert scores["primaryKey"] == ["place", "series", "year"]
    assert {"fields": "place", "reference": {"resource": "members", "fields": "code"}} in scores[
        "foreignKeys"
    ]
    fields = {f["name"]: f for f in scores["fields"]}
    assert fields["year"]["type"] == "integer" and fields["value"]["type"] == "number"
    assert fields["achievement"]["unit"].startswith("%")
    assert {f["name"]: f["type"] for f in resources["members"]["schema"]["fields"]}["code"] == "string"

    from frictionless import validate

    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    values = list(csv.DictReader(io.StringIO((tmp_path / "values.csv").read_text(encoding="utf-8"))))
    assert len(values) == len(published_values())


def test_the_dcat_catalogue_parses_and_has_dcat_ap_no_mandatory_properties(en: Client) -> None:
    turtle = en.get("/catalog.ttl")
    assert turtle["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.content.decode("utf-8"), format="turtle")
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        jsonld = Graph().parse(data=en.get("/catalog.jsonld").content.decode("utf-8"), format="json-ld")
    assert len(jsonld) == len(graph) > 1000

    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1
    catalogue = catalogues[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
        assert graph.value(catalogue, prop) is not None, prop
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph and graph.value(publisher, FOAF.name)

    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == Indicator.objects.count() + 1
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher, DCAT.theme):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert graph.value(distribution, DCAT.accessURL) is not None
            assert graph.value(distribution, DCTERMS["format"]) is not None
            assert graph.value(distribution, DCTERMS.license) == URIRef(
                "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
            )
    everything = URIRef("http://testserver/datasets/berekraft-data")
    period = graph.value(everything, DCTERMS.temporal)
    years = sorted({y for _, _, y in published_values()})
    assert str(graph.value(period, DCAT.startDate)) == f"{years[0]}-01-01"
    assert str(graph.value(period, DCAT.endDate)) == f"{years[-1]}-12-31"
    assert graph.value(everything, DCTERMS.spatial) is not None
    # The distributions it names are there.
    for distribution in graph.objects(everything, DCAT.distribution):
        path = str(distribution).removeprefix("http://testserver")
        assert en.get(path).status_code == 200, path


def test_unknown_formats_kpis_and_members_are_not_found(en: Client) -> None:
    for url in (
        "/download/kpis/no-such-kpi.sdmx.csv",
        "/download/kpis/ec-ict-ict-1c.xml",
        "/download/members/9999.json-stat.json",
    ):
        assert en.get(url).status_code == 404, url


def test_text_that_a_spreadsheet_would_run_goes_out_as_text() -> None:
    hostile = '=HYPERLINK("http://example.org")'
    data = Published(
        title="t",
        series=[
            SeriesMeta("A: B: C: 1C", "A: B: C: 1C", "", "n", "n", hostile, "higher", "EC", "EC: B: C", ())
        ],
        places=[PlaceMeta("5001", "@SUM(1)", "kommune")],
        values=[Value("5001", "A: B: C: 1C", 2020, -1.5, source=hostile)],
        demo=False,
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        licence_note="",
        updated=datetime(2025, 1, 1),
    )
    for text in (opensdg.data_csv(data, data.series), sdmx.data_csv(data)):
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "@", "+")), cell
        assert "-1.5" in text  # a negative number stays a number


def test_a_slice_without_published_values_is_still_a_valid_file_of_each_format() -> None:
    from berekraft.opendata import jsonstat

    empty = Published(
        title="nothing yet",
        series=[
            SeriesMeta("A: B: C: 1C", "A: B: C: 1C", "", "n", "n", "%", "higher", "EC", "EC: B: C", (3,))
        ],
        places=[PlaceMeta("5001", "Trondheim", "kommune")],
        values=[],
        demo=False,
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        licence_note="",
    )
    dataset = read_dataset(json.loads(json.dumps(jsonstat.dataset(empty))))
    assert dataset.frame.height == 0
    assert list(csv.reader(io.StringIO(sdmx.data_csv(empty)))) == [list(sdmx.HEADER)]
    files = opensdg.repository_files(empty)
    assert files["data/indicator_3-u4ssc-a-b-c-1c.csv"] == "Year,Units,Place,GeoCode,Value\n"
    assert "reporting_status: notstarted" in files["meta/3-u4ssc-a-b-c-1c.md"]


def test_the_open_sdg_files_read_back_through_the_open_sdg_importer_unchanged(
    en: Client, tmp_path: Path
) -> None:
    """An Open SDG data repository made by berekraft is also data berekraft takes in: every file of
    the download reads through the Open SDG reader (file name and columns as written) to the
    published values, and a dry-run import of each finds no problem and no new value. (The format
    carries values and units only, so an import would blank a value's source, quality and note:
    those count as changed, the values do not.)"""
    archive = zipfile.ZipFile(io.BytesIO(en.get("/download/berekraft-data.open-sdg.zip").content))
    read: dict[tuple[str, str, int], float] = {}
    unchanged = 0
    for name in archive.namelist():
        if not name.startswith("data/"):
            continue
        path = tmp_path / Path(name).name
        path.write_bytes(archive.read(name))
        reader, frame = read_file(path, Limits())
        assert reader.name == "opensdg_csv", name
        for r in frame.iter_rows(named=True):
            code = r["indicator"] + (f"/{r['series']}" if r["series"] else "")
            read[(r["place"], code, int(r["year"]))] = float(r["value"])
        report = import_table(
            frame, file_name=path.name, checksum="-", reader=reader.name, user=None, dry_run=True
        )
        assert not [p for p in report.problems if p.severity == "error"], (name, report.problems[:3])
        assert report.new == 0, name
        unchanged += report.unchanged + report.changed
    expected = published_values()
    assert len(expected) > 1000
    assert read == expected
    assert unchanged == len(expected)


# A small catalogue made in another process (its own hash seed), written as JSON-LD to stdout.
JSONLD_IN_A_PROCESS = """
import sys
from datetime import datetime, timezone
from berekraft.opendata import dcat
from berekraft.opendata.rows import PlaceMeta, Published, Value

def data(n):
    values = [Value("5001", f"S{i}", 2000 + i, 1.0) for i in range(n)]
    return Published("t", [], [PlaceMeta("5001", "Trondheim", "kommune")], values, True, "https://l/", "",
                     updated=datetime(2025, 1, 1, tzinfo=timezone.utc))

entries = [
    dcat.DatasetEntry(
        identifier=f"http://x/datasets/{i}", title=f"T{i}", description="d", landing_page="http://x/",
        dimensions=("EC",), keywords=("U4SSC",),
        distributions=[dcat.Distribution(f"http://x/d/{i}.csv", "SDMX", "text/csv", "CSV", "")],
        published=data(3 + i),
    )
    for i in range(12)
]
graph = dcat.catalogue_graph(base="http://x/", title="c", description="d", language="nb", entries=entries)
sys.stdout.write(dcat.jsonld(graph))
"""


def test_the_same_data_give_the_same_files_whoever_makes_them_and_when() -> None:
    """The worker prepares the whole network's files that the views would make (web/network_files.py):
    the zips date their files with the data's time, not the clock, and the JSON-LD catalogue
    lists its nodes in a fixed order (rdflib's follows the hash seed of the process)."""
    import os
    import subprocess
    import sys

    from berekraft.opendata.datapackage import Resource, write_package
    from berekraft.web.tables import Column

    updated = datetime.fromisoformat("2025-03-04T05:06:08+00:00")
    package = io.BytesIO()
    rows = Resource("values", "Values", [Column("year", "year")], iter([(2024,)]))
    write_package(package, [rows], title="t", licence_url="https://l/", notes=[], modified=updated)
    sdg = Published(
        "t", [], [PlaceMeta("5001", "Trondheim", "kommune")], [], False, "https://l/", "", updated
    )
    for made in (package.getvalue(), opensdg.repository_zip(sdg)):
        dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(made)).infolist()}
        assert dates == {(2025, 3, 4, 5, 6, 8)}

    def jsonld(seed: str) -> bytes:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run(
            [sys.executable, "-c", JSONLD_IN_A_PROCESS], env=env, capture_output=True, check=True
        ).stdout

    first = jsonld("1")
    assert json.loads(first) and all(jsonld(seed) == first for seed in ("2", "3"))
