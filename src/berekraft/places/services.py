"""Writes to places and networks. ``geography_load`` makes the database match the packaged
geography (idempotent)."""

from __future__ import annotations

from django.db import transaction

from berekraft.core import geography
from berekraft.places.models import Membership, Network, Place, PlaceChange


@transaction.atomic
def geography_load() -> dict[str, int]:
    """Upsert places, reform links, networks and memberships; returns counts."""
    records = geography.places()
    existing = {p.code: p for p in Place.objects.all()}
    fields = [
        "kind",
        "name",
        "name_nb",
        "population",
        "population_date",
        "area_km2",
        "valid_from",
        "valid_to",
    ]
    new: list[Place] = []
    changed: list[Place] = []
    for r in records:
        place = existing.get(r.code) or Place(code=r.code)
        before = [getattr(place, f) for f in fields]
        for f in fields:
            setattr(place, f, getattr(r, f))
        if place.pk is None:
            new.append(place)
        elif before != [getattr(place, f) for f in fields]:
            changed.append(place)
    Place.objects.bulk_create(new)
    Place.objects.bulk_update(changed, fields)
    by_code = {p.code: p for p in Place.objects.all()}
    reparent = []
    for r in records:
        place = by_code[r.code]
        parent = by_code[r.parent] if r.parent else None
        if place.parent_id != (parent.pk if parent else None):
            place.parent = parent
            reparent.append(place)
    Place.objects.bulk_update(reparent, ["parent"])
    changes = 0
    for c in geography.changes():
        PlaceChange.objects.update_or_create(
            from_place=by_code[c.from_code],
            to_place=by_code[c.to_code],
            date=c.date,
            defaults={"kind": c.kind, "weight": c.weight, "note": c.note},
        )
        changes += 1
    members = geography.members()
    for m in members:
        network, _ = Network.objects.update_or_create(code=m.network, defaults={"name": m.network_name})
        Membership.objects.update_or_create(
            network=network,
            place=by_code[m.code],
            defaults={"kind": m.kind, "joined": m.joined, "left": m.left, "note": m.note},
        )
    return {"places": len(records), "changes": changes, "members": len(members)}
