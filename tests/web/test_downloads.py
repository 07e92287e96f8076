"""The download-all zip, the whole network's open data and the DCAT catalogue are made once per
score run, state of the published values, membership and language, and kept as files
(web/downloads.py): at 357 members the zip is 40 MB from 2.7 M rows, which took 50-80 s to make on
every request."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from berekraft.places.models import Membership
from berekraft.scores.models import ScoreRun
from berekraft.web import network_files, runs

pytestmark = pytest.mark.django_db
URL = "/download/berekraft-data.zip"


def entries(client: Client, **headers: str) -> dict[str, bytes]:
    response = client.get(URL, **headers)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="berekraft-data.zip"'
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def made(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The page cache on, BEREKRAFT_HOME in tmp_path; counts the zips written."""
    settings.PAGE_CACHE_SECONDS = 60
    settings.HOME = tmp_path
    cache.clear()
    count: list[int] = []
    write = network_files.write_package

    def counted(*args: Any, **kwargs: Any) -> None:
        count.append(1)
        write(*args, **kwargs)

    monkeypatch.setattr(network_files, "write_package", counted)
    return count


def kept(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "downloads").glob("*.zip"))


def test_the_zip_is_made_once_and_kept_until_the_next_score_run(
    client: Client, made: list[int], tmp_path: Path, settings: Any
) -> None:
    first = entries(client)
    again = entries(client)
    assert made == [1]
    assert again == first
    assert len(kept(tmp_path)) == 1
    assert {"README.txt", "datapackage.json", "series_scores.csv", "values.csv"} <= set(first)

    ScoreRun.objects.create(observations=0, series_scores=0, aggregate_scores=0, seconds=0)
    runs._forget()  # as the run's commit does
    assert entries(client) == first  # the same data, made anew
    assert made == [1, 1]
    assert len(kept(tmp_path)) == 1  # the older run's file is gone

    settings.PAGE_CACHE_SECONDS = 0  # made on the request, as before: the same content
    assert entries(client) == first


def test_each_language_has_its_own_file_and_a_membership_change_makes_a_new_one(
    client: Client, made: list[int], tmp_path: Path
) -> None:
    norwegian = entries(client, HTTP_ACCEPT_LANGUAGE="nb")
    english = entries(client, HTTP_ACCEPT_LANGUAGE="en")
    entries(client, HTTP_ACCEPT_LANGUAGE="nb")
    assert made == [1, 1]
    assert len(kept(tmp_path)) == 2
    assert norwegian["datapackage.json"] != english["datapackage.json"]  # table titles translated

    Membership.objects.filter(place__code="1103").delete()
    cache.clear()  # the per-run constants: the membership is read again
    fewer = entries(client, HTTP_ACCEPT_LANGUAGE="nb")
    assert made == [1, 1, 1]
    assert b"\n1103," not in fewer["members.csv"] and b"\n1103," in norwegian["members.csv"]


@pytest.mark.parametrize(
    ("url", "disposition"),
    [
        ("/download/berekraft-data.sdmx.csv", 'attachment; filename="berekraft-data.sdmx.csv"'),
        ("/download/berekraft-data.json-stat.json", 'attachment; filename="berekraft-data.json-stat.json"'),
        ("/catalog.ttl", None),
    ],
)
def test_the_whole_networks_open_data_and_catalogue_are_made_once(
    client: Client, made: list[int], tmp_path: Path, url: str, disposition: str | None
) -> None:
    """(Each took 14-38 s a request at 357 members.) A second request reads only what says whether
    the kept file is still the one: the latest run and the membership."""
    with CaptureQueriesContext(connection) as making:
        first = client.get(url)
        body = first.getvalue()
    with CaptureQueriesContext(connection) as sending:
        again = client.get(url)
        assert again.getvalue() == body
    assert len(making.captured_queries) > 6 and len(sending.captured_queries) <= 3
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again.get("Content-Disposition") == disposition
    assert len(list((tmp_path / "downloads").glob("[!.]*"))) == 1  # (not the lock file)
