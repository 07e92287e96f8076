"""typst, set up once: the report templates, the shipped fonts only (no system font lookup, no
typst-embedded fonts), an accessible PDF (PDF/UA-1: tagged, with title and language; typst refuses
to write one that breaks the standard, e.g. an image without alternative text) and a creation date
given by the caller, so the same data and date give the same bytes."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import typst

from berekraft.reports.fonts import FONTS

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS)])


def pdf(template: str, data: dict[str, Any], *, created: datetime) -> bytes:
    """``templates/<template>`` with ``data`` (as ``sys.inputs.data``, JSON) as PDF bytes.
    ``created`` must carry a time zone: it is the PDF's creation date and the date printed."""
    compiler = typst.Compiler(root=str(TEMPLATES), font_paths=_fonts(), ignore_system_fonts=True)
    result = compiler.compile(
        input=str(TEMPLATES / template),
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        timestamp=created,
        pdf_standards=["ua-1"],
    )
    assert isinstance(result, bytes)  # one document, not pages
    return result
