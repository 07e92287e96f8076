from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.action.bulk import projects_import_file
from berekraft.errors import BerekraftError, InputError
from berekraft.observations.reporting import limits
from berekraft.places.models import Place


class Command(BaseCommand):
    help = (
        "Import a project spreadsheet (.xlsx from `berekraft template --projects`, or the same columns as "
        "CSV) for one member: every problem is listed by row and column and nothing is written unless the "
        "whole file is valid. Rows are matched by their key: importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--member", required=True, help="member code, e.g. 5001")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument("--publish", action="store_true", help="publish the imported projects")
        parser.add_argument(
            "--user", help="record the import as done by this user (and check that user's role)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        member = Place.objects.filter(code=options["member"]).first()
        if member is None:
            raise CommandError(f"no place with code {options['member']!r}", returncode=2)
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}", returncode=2)
        try:
            report = projects_import_file(
                path=path,
                limits=limits(),
                member=member,
                user=user,
                dry_run=options["dry_run"],
                publish=options["publish"],
            )
        except InputError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{exc.summary}: {len(exc.problems)} problem(s)", returncode=2) from exc
        except BerekraftError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        prefix = "dry run, nothing written: " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}{report.file}: {report.new} new, {report.changed} changed, "
            f"{report.unchanged} unchanged, {report.published} published ({member.name_nb})"
        )
