from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

PINNED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text layer as poppler's pdftotext reads it, spaces made plain (Norwegian numbers
    hold narrow no-break spaces) and lines joined."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture
def pinned() -> datetime:
    return PINNED
