"""Shared by the import commands: the limits from settings, and a report printed with rich."""

from __future__ import annotations

from typing import IO, Any, cast

from django.conf import settings
from rich.console import Console
from rich.table import Table

from berekraft.core.problems import Problem
from berekraft.importers.base import Limits
from berekraft.observations.imports import ImportReport

SHOWN = 200


def console_for(stream: Any) -> Console:
    """A rich console on a command's output; wide when it is not a terminal (pipes, logs, tests)."""
    is_tty = getattr(stream, "isatty", lambda: False)()
    return Console(file=cast("IO[str]", stream), width=None if is_tty else 200)


def limits() -> Limits:
    return Limits(
        max_bytes=settings.IMPORT_MAX_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_columns=settings.IMPORT_MAX_COLUMNS,
        max_strings=settings.IMPORT_MAX_STRINGS,
        max_cells=settings.IMPORT_MAX_CELLS,
        timeout=settings.IMPORT_TIMEOUT,
        max_memory=settings.IMPORT_MAX_MEMORY_MB * 1024 * 1024,
    )


def print_problems(console: Console, problems: list[Problem]) -> None:
    for p in problems[:SHOWN]:
        style = "red" if p.severity == "error" else "yellow"
        console.print(f"[{style}]{p.severity}[/{style}] {p}", highlight=False, soft_wrap=True)
    if len(problems) > SHOWN:
        console.print(f"… and {len(problems) - SHOWN} more")


def print_report(console: Console, report: ImportReport) -> None:
    summary = Table(
        title=f"{report.file_name} ({report.reader})"
        + (" — dry run, nothing written" if report.dry_run else "")
    )
    for column in ("rows", "new", "changed", "unchanged", "warnings", "errors", "batch"):
        summary.add_column(column, justify="right")
    summary.add_row(
        str(report.rows),
        str(report.new),
        str(report.changed),
        str(report.unchanged),
        str(len(report.warnings)),
        str(len(report.errors)),
        str(report.batch_id or "–"),
    )
    console.print(summary)
    if report.mapped:
        mapped = Table(title="Old place codes mapped to current places")
        for column in ("from", "to", "kind", "rows"):
            mapped.add_column(column)
        for m in report.mapped:
            mapped.add_row(str(m["from"]), str(m["to"]), str(m["kind"]), str(m["rows"]))
        console.print(mapped)
    print_problems(console, report.problems)
    if report.errors:
        console.print(
            f"[red]Nothing was written: fix the {len(report.errors)} error(s) and import again.[/red]"
        )
    elif not report.dry_run:
        console.print(
            f"{report.new + report.changed} changed" if report.new + report.changed else "0 changed"
        )
