"""Reads of observations for the API (and any page that lists values): published values for
everyone, and the working value (status, version, comment) where the reader may see it.

One query path: the public sees exactly the published version (``PUBLISHED_FIELDS``) that the
pages and the scores use; an editor sees the working values of the members it writes, a verifier
or an admin those of every member.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from berekraft.observations.models import Observation

# The order every listing is stable in: member, series, year, then the row's id.
ORDER = {
    "member": ("place__code", "series__order", "year", "pk"),
    "series": ("series__order", "place__code", "year", "pk"),
    "year": ("year", "place__code", "series__order", "pk"),
}
FIELDS = (
    "pk",
    "place__code",
    "series__code",
    "series__indicator__code",
    "year",
    "published_value",
    "published_quality",
    "published_source",
    "published_data_origin",
    "published_origin",
    "value",
    "status",
    "quality",
    "source",
    "note",
    "comment",
    "version",
    "place_id",
)


@dataclass(frozen=True)
class ObservationFilter:
    """What a listing is narrowed to; None is "any"."""

    places: Collection[str] | None = None  # place codes
    series_ids: Collection[int] | None = None
    year_from: int | None = None
    year_to: int | None = None
    status: str | None = None
    quality: str | None = None


def observations_list(
    *,
    where: ObservationFilter,
    working: Collection[int] | None,
    everything: bool = False,
    sort: str = "member",
) -> QuerySet[Observation, dict[str, object]]:
    """Observations as dicts (``FIELDS``), in a stable order.

    ``working`` is the ids of the places whose working values the reader may see (``everything``:
    all of them); for other places only published values are listed, and a ``status`` or
    ``quality`` filter applies to the published version ("verified", its published quality).
    """
    rows = Observation.objects.all()
    if where.places is not None:
        rows = rows.filter(place__code__in=list(where.places))
    if where.series_ids is not None:
        rows = rows.filter(series_id__in=list(where.series_ids))
    if where.year_from is not None:
        rows = rows.filter(year__gte=where.year_from)
    if where.year_to is not None:
        rows = rows.filter(year__lte=where.year_to)
    nothing = Q(pk__isnull=True)
    seen = Q(pk__isnull=False) if everything else Q(place_id__in=list(working)) if working else nothing
    public = ~seen & Q(published_value__isnull=False)
    if where.status is not None:
        rows = rows.filter(
            (seen & Q(status=where.status)) | (public if where.status == "verified" else nothing)
        )
    else:
        rows = rows.filter(seen | public)
    if where.quality is not None:
        rows = rows.filter((seen & Q(quality=where.quality)) | (public & Q(published_quality=where.quality)))
    found: QuerySet[Observation, dict[str, object]] = rows.order_by(*ORDER[sort]).values(*FIELDS)
    return found
