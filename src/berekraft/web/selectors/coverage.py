"""Coverage, for the secretariat: members × series for one year — verified, submitted, draft,
returned or missing — with totals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from berekraft.observations.models import Observation
from berekraft.web.selectors.common import Catalogue, Member, SeriesInfo, members_in
from berekraft.web.tables import Column, Table

STATUSES = ("verified", "submitted", "draft", "returned", "missing")


@dataclass
class CoverageRow:
    member: Member
    cells: list[str]
    totals: dict[str, int]


@dataclass
class Coverage:
    year: int
    years: list[int]
    series: list[SeriesInfo]
    rows: list[CoverageRow]
    totals: dict[str, int]

    def table(self) -> Table:
        columns = [Column("code", _("Code")), Column("name", _("Member"))]
        columns += [Column(s, s) for s in STATUSES]
        columns += [Column(s.code, s.code) for s in self.series]
        rows = []
        for r in self.rows:
            row: dict[str, object] = {"code": r.member.code, "name": r.member.name, **r.totals}
            row.update({s.code: cell for s, cell in zip(self.series, r.cells, strict=True)})
            rows.append(row)
        return Table(f"coverage-{self.year}", _("Coverage %(year)s") % {"year": self.year}, columns, rows)


def coverage(*, catalogue: Catalogue, members: list[Member], year: int | None) -> Coverage:
    """Each member's status on each series in ``year`` (default the latest with data); only the
    places that were members in that year are rows (a member that left is not "missing"). 2 queries."""
    place_ids = [m.place.pk for m in members]
    years = sorted(
        set(
            Observation.objects.filter(place_id__in=place_ids, series_id__in=[s.id for s in catalogue.series])
            .values_list("year", flat=True)
            .distinct()
        )
    )
    chosen = year if year in years else (years[-1] if years else 0)
    status = {
        (pid, sid): st
        for pid, sid, st in Observation.objects.filter(place_id__in=place_ids, year=chosen).values_list(
            "place_id", "series_id", "status"
        )
    }
    rows = []
    grand: Counter[str] = Counter()
    for m in members_in(members, chosen):
        cells = [status.get((m.place.pk, s.id), "missing") for s in catalogue.series]
        counts = Counter(cells)
        totals = {st: counts.get(st, 0) for st in STATUSES}
        grand.update(totals)
        rows.append(CoverageRow(m, cells, totals))
    return Coverage(chosen, years, catalogue.series, rows, {st: grand.get(st, 0) for st in STATUSES})
