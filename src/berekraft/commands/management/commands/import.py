from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from berekraft.errors import BerekraftError, InputError
from berekraft.importers.registry import read_file
from berekraft.observations.imports import checksum, import_table
from berekraft.observations.models import Observation
from berekraft.observations.reporting import console_for, limits, print_problems, print_report
from berekraft.places.models import Place


class Command(BaseCommand):
    help = (
        "Import a file of values (the data-collection workbook .xlsx, a tidy CSV, an Open SDG CSV or a "
        "JSON-stat2 file) as one batch: every problem is listed and nothing is written unless the whole "
        "file is valid. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--member", help="member code for rows that name no place (and to check against)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument(
            "--publish", action="store_true", help="mark the values verified and recompute scores"
        )
        parser.add_argument(
            "--user", help="record the import as done by this user (and check that user's role)"
        )
        parser.add_argument("--reader", help="force a reader (workbook, tidy_csv, opensdg_csv, jsonstat)")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        member = user = None
        if options["member"]:
            member = Place.objects.filter(code=options["member"]).first()
            if member is None:
                raise CommandError(f"no place with code {options['member']!r}", returncode=2)
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}", returncode=2)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(f"reading {path.name}", total=3)
            try:
                reader, table = read_file(path, limits(), options["reader"])
                progress.update(task, advance=1, description=f"validating {table.height} rows")
                origin = Observation.Origin.SSB if reader.name == "jsonstat" else Observation.Origin.FILE
                # Handed over, not kept: import_table lets go of the file's text once it is validated
                # (a country's file is a million rows).
                given = [table]
                del table
                report = import_table(
                    given.pop(),
                    file_name=path.name,
                    checksum=checksum(path),
                    reader=reader.name,
                    user=user,
                    member=member,
                    dry_run=options["dry_run"],
                    publish=options["publish"],
                    origin=origin,
                )
                progress.update(task, advance=2, description="done")
            except InputError as exc:
                progress.stop()
                print_problems(console, exc.problems)
                raise CommandError(f"{path.name}: {exc}; nothing was written", returncode=2) from exc
            except BerekraftError as exc:
                raise CommandError(str(exc), returncode=2) from exc
        print_report(console, report)
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s); nothing was written", returncode=2)
