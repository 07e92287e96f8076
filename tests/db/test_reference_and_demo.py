"""Loading reference and demo data into the database: complete, idempotent, labelled."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import IntegrityError, transaction

from berekraft.catalogue.models import Goal, Indicator, Series, Target
from berekraft.catalogue.services import catalogue_load
from berekraft.core.catalogue import load_catalogue
from berekraft.core.demo import demo_ranges
from berekraft.observations.models import Observation, ObservationHistory
from berekraft.observations.services import demo_load
from berekraft.places.models import Membership, Network, Place, PlaceChange
from berekraft.places.services import geography_load
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.workspace.selectors import verify_queue

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (
            Goal,
            Indicator,
            Series,
            Target,
            Place,
            PlaceChange,
            Membership,
            Observation,
            ObservationHistory,
        )
    }


def test_reference_data_is_complete() -> None:
    assert Goal.objects.count() == 17
    assert Indicator.objects.count() == 91
    assert Series.objects.count() == 112
    assert Target.objects.filter(scope="default").count() == len(load_catalogue().targets)
    assert Place.objects.get(code="3201").parent.code == "32"  # type: ignore[union-attr]
    assert Place.objects.get(code="0301").population == 717710
    assert Membership.objects.filter(network__code="baerekraftsnettverket").count() == 15


def test_loading_reference_and_demo_again_changes_nothing() -> None:
    before = counts()
    catalogue_load(catalogue=load_catalogue())
    geography_load()
    assert demo_load(network=Network.objects.get(code="baerekraftsnettverket")) == 0
    assert counts() == before


def test_demo_observations_are_labelled_and_cover_every_member() -> None:
    network = Network.objects.get(code="baerekraftsnettverket")
    demo = Observation.objects.filter(origin=Observation.Origin.DEMO)
    assert demo.count() == Observation.objects.count()
    assert set(demo.values_list("place__code", flat=True)) == set(
        network.memberships.values_list("place__code", flat=True)
    )
    assert demo.exclude(source__icontains="demonstration").count() == 0
    # Viken was a member for its whole life, 2020–2023, and has nothing outside it.
    assert set(demo.filter(place__code="30").values_list("year", flat=True)) == {2020, 2021, 2022, 2023}
    assert set(demo.exclude(place__code="30").values_list("year", flat=True)) == set(range(2015, 2026))
    assert not Observation.objects.filter(history__isnull=True).exists()


MEMBERS = 15
SERIES = 112


def test_demo_leaves_some_series_unreported_and_some_years_out() -> None:
    """Real networks have gaps: 5–15 % of member-series never reported, and single missing years."""
    published = Observation.objects.filter(year__lte=2024)
    reported = published.values("place", "series").distinct().count()
    assert 0.05 <= 1 - reported / (MEMBERS * SERIES) <= 0.15
    # 14 members × 10 years + Viken × 4 years, for every series it reports: some years are gaps.
    full = {p: 4 if p == "30" else 10 for p in published.values_list("place__code", flat=True)}
    years = Counter(published.values_list("place__code", "series__code"))
    gaps = sum(full[place] - n for (place, _), n in years.items())
    assert 0.01 * sum(years.values()) <= gaps <= 0.10 * sum(years.values())


def _latest_complete_overall() -> list[AggregateScore]:
    # 2024 is the last complete year (Viken: 2023); 2025 is in progress.
    scores = AggregateScore.objects.filter(level="overall", code="all")
    return [s for s in scores.select_related("place") if s.year == (2023 if s.place.code == "30" else 2024)]


def test_demo_members_differ_across_the_overall_bands() -> None:
    overall = _latest_complete_overall()
    assert len(overall) == MEMBERS
    assert len({s.band for s in overall}) >= 3, sorted((s.percent, s.place.code) for s in overall)
    percents = sorted(s.percent for s in overall if s.percent is not None)
    assert percents[-1] - percents[0] >= 25  # strong and weak members, not 84–100 % for all


def test_every_demo_member_has_series_in_at_least_three_bands_and_in_every_band_somewhere() -> None:
    bands: dict[str, set[int]] = {}
    for code, points in SeriesScore.objects.filter(points__isnull=False).values_list("place__code", "points"):
        bands.setdefault(code, set()).add(points)
    assert len(bands) == MEMBERS
    assert all(len(b) >= 3 for b in bands.values()), bands
    assert set().union(*bands.values()) == {1, 2, 3, 4}


def test_demo_trends_improve_deteriorate_and_stay_flat() -> None:
    """Over 2015–2024 a series may improve or deteriorate towards its target, or stay flat."""
    trends = Counter(SeriesScore.objects.filter(year=2024).exclude(trend="").values_list("trend", flat=True))
    assert trends["deterioration"] > 0
    assert trends["on_track"] + trends["target_achieved"] > 0
    # Without a target: the value at the start and at the end of the decade, per member-series.
    ranges = demo_ranges()
    rows = Observation.objects.filter(year__in=(2015, 2024)).values_list(
        "place__code", "series__code", "year", "value"
    )
    ends: dict[tuple[str, str], dict[int, float]] = {}
    for place, series, year, value in rows:
        ends.setdefault((place, series), {})[year] = value
    moves = [
        (v[2024] - v[2015]) / (ranges[s].high - ranges[s].low)
        for (_, s), v in ends.items()
        if len(v) == 2 and ranges[s].high > ranges[s].low and s != "SC: SH: SA: 3A"
    ]
    flat = sum(abs(m) < 0.1 for m in moves)
    assert 0.4 * len(moves) <= flat <= 0.8 * len(moves)
    assert sum(m >= 0.2 for m in moves) > 0.05 * len(moves)
    assert sum(m <= -0.2 for m in moves) > 0.05 * len(moves)


def test_2025_is_a_year_in_progress_made_through_the_workflow() -> None:
    year = Observation.objects.filter(year=2025)
    by_status = Counter(year.values_list("status", flat=True))
    assert set(by_status) == {"verified", "submitted", "draft", "returned"}
    assert sum(by_status.values()) < 0.25 * 14 * SERIES  # partial: a few members, some of their series
    members = set(year.values_list("place__code", flat=True))
    assert 2 <= len(members) < 14
    assert set(year.filter(status="verified").values_list("place__code", flat=True)) < members
    # Published values are the verified ones only; the rest wait in the queue or with the editor.
    assert not year.exclude(status="verified").filter(published_value__isnull=False).exists()
    assert verify_queue().filter(year=2025).count() == by_status["submitted"]
    returned = year.get(status="returned", place__code="5001")
    assert returned.comment.strip()
    # The history is the real one: entered by an editor, submitted, returned by the verifier.
    steps = list(returned.history.order_by("version").values_list("reason", "changed_by__username"))
    assert steps[0] == ("entered", "demo-editor")
    assert ("submitted", "demo-editor") in steps
    assert steps[-1][0].startswith("returned") and steps[-1][1] == "demo-verifier"
    verified = year.filter(status="verified").first()
    assert verified is not None and verified.published_value == verified.value
    assert verified.history.filter(reason="verified", changed_by__username="demo-verifier").exists()
    # The scores include the verified 2025 values.
    assert SeriesScore.objects.filter(year=2025).count() == by_status["verified"]


def test_the_demo_is_the_same_every_time_it_is_generated() -> None:
    """Two loads from scratch give identical values (a fixed seed, no other randomness)."""
    network = Network.objects.get(code="baerekraftsnettverket")

    def values() -> list[tuple[object, ...]]:
        return list(
            Observation.objects.order_by("place__code", "series__code", "year").values_list(
                "place__code", "series__code", "year", "value", "published_value", "status", "comment"
            )
        )

    first = values()
    ObservationHistory.objects.all().delete()
    Observation.objects.all().delete()
    assert demo_load(network=network) == len(first)
    assert values() == first


def test_a_demo_load_that_fails_half_way_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from berekraft.observations import demo as year_in_progress

    trondheim = Observation.objects.filter(place__code="5001")
    ObservationHistory.objects.filter(observation__in=trondheim).delete()
    trondheim.delete()

    def broken(**kwargs: object) -> int:
        raise RuntimeError("stopped half-way")

    monkeypatch.setattr(year_in_progress, "demo_year_in_progress", broken)
    with pytest.raises(RuntimeError, match="half-way"):
        demo_load(network=Network.objects.get(code="baerekraftsnettverket"))
    assert not Observation.objects.filter(place__code="5001").exists()


def test_target_scope_must_fit_its_owner() -> None:
    series = Series.objects.first()
    place = Place.objects.get(code="5001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(series=series, scope="default", place=place, value=1, source="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(series=series, scope="local", place=place, source="no value")
