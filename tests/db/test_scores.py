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


def test_every_published_observation_has_a_stored_series_score() -> None:
    # Drafts, submitted and returned values (the demo's 2025) have no published value and no score.
    assert SeriesScore.objects.count() == Observation.objects.exclude(published_value=None).count()
    assert Observation.objects.filter(published_value=None).exclude(value=None).exists()


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


def reporting(series: Series, year: int) -> list[Place]:
    """The members with a published value of ``series`` for ``year`` (the demo leaves gaps)."""
    return list(
        Place.objects.filter(
            observations__series=series, observations__year=year, observations__published_value__isnull=False
        ).order_by("code")
    )


def test_local_target_overrides_the_default_after_recompute() -> None:
    series = Series.objects.get(code="EC: I: WS: 1C")
    place, other_place = reporting(series, 2024)[:2]
    Target.objects.create(
        series=series, scope="local", place=place, value=50.0, source="the member's plan 2024"
    )
    scores_recompute()
    mine = SeriesScore.objects.get(place=place, series=series, year=2024)
    other = SeriesScore.objects.get(place=other_place, series=series, year=2024)
    assert (mine.target, mine.target_scope) == (50.0, "local")
    assert (other.target, other.target_scope) == (100.0, "default")
    assert mine.achievement == 100.0  # demo values for basic water supply are above 50 %


def test_a_changed_value_is_versioned_with_history() -> None:
    series = Series.objects.get(code="EC: I: WS: 1C")
    place = reporting(series, 2024)[-1]
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
