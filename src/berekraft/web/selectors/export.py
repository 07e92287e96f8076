""" "Download all data": the network's stored scores and the catalogue as tidy CSV tables in a zip."""

from __future__ import annotations

import io
import zipfile

from django.db.models import Q
from django.utils.translation import gettext as _

from berekraft.catalogue.models import Target
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


def export_tables(*, catalogue: Catalogue, members: list[Member], demo: bool) -> list[Table]:
    """members, KPIs (series), targets, series scores and aggregate scores. 3 queries."""
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
    for t in targets.order_by("series__order", "scope"):
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
    series_rows = [
        {"place": by_pk[r["place_id"]].code, "series": catalogue.by_id[r["series_id"]].code, **r}
        for r in SeriesScore.objects.filter(
            place_id__in=list(by_pk), series_id__in=list(catalogue.by_id)
        ).values("place_id", "series_id", *SERIES_FIELDS)
    ]
    scores_table = Table(
        "series_scores",
        _("Series scores"),
        [Column(k, k) for k in ("place", "series", *SERIES_FIELDS)],
        series_rows,
        demo,
    )
    aggregate_rows = [
        {"place": by_pk[r["place_id"]].code, **r}
        for r in AggregateScore.objects.filter(place_id__in=list(by_pk)).values("place_id", *AGGREGATE_FIELDS)
    ]
    aggregates_table = Table(
        "aggregate_scores",
        _("Aggregate scores"),
        [Column(k, k) for k in ("place", *AGGREGATE_FIELDS)],
        aggregate_rows,
        demo,
    )
    return [members_table, series_table, targets_table, scores_table, aggregates_table]


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
