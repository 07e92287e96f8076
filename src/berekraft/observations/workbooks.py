"""The data-collection workbook for one member and year, pre-filled with what is already there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from berekraft.catalogue.local import local_indicators
from berekraft.core.catalogue import Names, load_catalogue, parse_direction
from berekraft.core.local import catalogue_entry
from berekraft.core.problems import Problem, gettext_noop
from berekraft.errors import InputError
from berekraft.importers.workbook import write_template
from berekraft.observations.models import Observation
from berekraft.places.models import Place


def template_for(*, place: Place, year: int, path: Path) -> Path:
    """Write the workbook; refuse a year after the place ended (Viken has no 2024 to collect)."""
    if place.valid_to is not None and year > place.valid_to.year:
        problem = Problem(
            gettext_noop("%(code)s %(name)s did not exist in %(year)s: it ended on %(ended)s"),
            column="year",
            value=str(year),
            params=(("code", place.code), ("name", place.name_nb), ("year", year), ("ended", place.valid_to)),
        )
        raise InputError([problem], summary="no workbook was written")
    existing: dict[str, dict[str, Any]] = {
        o.series.code: {
            "value": o.value,
            "numerator": o.numerator,
            "denominator": o.denominator,
            "quality": o.quality,
            "origin": o.data_origin,
            "source": o.source,
            "note": o.note,
        }
        for o in Observation.objects.filter(place=place, year=year).select_related("series")
    }
    write_template(
        path,
        member_code=place.code,
        member_name=place.name_nb,
        year=year,
        catalogue=load_catalogue(),
        existing=existing,
        local=[
            catalogue_entry(
                code=v.series.code,
                # A name in whichever language the member wrote it: the sheet shows the bokmål one.
                names=Names(*(n or v.indicator.name("nb") for n in (ind.name_en, ind.name_nb, ind.name_nn))),
                unit=v.series.unit,
                direction=parse_direction(v.series.direction) or "higher",
                goals=tuple(v.goals),
            )
            for v in local_indicators(place=place)
            for ind in (v.indicator,)
        ],
    )
    return path
