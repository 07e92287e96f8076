"""SDMX-CSV 2.0 (the CSV format of SDMX 3.0; github.com/sdmx-twg/sdmx-csv, data message field
guide): one row per published value.

Columns: ``STRUCTURE`` (``dataflow``), ``STRUCTURE_ID`` (``BEREKRAFT:U4SSC_KPI(1.0.0)``),
``ACTION`` (``I``: information), then the dimensions ``REF_AREA`` (Norwegian place code),
``SERIES`` (the U4SSC series code as an SDMX id:
``EN: EN: AQ: 1C/PM2.5`` → ``EN_EN_AQ_1C_PM2_5``) and ``TIME_PERIOD`` (year), the measure
``OBS_VALUE`` and the
attributes ``UNIT_MEASURE`` (the series' unit, as text) and ``DATA_QUALITY`` (U4SSC's quality
level). The structure is berekraft's own (no agency publishes a U4SSC data structure definition);
``DSD`` below describes it, so a reader can build the structure it needs.
"""

from __future__ import annotations

import csv
import io
import re

from berekraft.opendata.rows import Published
from berekraft.web.tables import csv_cell

AGENCY = "BEREKRAFT"
DATAFLOW = "U4SSC_KPI"
VERSION = "1.0.0"
STRUCTURE_ID = f"{AGENCY}:{DATAFLOW}({VERSION})"
DIMENSIONS = ("REF_AREA", "SERIES", "TIME_PERIOD")
MEASURES = ("OBS_VALUE",)
ATTRIBUTES = ("UNIT_MEASURE", "DATA_QUALITY")
HEADER = ("STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, *MEASURES, *ATTRIBUTES)
MEDIA_TYPE = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"
DSD = {"dimensions": DIMENSIONS, "measures": MEASURES, "attributes": ATTRIBUTES}


def series_id(code: str) -> str:
    """A U4SSC series code as an SDMX identifier (letters, digits and ``_`` only)."""
    return re.sub(r"[^A-Za-z0-9]+", "_", code).strip("_")


def data_csv(published: Published) -> str:
    units = {s.code: s.unit for s in published.series}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(HEADER)
    for v in sorted(published.values, key=lambda v: (v.place, v.series, v.year)):
        writer.writerow(
            [
                "dataflow",
                STRUCTURE_ID,
                "I",
                v.place,
                series_id(v.series),
                v.year,
                repr(v.value),
                csv_cell(units.get(v.series, "")),
                v.quality,
            ]
        )
    return out.getvalue()
