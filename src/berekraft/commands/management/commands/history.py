from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.table import Table

from berekraft.core.catalogue import normalise_code
from berekraft.observations.models import ImportBatch, ObservationHistory
from berekraft.observations.reporting import console_for


class Command(BaseCommand):
    help = (
        "Show the history of values (newest first) and the imports, optionally for one member or indicator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", help="member code")
        parser.add_argument("--indicator", help="indicator code, e.g. 'EC: I: WS: 1C'")
        parser.add_argument("--limit", type=int, default=50, help="how many changes (default 50)")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        rows = ObservationHistory.objects.select_related(
            "observation__place", "observation__series", "changed_by"
        )
        batches = ImportBatch.objects.select_related("member", "created_by")
        if options["member"]:
            rows = rows.filter(observation__place__code=options["member"])
            batches = batches.filter(history__observation__place__code=options["member"]).distinct()
        if options["indicator"]:
            rows = rows.filter(observation__series__indicator__code=normalise_code(options["indicator"]))
        imports = Table(title="Imports")
        for column in ("batch", "when", "file", "reader", "by", "new", "changed", "unchanged", "undone"):
            imports.add_column(column)
        for b in batches[: options["limit"]]:
            imports.add_row(
                str(b.pk),
                f"{b.created_at:%Y-%m-%d %H:%M}",
                b.file_name,
                b.reader,
                b.created_by.username if b.created_by else "command line",
                str(b.new),
                str(b.changed),
                str(b.unchanged),
                f"{b.undone_at:%Y-%m-%d %H:%M}" if b.undone_at else "",
            )
        console.print(imports)
        changes = Table(title="Changes")
        for column in ("when", "place", "series", "year", "old", "new", "status", "by", "batch", "reason"):
            changes.add_column(column)
        for h in rows.order_by("-changed_at", "-pk")[: options["limit"]]:
            o = h.observation
            changes.add_row(
                f"{h.changed_at:%Y-%m-%d %H:%M}",
                o.place.code,
                o.series.code,
                str(o.year),
                "–" if h.old_value is None else f"{h.old_value:g}",
                "–" if h.new_value is None else f"{h.new_value:g}",
                f"{h.old_status or 'new'} → {h.new_status}",
                h.changed_by.username if h.changed_by else "command line",
                str(h.batch_id or ""),
                h.reason,
            )
        console.print(changes)
