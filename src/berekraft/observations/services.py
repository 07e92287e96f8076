"""Writes to observations. Every write leaves a history row and raises the version."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from berekraft.catalogue.models import Series
from berekraft.core import demo
from berekraft.core.catalogue import load_catalogue
from berekraft.observations.models import Observation, ObservationHistory
from berekraft.places.models import Network

DEMO_YEARS = range(2015, 2025)
DEMO_SOURCE = "berekraft demonstration data (generated, not measured)"


@transaction.atomic
def observation_set(
    *,
    place_id: int,
    series_id: int,
    year: int,
    value: float | None,
    user: User | None = None,
    reason: str = "",
    **fields: Any,
) -> Observation:
    """Create or change one observation, writing its history row. Unchanged input writes nothing."""
    observation, created = Observation.objects.select_for_update().get_or_create(
        place_id=place_id,
        series_id=series_id,
        year=year,
        defaults={"value": value, "updated_by": user, **fields},
    )
    old_value, old_status = (None, "") if created else (observation.value, observation.status)
    if not created:
        changes = {k: v for k, v in {"value": value, **fields}.items() if getattr(observation, k) != v}
        if not changes:
            return observation
        for key, new in changes.items():
            setattr(observation, key, new)
        observation.version += 1
        observation.updated_by = user
        observation.save()
    ObservationHistory.objects.create(
        observation=observation,
        version=observation.version,
        old_value=old_value,
        new_value=observation.value,
        old_status=old_status,
        new_status=observation.status,
        changed_by=user,
        reason=reason,
    )
    return observation


@transaction.atomic
def demo_load(*, network: Network) -> int:
    """Generate demonstration observations for every member of ``network``; returns rows added.

    Members get 2015–2024, a member that left gets the years up to its leaving (Viken: formed
    2020, dissolved 2023). What is already there is left alone, so running it again adds nothing.
    """
    catalogue = load_catalogue()
    yes_no = {s.code for s in catalogue.series if "yes/no" in s.unit.lower()}
    ranges = {code: replace(r, yes_no=code in yes_no) for code, r in demo.demo_ranges().items()}
    memberships = list(network.memberships.select_related("place"))
    spans: dict[str, range] = {}
    for m in memberships:
        # Series are kept under a member's current code; only a unit that no longer exists
        # (Viken, 2020–2023) is limited to its own lifetime.
        ended = m.place.valid_to is not None and m.place.valid_from is not None
        first = (
            max(DEMO_YEARS.start, m.place.valid_from.year)
            if ended and m.place.valid_from
            else DEMO_YEARS.start
        )
        last = min(DEMO_YEARS.stop - 1, m.left.year) if m.left else DEMO_YEARS.stop - 1
        spans[m.place.code] = range(first, last + 1)
    place_ids = {m.place.code: m.place_id for m in memberships}
    series_ids = dict(Series.objects.values_list("code", "id"))
    existing = set(
        Observation.objects.filter(place_id__in=place_ids.values()).values_list(
            "place_id", "series_id", "year"
        )
    )
    new = []
    for place, series, year, value in demo.generate(spans, ranges):
        key = (place_ids[place], series_ids[series], year)
        if key not in existing:
            new.append(
                Observation(
                    place_id=key[0],
                    series_id=key[1],
                    year=year,
                    value=value,
                    status=Observation.Status.VERIFIED,
                    quality=Observation.Quality.UNKNOWN,
                    origin=Observation.Origin.DEMO,
                    source=DEMO_SOURCE,
                )
            )
    Observation.objects.bulk_create(new, batch_size=2000)
    created = Observation.objects.filter(origin=Observation.Origin.DEMO).exclude(history__isnull=False)
    ObservationHistory.objects.bulk_create(
        [
            ObservationHistory(observation_id=pk, version=1, new_value=v, new_status=s, reason="demo data")
            for pk, v, s in created.values_list("id", "value", "status")
        ],
        batch_size=2000,
    )
    return len(new)
