"""JSON-stat 2.0 (https://json-stat.org/format/): published values as one dataset, place × series ×
year, with each series' unit, each value's quality level as its status, and notes.

The cube is dense (``size`` multiplies out); cells without a published value are absent from a
sparse ``value`` object, which JSON-stat allows and readers (berekraft's own, pyjstat) read as
missing. ``status`` is sparse the same way and holds U4SSC's data-quality level of the value.
"""

from __future__ import annotations

from typing import Any

from berekraft.opendata.rows import Published

CLASS = "dataset"


def dataset(published: Published, *, language: str = "nb") -> dict[str, Any]:
    """The JSON-stat 2.0 dataset (a dict ready for ``json.dumps``)."""
    places = [p for p in published.places if any(v.place == p.code for v in published.values)] or list(
        published.places
    )
    series = list(published.series)
    years = published.years
    place_at = {p.code: i for i, p in enumerate(places)}
    series_at = {s.code: i for i, s in enumerate(series)}
    year_at = {y: i for i, y in enumerate(years)}
    n_series, n_years = len(series), len(years)
    values: dict[str, float] = {}
    status: dict[str, str] = {}
    for v in published.values:
        if v.place not in place_at or v.series not in series_at:
            continue
        flat = (place_at[v.place] * n_series + series_at[v.series]) * n_years + year_at[v.year]
        values[str(flat)] = v.value
        if v.quality:
            status[str(flat)] = v.quality
    result: dict[str, Any] = {
        "version": "2.0",
        "class": CLASS,
        "label": published.title,
        "source": published.publisher,
        "id": ["place", "series", "year"],
        "size": [len(places), n_series, n_years],
        "role": {"geo": ["place"], "metric": ["series"], "time": ["year"]},
        "dimension": {
            "place": {
                "label": {"nb": "sted", "nn": "stad"}.get(language, "place"),
                "category": {
                    "index": [p.code for p in places],
                    "label": {p.code: p.name for p in places},
                },
            },
            "series": {
                "label": {"nb": "serie", "nn": "serie"}.get(language, "series"),
                "category": {
                    "index": [s.code for s in series],
                    "label": {s.code: s.name for s in series},
                    "unit": {s.code: {"label": s.unit} for s in series},
                },
            },
            "year": {
                "label": {"nb": "år", "nn": "år"}.get(language, "year"),
                "category": {"index": [str(y) for y in years]},
            },
        },
        "value": values,
        "note": [*published.notes, published.licence_note],
        "link": {"license": [{"href": published.licence_url}]},
        "extension": {
            "licence": published.licence_url,
            "demonstration_data": published.demo,
            "status": "U4SSC data-quality level of each value (measured, survey, higher_level, "
            "assumptions, personal, unknown)",
        },
    }
    if status:
        result["status"] = status
    if published.updated is not None:
        result["updated"] = published.updated.isoformat()
    return result
