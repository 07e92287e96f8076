from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from berekraft.backup import dump


class Command(BaseCommand):
    help = "Write every record of the database to one versioned archive (.zip), for backup or a move."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write, e.g. berekraft-2026-12-06.zip")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        manifest = dump(path)
        total = sum(m["rows"] for m in manifest["models"])
        self.stdout.write(f"Wrote {path}: {total} records of {len(manifest['models'])} models")
