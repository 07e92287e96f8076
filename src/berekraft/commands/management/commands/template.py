from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.core.years import year_problem
from berekraft.errors import InputError
from berekraft.observations.workbooks import template_for
from berekraft.places.models import Place


class Command(BaseCommand):
    help = (
        "Write the data-collection workbook (.xlsx) for one member and year, pre-filled with existing values."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", help="member code, e.g. 5001")
        parser.add_argument("--year", type=int)
        parser.add_argument(
            "--projects",
            action="store_true",
            help="write the project spreadsheet instead (with --member: its projects that have a key)",
        )
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["projects"]:
            return self._projects(options)
        if options["member"] is None or options["year"] is None:
            raise CommandError("--member and --year are required (or --projects)", returncode=2)
        problem = year_problem(options["year"])
        if problem is not None:
            raise CommandError(problem[0] % problem[1], returncode=2)
        place = Place.objects.filter(code=options["member"]).first()
        if place is None:
            raise CommandError(f"no place with code {options['member']!r}", returncode=2)
        path = Path(options["output"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"{path}: the workbook must be an .xlsx file", returncode=2)
        try:
            template_for(place=place, year=options["year"], path=path)
        except InputError as exc:
            raise CommandError("; ".join(p.text() for p in exc.problems), returncode=2) from exc
        self.stdout.write(f"Wrote {path} for {place.name_nb} ({place.code}), {options['year']}")

    def _projects(self, options: dict[str, Any]) -> None:
        from berekraft.action.bulk import template_write

        member = None
        if options["member"]:
            member = Place.objects.filter(code=options["member"]).first()
            if member is None:
                raise CommandError(f"no place with code {options['member']!r}", returncode=2)
        path = Path(options["output"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"{path}: the project spreadsheet must be an .xlsx file", returncode=2)
        template_write(path=path, member=member)
        self.stdout.write(f"Wrote the project spreadsheet {path}")
