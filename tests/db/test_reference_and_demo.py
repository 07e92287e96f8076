"""Loading reference and demo data into the database: complete, idempotent, labelled."""

from __future__ import annotations

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


def test_demo_observations_cover_every_member_and_series_and_are_labelled() -> None:
    network = Network.objects.get(code="baerekraftsnettverket")
    demo = Observation.objects.filter(origin=Observation.Origin.DEMO)
    assert demo.count() == Observation.objects.count()
    assert set(demo.values_list("place__code", flat=True)) == set(
        network.memberships.values_list("place__code", flat=True)
    )
    assert demo.exclude(source__icontains="demonstration").count() == 0
    # 14 members × 112 series × 2015–2024, Viken (a member 2020–2023) × 112 × 4.
    assert demo.count() == 14 * 112 * 10 + 112 * 4
    assert set(demo.filter(place__code="30").values_list("year", flat=True)) == {2020, 2021, 2022, 2023}
    assert ObservationHistory.objects.count() == demo.count()


def test_demo_values_stay_inside_their_plausible_ranges() -> None:
    ranges = demo_ranges()
    for code, value in Observation.objects.values_list("series__code", "value"):
        assert ranges[code].low <= value <= ranges[code].high, code


def test_target_scope_must_fit_its_owner() -> None:
    series = Series.objects.first()
    place = Place.objects.get(code="5001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(series=series, scope="default", place=place, value=1, source="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(series=series, scope="local", place=place, source="no value")
