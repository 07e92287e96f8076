"""Reads for the workspace pages (a fixed number of queries each)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Max, QuerySet

from berekraft.accounts.selectors import can_verify, is_admin
from berekraft.catalogue.local import series_for_member
from berekraft.catalogue.models import Series
from berekraft.observations.models import ImportBatch, Observation
from berekraft.places.models import Place


@dataclass
class ValueRow:
    series: Series
    name: str
    unit: str
    observation: Observation | None


def series_label(series: Series, language: str) -> tuple[str, str]:
    """A series' display name and unit: the indicator's, plus the data point's own where it has one."""
    indicator = series.indicator
    name = indicator.name(language) + (f" – {series.name(language)}" if series.key else "")
    unit = series.unit if series.key and series.unit != indicator.unit_en else indicator.unit(language)
    return name, unit


def member_year_values(*, place: Place, year: int, language: str = "nb") -> list[ValueRow]:
    """Every catalogue series, then the member's own local indicators (they sort last), with the
    member's observation for the year, if any."""
    observations = {o.series_id: o for o in Observation.objects.filter(place=place, year=year)}
    rows = []
    for s in series_for_member(place).select_related("indicator").order_by("order"):
        rows.append(ValueRow(s, *series_label(s, language), observations.get(s.pk)))
    return rows


def latest_year(*, places: list[Place]) -> int | None:
    """The latest year any of ``places`` has a value for (what an editor most likely works on)."""
    year: int | None = Observation.objects.filter(place__in=places, value__isnull=False).aggregate(
        y=Max("year")
    )["y"]
    return year


def status_counts(*, places: list[Place], year: int) -> dict[int, Counter[str]]:
    counts: dict[int, Counter[str]] = {p.pk: Counter() for p in places}
    for place_id, status, n in (
        Observation.objects.filter(place__in=places, year=year, value__isnull=False)
        .values_list("place_id", "status")
        .annotate(n=Count("id"))
    ):
        counts[place_id][status] = n
    return counts


def verify_queue() -> QuerySet[Observation]:
    return (
        Observation.objects.filter(status=Observation.Status.SUBMITTED)
        .select_related("place", "series__indicator", "updated_by", "batch")
        .order_by("place__name_nb", "series__order", "year")
    )


def import_batches(*, user: User) -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.select_related("member", "created_by", "undone_by").order_by("-created_at")
    # A verifier sees every import: undoing one whose values were published since is theirs to do.
    return batches if is_admin(user) or can_verify(user) else batches.filter(created_by=user)
