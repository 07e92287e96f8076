"""Cheap writes (issue 9, item 3): bulk.replace_rows and replace_frame write only what changed,
and a score run over unchanged data writes nothing; COPY (PostgreSQL) and plain inserts (SQLite)
store the same."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from berekraft import bulk
from berekraft.observations.models import Observation, ObservationHistory
from berekraft.observations.services import history_row
from berekraft.places.models import Place
from berekraft.scores import services
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.scores.services import scores_recompute

pytestmark = pytest.mark.django_db

COLUMNS = ["place_id", "series_id", "year", "value", "direction", "status", "trend", "target_scope"]


def table_rows() -> dict[tuple[int, int, int], tuple[Any, ...]]:
    return {
        (p, s, y): (p, s, y, v, d, st, t, sc)
        for p, s, y, v, d, st, t, sc in SeriesScore.objects.values_list(*COLUMNS)
    }


def key_ids() -> dict[tuple[int, int, int], int]:
    rows = SeriesScore.objects.values_list("pk", "place_id", "series_id", "year")
    return {(p, s, y): pk for pk, p, s, y in rows}


def aggregate_rows() -> set[tuple[Any, ...]]:
    return set(AggregateScore.objects.values_list("level", "code", "place_id", "year", "percent", "band"))


def test_replace_rows_inserts_updates_and_deletes_only_what_changed() -> None:
    before = table_rows()
    ids = key_ids()
    keys = sorted(before)
    changed, gone, kept = keys[0], keys[1], keys[2:]
    new_key = (changed[0], changed[1], 1999)
    wanted = dict(before)
    wanted[changed] = (*changed, before[changed][3] + 1.5, *before[changed][4:])
    del wanted[gone]
    wanted[new_key] = (*new_key, 7.25, "higher", "no_target", "", "")
    result = bulk.replace_rows(SeriesScore, COLUMNS, [wanted[k] for k in sorted(wanted)], key=COLUMNS[:3])
    assert (result.written, result.deleted) == (2, 1)
    assert table_rows() == wanted
    after = key_ids()
    assert all(after[k] == ids[k] for k in kept)  # untouched rows were not rewritten
    assert after[changed] == ids[changed]  # a changed row is updated in place


def test_a_score_run_over_unchanged_data_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[bulk.Replaced] = []
    real = services.replace_frame

    def counting(*args: Any, **kwargs: Any) -> bulk.Replaced:
        written.append(real(*args, **kwargs))
        return written[-1]

    monkeypatch.setattr(services, "replace_frame", counting)
    series_ids = set(SeriesScore.objects.values_list("pk", flat=True))
    aggregate_ids = set(AggregateScore.objects.values_list("pk", flat=True))
    run = scores_recompute()
    assert [(w.written, w.deleted) for w in written] == [(0, 0), (0, 0)]
    assert run.series_scores == len(series_ids) and run.aggregate_scores == len(aggregate_ids)
    assert set(SeriesScore.objects.values_list("pk", flat=True)) == series_ids
    assert set(AggregateScore.objects.values_list("pk", flat=True)) == aggregate_ids


def test_a_score_run_after_a_change_equals_a_full_rewrite() -> None:
    obs = Observation.objects.filter(place__code="5001", year=2024, published_value__isnull=False).first()
    assert obs is not None
    Observation.objects.filter(pk=obs.pk).update(published_value=obs.published_value + 3)
    scores_recompute()
    updated = table_rows()
    aggregates = aggregate_rows()
    SeriesScore.objects.all().delete()
    AggregateScore.objects.all().delete()
    scores_recompute()  # into empty tables: every row inserted
    assert table_rows() == updated
    assert aggregate_rows() == aggregates


def test_insert_objects_stores_what_bulk_create_would() -> None:
    place = Place.objects.get(code="5001")
    series_id = Observation.objects.filter(place=place).values_list("series_id", flat=True).first()
    new = [
        Observation(place=place, series_id=series_id, year=1990 + i, value=i * 1.5, source="bench", note="ø")
        for i in range(3)
    ]
    assert bulk.insert_objects(Observation, new) == 3
    stored = Observation.objects.filter(place=place, series_id=series_id, year__lt=1995).order_by("year")
    assert [(o.year, o.value, o.status, o.version, o.note) for o in stored] == [
        (1990 + i, i * 1.5, "draft", 1, "ø") for i in range(3)
    ]
    assert all(o.updated_at is not None for o in stored)
    assert bulk.insert_objects(ObservationHistory, [history_row(o, None, user=None) for o in stored]) == 3
    history = ObservationHistory.objects.filter(observation__in=stored).order_by("observation__year")
    assert [h.after["value"] for h in history] == [0.0, 1.5, 3.0]


# bulk.replace_frame: what changed is told by each row's digest (a hash of its other columns).

FRAME_SCHEMA = {
    "place_id": pl.Int64,
    "series_id": pl.Int64,
    "year": pl.Int64,
    "value": pl.Float64,
    "direction": pl.String,
    "status": pl.String,
    "trend": pl.String,
    "target_scope": pl.String,
}


def frame_of(rows: Any) -> pl.DataFrame:
    return pl.DataFrame(sorted(rows), schema=FRAME_SCHEMA, orient="row")


def test_replace_frame_writes_only_the_rows_whose_digest_changed() -> None:
    before = table_rows()
    keys = sorted(before)
    # The run wrote every column; a frame of these eight has other digests: all rewritten, once.
    first = bulk.replace_frame(SeriesScore, frame_of(before.values()), key=COLUMNS[:3])
    assert (first.written, first.deleted) == (len(before), 0)
    assert SeriesScore.objects.filter(digest__isnull=True).count() == 0
    ids = key_ids()
    again = bulk.replace_frame(SeriesScore, frame_of(before.values()), key=COLUMNS[:3])
    assert (again.written, again.deleted) == (0, 0)
    changed, gone, kept = keys[0], keys[1], keys[2:]
    new_key = (changed[0], changed[1], 1999)
    wanted = dict(before)
    wanted[changed] = (*changed, before[changed][3] + 1.5, *before[changed][4:])
    del wanted[gone]
    wanted[new_key] = (*new_key, 7.25, "higher", "no_target", "", "")
    result = bulk.replace_frame(SeriesScore, frame_of(wanted.values()), key=COLUMNS[:3])
    assert (result.written, result.deleted) == (2, 1)
    assert table_rows() == wanted
    after = key_ids()
    assert all(after[k] == ids[k] for k in kept)  # untouched rows were not rewritten
    assert after[changed] == ids[changed]  # a changed row is updated in place


def test_replace_frame_rewrites_a_row_whose_digest_is_missing_or_wrong() -> None:
    """A row written by something else (no digest), or changed behind the digest's back by a
    writer that left the digest as it was, is not taken for unchanged when its digest says so."""
    frame = frame_of(table_rows().values())
    bulk.replace_frame(SeriesScore, frame, key=COLUMNS[:3])
    first, second = sorted(key_ids())[:2]
    SeriesScore.objects.filter(place_id=first[0], series_id=first[1], year=first[2]).update(digest=None)
    SeriesScore.objects.filter(place_id=second[0], series_id=second[1], year=second[2]).update(
        value=-1.0, digest=None
    )
    result = bulk.replace_frame(SeriesScore, frame, key=COLUMNS[:3])
    assert (result.written, result.deleted) == (2, 0)
    assert table_rows() == {row[:3]: row for row in frame.rows()}


def test_replace_frame_of_a_part_replaces_that_part_and_leaves_the_rest() -> None:
    water = SeriesScore.objects.values_list("series_id", flat=True).order_by("series_id").first()
    rows = sorted(SeriesScore.objects.filter(series_id=water).values_list(*COLUMNS))
    outside = set(SeriesScore.objects.exclude(series_id=water).values_list("pk", *COLUMNS, "digest"))
    changed = (*rows[0][:3], rows[0][3] + 1.5, *rows[0][4:])
    kept = [changed, *rows[2:]]  # rows[1] is left out: it goes
    part = bulk.TablePart(("series_id",), [(water,)])
    result = bulk.replace_frame(SeriesScore, frame_of(kept), key=COLUMNS[:3], part=part)
    assert (result.written, result.deleted) == (len(kept), 1)  # digests of 8 columns: all new
    assert sorted(SeriesScore.objects.filter(series_id=water).values_list(*COLUMNS)) == kept
    assert set(SeriesScore.objects.exclude(series_id=water).values_list("pk", *COLUMNS, "digest")) == outside
    # Two columns: the aggregates of one (level, code) pair; an empty frame deletes all of it.
    pair = AggregateScore.objects.values_list("level", "code").order_by("level", "code").first()
    assert pair is not None
    others = set(AggregateScore.objects.exclude(level=pair[0], code=pair[1]).values_list("pk", "digest"))
    keys = ["level", "code", "place_id", "year"]
    empty = pl.DataFrame(
        schema={
            "level": pl.String,
            "code": pl.String,
            "place_id": pl.Int64,
            "year": pl.Int64,
            "percent": pl.Float64,
        }
    )
    gone = bulk.replace_frame(AggregateScore, empty, key=keys, part=bulk.TablePart(("level", "code"), [pair]))
    assert gone.deleted > 0 and not AggregateScore.objects.filter(level=pair[0], code=pair[1]).exists()
    assert set(AggregateScore.objects.values_list("pk", "digest")) == others


KEYS = st.tuples(st.sampled_from([0, 1]), st.sampled_from([0, 1, 2]), st.integers(2000, 2003))
VALUES = st.tuples(
    st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32), st.just(0.0), st.just(-0.0)),
    st.sampled_from(["higher", "lower"]),
    st.sampled_from(["scored", "no_target", ""]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(first={(0, 0, 2000): (0.0, "higher", "")}, second={(0, 0, 2000): (-0.0, "higher", "")})
@given(
    first=st.dictionaries(KEYS, VALUES, max_size=12),
    second=st.dictionaries(KEYS, VALUES, max_size=12),
)
def test_replace_frame_makes_the_table_hold_exactly_the_frame(
    first: dict[tuple[int, int, int], Any], second: dict[tuple[int, int, int], Any]
) -> None:
    """For any stored rows and any new rows: afterwards the table holds the new rows and nothing
    else; a row whose values did not change keeps its id; the counts say what was written."""
    places = list(Place.objects.values_list("pk", flat=True).order_by("pk")[:2])
    series = list(
        SeriesScore.objects.values_list("series_id", flat=True).distinct().order_by("series_id")[:3]
    )

    def rows(given: dict[tuple[int, int, int], Any]) -> dict[tuple[int, int, int], tuple[Any, ...]]:
        return {
            # −0.0 is stored as 0.0 (the digest does not tell them apart)
            (places[p], series[s], y): (places[p], series[s], y, v + 0.0, d, st_, "", "")
            for (p, s, y), (v, d, st_) in given.items()
        }

    with transaction.atomic():
        SeriesScore.objects.all().delete()
        bulk.replace_frame(SeriesScore, frame_of(rows(first).values()), key=COLUMNS[:3])
        ids = key_ids()
        wanted = rows(second)
        result = bulk.replace_frame(SeriesScore, frame_of(wanted.values()), key=COLUMNS[:3])
        assert table_rows() == wanted
        old = rows(first)
        same = {k for k in wanted if k in old and repr(old[k]) == repr(wanted[k])}
        assert result.written == len(wanted) - len(same)
        assert result.deleted == len(set(old) - set(wanted))
        after = key_ids()
        assert all(after[k] == ids[k] for k in same)
        transaction.set_rollback(True)
