"""The fonts every report is set in, shipped with the package (SOURCES.md): typst and vl-convert
look up no system font, so a report comes out the same on every machine."""

from __future__ import annotations

from pathlib import Path

FONTS = Path(__file__).resolve().parent
FAMILY = "Inter"
