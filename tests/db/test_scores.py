"""Stored scores: recomputed after changes, consistent with their components, targets resolved."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from berekraft.catalogue.models import Series, Target
from berekraft.observations.models import Observation, ObservationHistory
from berekraft.observations.services import observation_set
from berekraft.places.models import Place
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.scores.services import scores_recompute

pytestmark = pytest.mark.django_db


def test_every_observation_has_a_stored_series_score() -> None:
    assert SeriesScore.objects.count() == Observation.objects.exclude(value=None).count()


def test_stored_dimension_score_is_the_sum_of_its_series_points() -> None:
    place = Place.objects.get(code="1505")  # Kristiansund
    for dimension in ("EC", "EN", "SC"):
        stored = AggregateScore.objects.get(level="dimension", code=dimension, place=place, year=2024)
        series = SeriesScore.objects.filter(
            place=place,
            year=2024,
            series__indicator__category__parent__parent__code=dimension,
            points__isnull=False,
        )
        assert stored.points == series.aggregate(total=Sum("points"))["total"]
        assert stored.max_points == 4 * series.count()
        assert stored.percent == pytest.approx(100 * stored.points / stored.max_points)


def test_every_member_has_dimension_scores_for_its_latest_year() -> None:
    for code, year in (("5001", 2024), ("1103", 2024), ("30", 2023)):
        assert AggregateScore.objects.filter(level="dimension", place__code=code, year=year).count() == 3


def test_local_target_overrides_the_default_after_recompute() -> None:
    series = Series.objects.get(code="EC: I: WS: 1C")
    place = Place.objects.get(code="5001")
    Target.objects.create(series=series, scope="local", place=place, value=50.0, source="Trondheim plan 2024")
    scores_recompute()
    mine = SeriesScore.objects.get(place=place, series=series, year=2024)
    other = SeriesScore.objects.get(place__code="1103", series=series, year=2024)
    assert (mine.target, mine.target_scope) == (50.0, "local")
    assert (other.target, other.target_scope) == (100.0, "default")
    assert mine.achievement == 100.0  # demo values for basic water supply are above 50 %


def test_a_changed_value_is_versioned_with_history() -> None:
    series = Series.objects.get(code="EC: I: WS: 1C")
    place = Place.objects.get(code="1833")
    obs = observation_set(place_id=place.pk, series_id=series.pk, year=2024, value=20.0, reason="correction")
    assert obs.version == 2
    last = ObservationHistory.objects.filter(observation=obs).order_by("-version").first()
    assert last is not None and (last.new_value, last.reason) == (20.0, "correction")
    assert last.before is not None and last.before["value"] != 20.0 and last.after["value"] == 20.0
    again = observation_set(place_id=place.pk, series_id=series.pk, year=2024, value=20.0)
    assert again.version == 2  # unchanged input writes nothing


def test_history_rows_cannot_be_edited() -> None:
    row = ObservationHistory.objects.first()
    assert row is not None
    row.reason = "rewritten"
    with pytest.raises(ValueError, match="cannot be edited"):
        row.save()
