"""Turning the API's query values into the things selectors take, with a 400/404 that names the
parameter. Codes or slugs are both accepted for series and indicators (``EN: EN: AQ: 1C/PM2.5``
or ``en-en-aq-1c-pm2-5``), as the site's URLs use slugs and files use codes."""

from __future__ import annotations

from berekraft.api.errors import ApiError
from berekraft.web.selectors.common import Catalogue, Member, SeriesInfo, series_slug


def series_of(
    catalogue: Catalogue, *, series: str | None, indicator: str | None, goal: int | None
) -> list[int] | None:
    """The series ids a listing is narrowed to (None: no narrowing)."""
    chosen: list[SeriesInfo] | None = None
    if series is not None:
        info = catalogue.by_slug.get(series_slug(series))
        if info is None:
            raise ApiError(
                404,
                (f"no series {series!r}"),
                where="series",
                fix="See /api/v1/indicators.",
            )
        chosen = [info]
    if indicator is not None:
        slug = series_slug(indicator)
        found = [s for s in catalogue.series if s.indicator_slug == slug]
        if not found:
            raise ApiError(
                404,
                (f"no KPI {indicator!r}"),
                where="indicator",
                fix="See /api/v1/indicators.",
            )
        chosen = [s for s in found if chosen is None or s in chosen]
    if goal is not None:
        catalogue.goal(goal)  # 404 for an unknown goal
        chosen = [s for s in (chosen if chosen is not None else catalogue.series) if goal in s.goals]
    return None if chosen is None else [s.id for s in chosen]


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
