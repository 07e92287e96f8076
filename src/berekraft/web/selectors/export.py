""" "Download all data": the network's stored scores and the catalogue as tidy CSV tables in a zip.
The score tables are read as they are written (``opendata.datapackage.Resource``): at 357 members
they are 1.7 M rows, never held whole."""

from __future__ import annotations

import io
import zipfile

from django.db.models import Q
from django.utils.translation import gettext as _

from berekraft.catalogue.models import Target
from berekraft.opendata.datapackage import CHUNK, Resource
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.web.selectors.common import Catalogue, Member
from berekraft.web.tables import DEMO_NOTE, LICENCE, Column, Table

SERIES_FIELDS = [
    "year",
    "value",
    "direction",
    "target",
    "target_lower",
    "target_upper",
    "target_year",
    "target_scope",
    "achievement",
    "points",
    "status",
    "normalised",
    "trend",
    "cagr",
    "network_index",
    "rank",
    "quartile",
]
AGGREGATE_FIELDS = [
    "level",
    "code",
    "year",
    "points",
    "max_points",
    "percent",
    "band",
    "scored",
    "not_scored",
    "coverage",
    "normalised",
    "rank",
]


def export_resources(*, catalogue: Catalogue, members: list[Member]) -> list[Resource]:
    """members, KPIs (series), targets, series scores and aggregate scores (3 queries, the last two
    as their rows are read)."""
    by_pk = {m.place.pk: m for m in members}
    members_table = Table(
        "members",
        _("Members"),
        [Column(k, k) for k in ("code", "name", "kind", "county", "population", "left")],
        [
            {
                "code": m.code,
                "name": m.name,
                "kind": m.kind,
                "county": m.place.parent.code if m.place.parent else "",
                "population": m.place.population,
                "left": m.left,
            }
            for m in members
        ],
    )
    series_table = Table(
        "series",
        _("Series"),
        [
            Column(k, k)
            for k in ("code", "indicator", "name", "unit", "direction", "dimension", "category", "goals")
        ],
        [
            {
                "code": s.code,
                "indicator": s.indicator.code,
                "name": s.name,
                "unit": s.unit,
                "direction": s.direction,
                "dimension": s.dimension,
                "category": s.category,
                "goals": ";".join(str(g) for g in s.goals),
            }
            for s in catalogue.series
        ],
    )
    target_rows = []
    targets = Target.objects.filter(
        Q(place__isnull=True) | Q(place_id__in=list(by_pk)), series__indicator__owner__isnull=True
    ).select_related("place")
    for t in targets.order_by("series__order", "scope", "place_id", "pk"):
        target_rows.append(
            {
                "series": catalogue.by_id[t.series_id].code
                if t.series_id in catalogue.by_id
                else t.series_id,
                "scope": t.scope,
                "place": t.place.code if t.place else "",
                "value": t.value,
                "lower": t.lower,
                "upper": t.upper,
                "year": t.year,
                "source": t.source,
            }
        )
    targets_table = Table(
        "targets",
        _("Targets"),
        [Column(k, k) for k in ("series", "scope", "place", "value", "lower", "upper", "year", "source")],
        target_rows,
    )
    by_code = {pk: m.code for pk, m in by_pk.items()}
    series_codes = {pk: s.code for pk, s in catalogue.by_id.items()}
    # In the order of each table's unique key (its index), so that the same data always give the
    # same file, whoever makes it (a table's physical order moves as score runs rewrite rows).
    series_scores = (
        SeriesScore.objects.filter(place_id__in=list(by_pk), series_id__in=list(catalogue.by_id))
        .order_by("place_id", "series_id", "year")
        .values_list("place_id", "series_id", *SERIES_FIELDS)
    )
    aggregate_scores = (
        AggregateScore.objects.filter(place_id__in=list(by_pk))
        .order_by("level", "code", "place_id", "year")
        .values_list("place_id", *AGGREGATE_FIELDS)
    )
    return [
        Resource.of(members_table),
        Resource.of(series_table),
        Resource.of(targets_table),
        Resource(
            "series_scores",
            _("Series scores"),
            [Column(k, k) for k in ("place", "series", *SERIES_FIELDS)],
            (
                (by_code[place], series_codes[series], *rest)
                for place, series, *rest in series_scores.iterator(chunk_size=CHUNK)
            ),
        ),
        Resource(
            "aggregate_scores",
            _("Aggregate scores"),
            [Column(k, k) for k in ("place", *AGGREGATE_FIELDS)],
            ((by_code[place], *rest) for place, *rest in aggregate_scores.iterator(chunk_size=CHUNK)),
        ),
    ]


def export_zip(tables: list[Table], *, demo: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        readme = ["berekraft: all data of the network", "", LICENCE]
        if demo:
            readme += ["", DEMO_NOTE]
        readme += ["", "Files:"] + [f"  {t.name}.csv  {t.title}" for t in tables]
        archive.writestr("README.txt", "\n".join(readme) + "\n")
        for t in tables:
            archive.writestr(f"{t.name}.csv", t.as_csv())
    return buffer.getvalue()
