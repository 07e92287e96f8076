"""Reports made from the data berekraft holds, in nb, nn or en: a member's city snapshot (PDF),
the network report (PDF) and a Voluntary Local Review draft (DOCX).

Data comes from the pages' selectors (web/selectors: one read path for pages, twins and reports),
charts from the pages' Vega-Lite specifications (web/figures.py) drawn by vl-convert (charts.py),
PDFs from typst templates (templates/) set in the shipped fonts (fonts/), so the same data gives
the same bytes on every machine (render.py). ``snapshot``, ``network`` and ``vlr`` assemble each
report; ``projects`` is where the action registers will plug in.
"""
