"""The U4SSC collection workbook of one member and year, filled with the published values: the
workbook `berekraft template` writes (importers.workbook), so it reads back through the import."""

from __future__ import annotations

from pathlib import Path

from berekraft.core.catalogue import load_catalogue
from berekraft.importers.workbook import write_template
from berekraft.opendata.rows import Published


def published_workbook(published: Published, *, place: str, year: int, path: Path) -> Path:
    """Write ``path``: each series with a published value for ``place`` in ``year`` is filled with
    that value, its quality level and source; the rest are left blank (not reported)."""
    name = next((p.name for p in published.places if p.code == place), place)
    existing = {
        v.series: {"value": v.value, "quality": v.quality, "source": v.source, "origin": v.data_origin}
        for v in published.values
        if v.place == place and v.year == year
    }
    write_template(
        path, member_code=place, member_name=name, year=year, catalogue=load_catalogue(), existing=existing
    )
    return path
