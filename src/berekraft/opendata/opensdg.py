"""Open SDG data repository files (open-sdg-data-starter layout, read by sdg-build's
``InputCsvData`` and ``InputYamlMdMeta``): per indicator ``data/indicator_<id>.csv`` and
``meta/<id>.md``.

Data CSV, as Open SDG's data format asks: ``Year`` first, ``Value`` last, ``GeoCode`` second to
last, breakdown columns between (``Series`` for a multi-point KPI, ``Units``, ``Place``); one row
per place, series and year with a published value; a blank cell means "all" in Open SDG, so no
row here is a national headline.

**Indicator ids.** U4SSC KPIs are not SDG indicators, and Open SDG ids are
``<goal>-<target>-<indicator>``. berekraft uses a local scheme that keeps the goal an Open SDG
site files the page under and says plainly that it is not a UN indicator:
``<goal>-u4ssc-<code>``, with the KPI's first linked SDG as goal, ``u4ssc`` in the target's place
and the U4SSC code in lower case with its parts joined by ``-``: ``EC: ICT: ICT: 1C`` (SDG 9 and
17) → ``9-u4ssc-ec-ict-ict-1c``. Its other goals are listed in the metadata (``u4ssc_goals``). A
KPI linked to no goal is filed under goal 17 (partnerships), which is where a network's own
measures sit.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import yaml

from berekraft.opendata.datapackage import zip_member
from berekraft.opendata.rows import Published, SeriesMeta
from berekraft.web.tables import csv_cell

FALLBACK_GOAL = 17
HEADER_FIXED = ("Year", "Units", "Place", "GeoCode", "Value")


def indicator_id(indicator: str, goals: tuple[int, ...]) -> str:
    """``EC: ICT: ICT: 1C`` with goals (9, 17) → ``9-u4ssc-ec-ict-ict-1c``."""
    code = "-".join(p for p in re.split(r"[^a-z0-9]+", indicator.lower()) if p)
    return f"{min(goals) if goals else FALLBACK_GOAL}-u4ssc-{code}"


def _number(value: float) -> str:
    return repr(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def indicators(published: Published) -> dict[str, list[SeriesMeta]]:
    """Open SDG id → the indicator's series, in catalogue order."""
    result: dict[str, list[SeriesMeta]] = {}
    for s in published.series:
        result.setdefault(indicator_id(s.indicator, s.goals), []).append(s)
    return result


def data_csv(published: Published, series: list[SeriesMeta]) -> str:
    """``data/indicator_<id>.csv`` of one indicator."""
    multi = len(series) > 1 or any(s.key for s in series)
    by_code = {s.code: s for s in series}
    names = {p.code: p.name for p in published.places}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Year", *(["Series"] if multi else []), "Units", "Place", "GeoCode", "Value"])
    rows = sorted(
        (v for v in published.values if v.series in by_code),
        key=lambda v: (v.year, list(by_code).index(v.series), v.place),
    )
    for v in rows:
        s = by_code[v.series]
        writer.writerow(
            [
                v.year,
                *([csv_cell(s.key or s.name)] if multi else []),
                csv_cell(s.unit.strip()),
                csv_cell(names.get(v.place, v.place).strip()),
                v.place,
                _number(v.value),
            ]
        )
    return out.getvalue()


def meta_md(published: Published, ident: str, series: list[SeriesMeta]) -> str:
    """``meta/<id>.md``: YAML front matter with Open SDG's metadata fields, the definition below."""
    first = series[0]
    goal = int(ident.split("-", 1)[0])
    reported = any(v.series in {s.code for s in series} for v in published.values)
    meta: dict[str, Any] = {
        "indicator_number": ident.replace("-", ".", 2),
        "indicator_name": first.indicator_name,
        "indicator_sort_order": ident,
        "sdg_goal": str(goal),
        "target_id": f"{goal}.u4ssc",
        "target_name": "U4SSC key performance indicators for smart sustainable cities (ITU-T Y.4903)",
        "reporting_status": "complete" if reported else "notstarted",
        "published": True,
        "data_non_statistical": False,
        "graph_type": "line",
        "graph_title": first.indicator_name,
        "computation_units": first.unit,
        "national_indicator_available": first.indicator_name,
        "national_indicator_description": "U4SSC KPI "
        + first.indicator
        + ", not a UN SDG indicator; berekraft's local id scheme",
        "u4ssc_code": first.indicator,
        "u4ssc_goals": list(first.goals),
        "u4ssc_series": [s.code for s in series],
        "source_active_1": True,
        "source_organisation_1": published.publisher,
        "source_url_1": published.site,
        "source_release_date_1": published.updated.date().isoformat() if published.updated else "",
        "copyright_1": published.licence_url,
        "data_footnote": " ".join([*published.notes, published.licence_note]),
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{first.definition}\n"


def repository_files(published: Published) -> dict[str, str]:
    """Path in an Open SDG data repository → file text, for every indicator in ``published``."""
    files: dict[str, str] = {}
    for ident, series in indicators(published).items():
        files[f"data/indicator_{ident}.csv"] = data_csv(published, series)
        files[f"meta/{ident}.md"] = meta_md(published, ident, series)
    return files


def repository_zip(published: Published) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zip_member(archive, "README.txt", published.updated),
            "Open SDG data repository files (data/, meta/) of berekraft's published U4SSC values.\n"
            "Indicator ids: <goal>-u4ssc-<U4SSC code>, a local scheme: U4SSC KPIs are not UN SDG "
            "indicators.\n"
            + "\n".join([*published.notes, published.licence_note, published.licence_url])
            + "\n",
        )
        for path, text in repository_files(published).items():
            archive.writestr(zip_member(archive, path, published.updated), text)
    return buffer.getvalue()
