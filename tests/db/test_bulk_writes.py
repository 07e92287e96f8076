"""Cheap writes (issue 9, item 3): bulk.replace_rows writes only what changed, and a score run
over unchanged data writes nothing; COPY (PostgreSQL) and plain inserts (SQLite) store the same."""

from __future__ import annotations

from typing import Any

import pytest

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
    real = services.replace_rows

    def counting(*args: Any, **kwargs: Any) -> bulk.Replaced:
        written.append(real(*args, **kwargs))
        return written[-1]

    monkeypatch.setattr(services, "replace_rows", counting)
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
