"""Lists of the public organisations and citizen-involvement processes, for the API (the site shows
them on a project's, a member's or their own page; it has no list page of its own).

Built on the same notion of "public" as the pages (``selectors.public_organisations``, a published
involvement), so a record the API lists has a page, and a record without one is in no list. Each
list is in a stable order with the primary key last, so the API's cursor visits every row once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from berekraft.action.models import Involvement, Organisation, Partnership
from berekraft.action.selectors import public_organisations


@dataclass(frozen=True)
class OrganisationFilters:
    """None (or "") is "any"."""

    kind: str | None = None
    member: str | None = None  # a place code: partners in that member's published projects
    q: str = ""  # a part of the name, any case


def organisation_list(filters: OrganisationFilters) -> QuerySet[Organisation]:
    """The public organisations that pass ``filters``, by name, each with ``published_projects``:
    the number of published projects it takes part in (in every member, as its page lists them)."""
    found = public_organisations()
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.member:
        partners = Partnership.objects.filter(
            project__member__code=filters.member, project__published_at__isnull=False
        )
        found = found.filter(pk__in=partners.values("organisation_id"))
    if filters.q:
        found = found.filter(name__icontains=filters.q)
    return found.annotate(
        published_projects=Count(
            "partnerships__project",
            filter=Q(partnerships__project__published_at__isnull=False),
            distinct=True,
        )
    ).order_by("name", "pk")


@dataclass(frozen=True)
class InvolvementFilters:
    """None is "any"."""

    member: str | None = None  # a place code
    method: str | None = None
    year: int | None = None
    project: int | None = None


def involvement_list(filters: InvolvementFilters) -> QuerySet[Involvement]:
    """The published involvement processes that pass ``filters``, newest first. A process "runs
    in" a year as a project does (selectors.filter_projects): started by the year's end and not
    ended before it began. ``project`` finds the processes of a published project only: an
    unpublished project is not shown on a process's page either."""
    found = Involvement.objects.filter(published_at__isnull=False).select_related("member", "project")
    if filters.member:
        found = found.filter(member__code=filters.member)
    if filters.method:
        found = found.filter(method=filters.method)
    if filters.year:
        found = found.filter(start_date__lte=date(filters.year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=date(filters.year, 1, 1))
        )
    if filters.project is not None:
        found = found.filter(project_id=filters.project, project__published_at__isnull=False)
    return found.order_by("-start_date", "pk")
