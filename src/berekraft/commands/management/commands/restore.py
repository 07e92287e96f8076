from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.backup import restore
from berekraft.errors import ConflictError, InputError


class Command(BaseCommand):
    help = "Load an archive written by `berekraft dump` into an empty database, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an archive written by berekraft dump")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            loaded = restore(path, where=str(path))
        except InputError as exc:
            raise CommandError("; ".join(str(p) for p in exc.problems), returncode=2) from exc
        except ConflictError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"Restored {sum(loaded.values())} records of {len(loaded)} models from {path}")
