"""Hostile files, generated compactly at test time (shared by the tests and bench/hostile_files.py)."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def shared_strings_workbook(path: Path, count: int = 10_000_000) -> Path:
    """An .xlsx whose sharedStrings part lists ``count`` strings: ~2 MB on disk, 170 MB of XML.
    Mostly «a» with a varied letter every 16th string, so that it compresses ~85×: well within a
    zip-bomb ratio check and the expansion limit, like the 9.3 MB file of issue 7."""
    rng = random.Random(1)
    block_size = 4096
    block = b"".join(
        b"<si><t>a</t></si>" if i % 16 else b"<si><t>%c</t></si>" % rng.choice(b"bcdefghijk")
        for i in range(block_size)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst count="%d" uniqueCount="%d">' % (count, count))
            for _ in range(count // block_size):
                part.write(block)
            part.write(b"<si><t>z</t></si>" * (count % block_size))
            part.write(b"</sst>")
    return path


def many_dimensions_jsonstat(path: Path, count: int = 220_000) -> Path:
    """A JSON-stat 2.0 dataset with ``count`` one-category dimensions and one value (no table id)."""
    ids = [f"d{i}" for i in range(count)]
    data = {
        "version": "2.0",
        "class": "dataset",
        "id": ids,
        "size": [1] * count,
        "dimension": {i: {"category": {"index": ["x"]}} for i in ids},
        "value": [1.0],
    }
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return path
