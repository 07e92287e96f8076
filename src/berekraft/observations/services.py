"""Writes to observations. Every write leaves a history row with before/after snapshots and
raises the version; nothing here checks roles (workflow.py and imports.py do, then call these)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.bulk import insert_objects
from berekraft.catalogue.models import Series
from berekraft.core import demo
from berekraft.core.catalogue import load_catalogue
from berekraft.errors import ConflictError
from berekraft.observations.models import (
    SNAPSHOT_FIELDS,
    DataChange,
    DataVersion,
    ImportBatch,
    Observation,
    ObservationHistory,
)
from berekraft.places.models import Network

DEMO_YEARS = range(2015, 2025)  # published demo years
DEMO_YEAR_IN_PROGRESS = 2025  # partly entered, submitted, verified and returned
DEMO_SOURCE = "berekraft demonstration data (generated, not measured)"


def data_version_bump(series: Iterable[int] | None = None) -> None:
    """Raise the data version; call in the transaction that changes a published value or target.

    ``series``: the ids of the series whose published values or targets the change touches, so the
    next score run recomputes only those (scores.plan); None when that is not known, and the next
    run recomputes everything."""
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    # The row stays locked by the update until this transaction ends: no other change gets this
    # version, and a score run that reads it sees the change and its record committed.
    version = DataVersion.objects.values_list("version", flat=True).get(pk=1)
    touched = [None] if series is None else sorted(set(series))
    DataChange.objects.bulk_create([DataChange(version=version, series_id=s) for s in touched])
    # The pages' cached state names the data version ("scores are being updated"): read it anew.
    from berekraft.web.runs import forget_on_commit

    forget_on_commit()


def data_version_read(*, lock: bool = False) -> int:
    """The data version now (0 before any change); with ``lock`` held until the transaction ends,
    so that no published value changes while a score run reads them."""
    rows = DataVersion.objects.filter(pk=1)
    if lock:
        DataVersion.objects.get_or_create(pk=1)
        rows = rows.select_for_update()
    found = rows.values_list("version", flat=True).first()
    return found or 0


def history_row(
    observation: Observation,
    before: dict[str, Any] | None,
    *,
    user: User | None,
    reason: str = "",
    batch: ImportBatch | None = None,
) -> ObservationHistory:
    """An (unsaved) history row for the change from ``before`` to the observation as it is now."""
    after = observation.snapshot()
    return ObservationHistory(
        observation=observation,
        version=observation.version,
        old_value=before["value"] if before else None,
        new_value=observation.value,
        old_status=before["status"] if before else "",
        new_status=observation.status,
        before=before,
        after=after,
        batch=batch,
        changed_by=user,
        reason=reason,
    )


def apply_change(
    observation: Observation,
    changes: dict[str, Any],
    *,
    user: User | None,
    reason: str = "",
    batch: ImportBatch | None = None,
) -> bool:
    """Apply ``changes`` (editable fields) to a saved observation with history; False if nothing changed."""
    unknown = set(changes) - set(SNAPSHOT_FIELDS) - {"comment"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    real = {k: v for k, v in changes.items() if getattr(observation, k) != v}
    if not real:
        return False
    before = observation.snapshot()
    read_version = observation.version
    for key, value in real.items():
        setattr(observation, key, value)
    observation.version += 1
    observation.updated_by = user
    observation.updated_at = timezone.now()
    if batch is not None:
        observation.batch = batch
    # Compare-and-set: write only if nobody wrote since this observation was read.
    written = Observation.objects.filter(pk=observation.pk, version=read_version).update(
        **real,
        version=observation.version,
        updated_by=user,
        updated_at=observation.updated_at,
        **({"batch": batch} if batch is not None else {}),
    )
    if written != 1:
        raise ConflictError(
            _(
                "%(value)s was changed by someone else meanwhile; nothing was saved. "
                "Reload to see the current value."
            )
            % {"value": describe(observation)}
        )
    history_row(observation, before, user=user, reason=reason, batch=batch).save()
    if "published_value" in real:
        data_version_bump([observation.series_id])
    return True


def describe(observation: Observation) -> str:
    """A value as a person names it in a message: place, series and year."""
    return f"{observation.place.code} {observation.series.code} {observation.year}"


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
    observation = (
        Observation.objects.select_for_update()
        .filter(place_id=place_id, series_id=series_id, year=year)
        .first()
    )
    if observation is None:
        observation = Observation.objects.create(
            place_id=place_id, series_id=series_id, year=year, value=value, updated_by=user, **fields
        )
        history_row(observation, None, user=user, reason=reason).save()
        if observation.published_value is not None:
            data_version_bump([series_id])
        return observation
    apply_change(observation, {"value": value, **fields}, user=user, reason=reason)
    return observation


def demo_spans(*, network: Network, years: range) -> dict[str, range]:
    """The years each member of ``network`` has demo data for, within ``years``.

    Series are kept under a member's current code; only a unit that no longer exists (Viken,
    2020–2023) is limited to its own lifetime, and a member that left stops at its leaving.
    """
    spans: dict[str, range] = {}
    for m in network.memberships.select_related("place"):
        start = m.place.valid_from
        first = max(years.start, start.year) if start and m.place.valid_to else years.start
        last = min(years.stop - 1, m.left.year) if m.left else years.stop - 1
        spans[m.place.code] = range(first, last + 1)
    return spans


def demo_ranges() -> dict[str, demo.DemoRange]:
    """The demo ranges with what the catalogue knows of each series (yes/no, direction, dimension)."""
    catalogue = load_catalogue()
    dimensions = {row["series"]: row["dimension"] for row in catalogue.series_frame().iter_rows(named=True)}
    series = {s.code: s for s in catalogue.series}
    return {
        code: replace(
            r,
            yes_no="yes/no" in series[code].unit.lower(),
            lower_is_better=series[code].direction == "lower",
            dimension=dimensions[code],
        )
        for code, r in demo.demo_ranges().items()
    }


@transaction.atomic
def demo_load(*, network: Network) -> int:
    """Generate demonstration observations for the members of ``network``; returns values added.

    Members get 2015–2024 as published (verified) values, with the gaps, trends and differences
    between members that :mod:`berekraft.core.demo` draws; a member that left gets the years up to
    its leaving (Viken: formed 2020, dissolved 2023). 2025 is a year in progress, entered through
    the workflow by the demo accounts (:mod:`berekraft.observations.demo`). What is already there
    is left alone, so running it again adds nothing.
    """
    ranges = demo_ranges()
    spans = demo_spans(network=network, years=range(DEMO_YEARS.start, DEMO_YEAR_IN_PROGRESS + 1))
    place_ids = dict(network.memberships.values_list("place__code", "place_id"))
    series_ids = dict(Series.objects.values_list("code", "id"))
    existing = set(
        Observation.objects.filter(place_id__in=place_ids.values()).values_list(
            "place_id", "series_id", "year"
        )
    )
    new = []
    in_progress: list[tuple[str, str, float]] = []
    for place, series, year, value in demo.generate(spans, ranges):
        if year == DEMO_YEAR_IN_PROGRESS:
            in_progress.append((place, series, value))
            continue
        key = (place_ids[place], series_ids[series], year)
        if key not in existing:
            new.append(
                Observation(
                    place_id=key[0],
                    series_id=key[1],
                    year=year,
                    value=value,
                    published_value=value,
                    published_source=DEMO_SOURCE,
                    published_quality=Observation.Quality.UNKNOWN,
                    published_origin=Observation.Origin.DEMO,
                    status=Observation.Status.VERIFIED,
                    quality=Observation.Quality.UNKNOWN,
                    origin=Observation.Origin.DEMO,
                    source=DEMO_SOURCE,
                )
            )
    insert_objects(Observation, new)  # COPY on PostgreSQL (bulk.py)
    if new:
        data_version_bump({o.series_id for o in new})
    created = Observation.objects.filter(origin=Observation.Origin.DEMO, history__isnull=True)
    insert_objects(ObservationHistory, (history_row(o, None, user=None, reason="demo data") for o in created))
    # The workflow module builds on this one: imported here, when it is needed.
    from berekraft.observations.demo import demo_year_in_progress

    return len(new) + demo_year_in_progress(network=network, values=in_progress, year=DEMO_YEAR_IN_PROGRESS)
