"""Frames written and read whole (issue 9, item 4): ``bulk.insert_frame`` stores what the ORM
would (text with separators and quotes, the empty text apart from NULL, JSON given as text,
date-times, floats to the last bit), ``update_frame`` sets only the rows whose version still
holds, ``read_frame`` gives back what is stored, and ``new_ids`` gives keys no row has — on
SQLite and (BEREKRAFT_DATABASE_URL) PostgreSQL, where the rows travel as CSV."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest
from django.db import connection, transaction

from berekraft import bulk
from berekraft.catalogue.models import Series
from berekraft.observations.models import ImportBatch, Observation, ObservationHistory
from berekraft.places.models import Place

pytestmark = pytest.mark.django_db

AWKWARD = ['comma, "quoted"; semicolon', "", "\\N", "ø æ å — ✓", "line\nbreak", " padded "]
TEXT_DEFAULTS = (
    "quality",
    "data_origin",
    "published_source",
    "published_quality",
    "published_data_origin",
    "published_origin",
    "comment",
)
VALUES = [0.1 + 0.2, None, -0.0, 1e-300, 123456789.123456789, 1e20]


def _rows(years: range) -> pl.DataFrame:
    place = Place.objects.get(code="5001")
    series = Series.objects.order_by("pk").first()
    assert series is not None
    n = len(years)
    return (
        pl.DataFrame(
            {
                "place": [place.pk] * n,
                "series": [series.pk] * n,
                "year": list(years),
                "value": VALUES[:n],
                "source": AWKWARD[:n],
                "note": AWKWARD[::-1][:n],
                "status": ["draft"] * n,
                "updated_at": [datetime(2024, 5, 17, 12, 30, 1, 250, tzinfo=UTC)] * n,
            },
            schema_overrides={"value": pl.Float64},
        )
        .with_columns(  # the rest as the model's defaults (bulk leaves defaults to the caller)
            pl.lit("").alias(name) for name in TEXT_DEFAULTS
        )
        .with_columns(pl.lit("manual").alias("origin"), pl.lit(1).alias("version"))
    )


def test_insert_frame_stores_what_the_orm_reads_back() -> None:
    frame = _rows(range(1900, 1906))
    with transaction.atomic():
        assert bulk.insert_frame(Observation, frame) == 6
    stored = list(Observation.objects.filter(year__lt=1910).order_by("year"))
    assert [o.year for o in stored] == list(range(1900, 1906))
    assert [o.value for o in stored] == VALUES  # to the last bit, NULL as None
    assert [o.source for o in stored] == AWKWARD  # "" stays "" (not NULL), "\N" stays text
    assert [o.note for o in stored] == AWKWARD[::-1]
    assert {o.updated_at for o in stored} == {datetime(2024, 5, 17, 12, 30, 1, 250, tzinfo=UTC)}
    assert {(o.version, o.status, o.origin, o.quality) for o in stored} == {(1, "draft", "manual", "")}


def test_json_is_given_as_text_and_read_as_json() -> None:
    batch = ImportBatch.objects.create(
        file_name="x", checksum="x", reader="x", rows=0, new=0, changed=0, unchanged=0
    )
    frame = _rows(range(1900, 1902))
    with transaction.atomic():
        bulk.insert_frame(Observation, frame)
    ids = list(Observation.objects.filter(year__lt=1910).order_by("year").values_list("pk", flat=True))
    after = [{"value": 0.30000000000000004, "source": 'a "b", c', "note": None}, {"value": 1e20, "note": "ø"}]
    history = pl.DataFrame(
        {
            "observation": ids,
            "version": [1, 1],
            "new_status": ["draft", "draft"],
            "after": [json.dumps(a) for a in after],
            "before": [None, None],
            "batch": [batch.pk, batch.pk],
            "changed_at": [datetime(2024, 1, 1, tzinfo=UTC)] * 2,
            "reason": ["test", "test"],
            "old_status": ["", ""],
        },
        schema_overrides={"before": pl.String},
    )
    with transaction.atomic():
        bulk.insert_frame(ObservationHistory, history)
    rows = ObservationHistory.objects.filter(batch=batch).order_by("observation__year")
    assert [h.after for h in rows] == after
    assert [h.before for h in rows] == [None, None]
    with pytest.raises(TypeError, match="JSON"):
        bulk.insert_frame(ObservationHistory, history.with_columns(pl.lit(1).alias("after")))


def test_update_frame_sets_only_the_rows_whose_version_still_holds() -> None:
    with transaction.atomic():
        bulk.insert_frame(Observation, _rows(range(1900, 1903)))
    stored = list(Observation.objects.filter(year__lt=1910).order_by("year"))
    Observation.objects.filter(pk=stored[1].pk).update(version=5)  # changed meanwhile
    changes = pl.DataFrame(
        {
            "id": [o.pk for o in stored],
            "value": [7.5, 8.5, None],
            "note": ['new, "note"', "", "x"],
            "version": [2, 2, 2],
            "expected_version": [1, 1, 1],
        }
    )
    with transaction.atomic():
        assert bulk.update_frame(Observation, changes, unless_changed="version") == 2
    after = {o.year: (o.value, o.note, o.version) for o in Observation.objects.filter(year__lt=1910)}
    assert after == {
        1900: (7.5, 'new, "note"', 2),
        1901: (VALUES[1], AWKWARD[::-1][1], 5),  # not written: its version was no longer 1
        1902: (None, "x", 2),
    }


def test_read_frame_gives_back_what_is_stored() -> None:
    with transaction.atomic():
        bulk.insert_frame(Observation, _rows(range(1900, 1906)))
    table = Observation._meta.db_table
    frame = bulk.read_frame(
        f"SELECT year, value, source FROM {table} WHERE year < 1910 ORDER BY year",
        {"year": pl.Int64, "value": pl.Float64, "source": pl.String},
    )
    assert frame.rows() == list(zip(range(1900, 1906), VALUES, AWKWARD, strict=True))
    empty = bulk.read_frame(f"SELECT year FROM {table} WHERE year < 0", {"year": pl.Int64})
    assert empty.schema == pl.Schema({"year": pl.Int64}) and empty.height == 0


def test_a_temporary_frame_is_joined_in_the_database_and_gone_after() -> None:
    with transaction.atomic():
        bulk.insert_frame(Observation, _rows(range(1900, 1904)))
        wanted = pl.DataFrame({"year": [1901, 1903, 1999], "note": ["a", "", None]})
        with bulk.temporary_frame("wanted_years", wanted) as name:
            found = bulk.read_frame(
                f"SELECT w.year, w.note, o.value FROM {name} w JOIN {Observation._meta.db_table} o "
                "ON o.year = w.year ORDER BY w.year",
                {"year": pl.Int64, "note": pl.String, "value": pl.Float64},
            )
        assert found.rows() == [(1901, "a", VALUES[1]), (1903, "", VALUES[3])]
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor, include_views=False)
        assert "wanted_years" not in tables


def test_new_ids_are_keys_no_row_has() -> None:
    with transaction.atomic():
        ids = bulk.new_ids(Observation, 3)
        if connection.vendor == "postgresql":
            assert ids is None  # the sequence gives them as the rows go in
            return
        assert ids is not None
        taken = set(Observation.objects.values_list("pk", flat=True))
        assert not taken & set(ids.to_list()) and ids.to_list() == sorted(ids.to_list())
        bulk.insert_frame(Observation, _rows(range(1900, 1903)).with_columns(ids))
        assert sorted(Observation.objects.filter(year__lt=1910).values_list("pk", flat=True)) == ids.to_list()
