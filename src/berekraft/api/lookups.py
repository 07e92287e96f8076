"""Turning the API's query values into the things selectors take, with a 400/404 that names the
parameter. Codes or slugs are both accepted for series and indicators (``EN: EN: AQ: 1C/PM2.5``
or ``en-en-aq-1c-pm2-5``), as the site's URLs use slugs and files use codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from berekraft.action.models import Involvement, Organisation, Project
from berekraft.api.errors import ApiError
from berekraft.catalogue.models import Goal, Indicator, Series
from berekraft.web import constants
from berekraft.web.selectors.common import Member, series_slug


@dataclass(frozen=True)
class SeriesKey:
    id: int
    slug: str
    indicator_slug: str
    goals: frozenset[int]


def series_keys() -> list[SeriesKey]:
    """Every series' id, slug, indicator slug and goals: what a filter needs, in 2 queries (the
    full ``common.catalogue`` builds names in a language too, which a filter does not read)."""
    goals: dict[int, set[int]] = {}
    for indicator_id, number in Indicator.goals.through.objects.values_list("indicator_id", "goal__number"):
        goals.setdefault(indicator_id, set()).add(number)
    return [
        SeriesKey(pk, series_slug(code), series_slug(indicator), frozenset(goals.get(indicator_id, ())))
        for pk, code, indicator, indicator_id in Series.objects.order_by("order").values_list(
            "pk", "code", "indicator__code", "indicator_id"
        )
    ]


def series_of(*, series: str | None, indicator: str | None, goal: int | None) -> list[int] | None:
    """The series ids a listing is narrowed to (None: no narrowing)."""
    if series is None and indicator is None and goal is None:
        return None
    # Kept per score run, as the pages' catalogue is (web/constants.py): the ids and slugs of 225
    # series cost more to read and slug than the listing they narrow.
    keys = chosen = constants.per_run("api-series-keys", series_keys)
    if series is not None:
        chosen = [s for s in chosen if s.slug == series_slug(series)]
        if not chosen:
            raise ApiError(404, f"no series {series!r}", where="series", fix="See /api/v1/indicators.")
    if indicator is not None:
        slug = series_slug(indicator)
        if not any(s.indicator_slug == slug for s in keys):
            raise ApiError(404, f"no KPI {indicator!r}", where="indicator", fix="See /api/v1/indicators.")
        chosen = [s for s in chosen if s.indicator_slug == slug]
    if goal is not None:
        if not Goal.objects.filter(number=goal).exists():
            raise ApiError(404, f"no goal {goal}", where="goal", fix="Goals are 1 to 17.")
        chosen = [s for s in chosen if goal in s.goals]
    return [s.id for s in chosen]


def member_of(members: list[Member], code: str) -> Member:
    found = next((m for m in members if m.code == code), None)
    if found is None:
        raise ApiError(
            404,
            (f"{code} is not a member of the network"),
            where="member",
            fix="See /api/v1/networks.",
        )
    return found


def year_range(year: int | None, year_from: int | None, year_to: int | None) -> tuple[int | None, int | None]:
    if year is not None:
        return year, year
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiError(400, "year_from is after year_to", where="year_from", fix="Swap them.")
    return year_from, year_to


def _one_of(values: list[str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"Input should be one of: {', '.join(values)}")
        return value

    return AfterValidator(check)


def _listed(values: list[str]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": values})


# The registers' choices as query parameters, listed inline in the OpenAPI: as enums they would be
# components named by their class (Status, Kind, Method), and Project.Status would take the place
# of Observation.Status, Organisation.Kind that of Place.Kind.
ProjectStatus = Annotated[str, _one_of(Project.Status.values), _listed(Project.Status.values)]
OrganisationKind = Annotated[str, _one_of(Organisation.Kind.values), _listed(Organisation.Kind.values)]
InvolvementMethod = Annotated[str, _one_of(Involvement.Method.values), _listed(Involvement.Method.values)]
