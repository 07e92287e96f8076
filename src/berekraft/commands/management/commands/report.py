from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.core.years import year_problem
from berekraft.errors import NotFoundError
from berekraft.reports.common import LANGUAGES


class Command(BaseCommand):
    help = "Write a report: a member's city snapshot (PDF) or VLR draft (DOCX), or the network report (PDF)."
    # Django's system checks import every URL module and the API's schemas (0.75 s of CPU, more
    # than the snapshot's own typesetting); a command that only reads has no use for them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--member", help="member code, e.g. 5001: the member's snapshot or VLR draft")
        who.add_argument("--network", action="store_true", help="the network report")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--lang", choices=LANGUAGES, default="nb", help="nb (default), nn or en")
        parser.add_argument(
            "--format", choices=("pdf", "docx"), default=None, help="pdf, or docx for the VLR draft"
        )
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        problem = year_problem(options["year"])
        if problem is not None:
            raise CommandError(problem[0] % problem[1], returncode=2)
        path = Path(options["output"])
        fmt = options["format"] or ("docx" if path.suffix.lower() == ".docx" else "pdf")
        if path.suffix.lower() != f".{fmt}":
            raise CommandError(f"{path}: a {fmt} report must be written to a .{fmt} file", returncode=2)
        created = datetime.now(UTC).replace(microsecond=0)
        try:
            content = self._make(options, fmt, created)
        except NotFoundError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(content)
        partial.replace(path)  # a reader never sees half a report
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes)")

    def _make(self, options: dict[str, Any], fmt: str, created: datetime) -> bytes:
        year, language = options["year"], options["lang"]
        if options["network"]:
            if fmt != "pdf":
                raise CommandError("the network report is a PDF", returncode=2)
            from berekraft.reports.network import network_pdf

            return network_pdf(year=year, language=language, created=created)
        if fmt == "docx":
            from berekraft.reports.vlr import vlr_docx

            return vlr_docx(code=options["member"], year=year, language=language, created=created)
        from berekraft.reports.snapshot import snapshot_pdf

        return snapshot_pdf(code=options["member"], year=year, language=language, created=created)
