"""Reads of places with their reform links, and of networks."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from berekraft.places.models import Network, Place, PlaceChange


@dataclass
class PlaceEntry:
    place: Place
    changes: list[PlaceChange] = field(default_factory=list)  # in and out, by date


def places_with_changes(*, kind: str | None = None, codes: list[str] | None = None) -> list[PlaceEntry]:
    """Places (by code) with every reform link that starts or ends at them. 2 queries."""
    rows = Place.objects.select_related("parent").order_by("code")
    if kind is not None:
        rows = rows.filter(kind=kind)
    if codes is not None:
        rows = rows.filter(code__in=codes)
    entries = {p.pk: PlaceEntry(p) for p in rows}
    links = (
        PlaceChange.objects.filter(Q(from_place_id__in=list(entries)) | Q(to_place_id__in=list(entries)))
        .select_related("from_place", "to_place")
        .order_by("date", "from_place__code", "to_place__code")
    )
    for link in links:
        for pk in {link.from_place_id, link.to_place_id}:
            if pk in entries:
                entries[pk].changes.append(link)
    return list(entries.values())


def networks() -> list[Network]:
    return list(Network.objects.order_by("code"))
