"""The ``berekraft`` console script.

``score`` and ``catalogue`` are an analyst's tools and need no database, so they run here with
the pure core only. Every other command is a Django management command (``berekraft.commands``)
run through Django's own machinery, so ``berekraft X --help`` shows its options.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from berekraft import __version__

DJANGO_COMMANDS = {
    "demo": "set up the demo database (migrate, reference data, demo data, scores) and serve it",
    "serve": "run the production web server (gunicorn, static files served)",
    "migrate": "create or update the database tables",
    "createsuperuser": "create an administrator account",
    "load-reference": "load the catalogue, goals, targets, geography and network into the database",
    "recompute": "recompute and store every score from the observations in the database",
    "worker": "run the background worker (score runs); serve starts one itself",
    "grant": "give a user a role: admin, verifier, or editor of members",
    "template": "write the data-collection workbook (.xlsx) for a member and year (--projects: projects)",
    "import": "import a workbook, CSV, Open SDG CSV or JSON-stat file as one batch (--dry-run to preview)",
    "undo-import": "undo an import as a whole",
    "history": "show the history of values and imports",
    "fetch": "fetch a Statistics Norway table (PxWebApi v2) and import it through a mapping",
    "report": "write a member's snapshot (PDF) or VLR draft (DOCX), or the network report (PDF)",
    "import-projects": "import a project spreadsheet (.xlsx or CSV) for a member, all or nothing",
    "dump": "write every record to one versioned archive (backup, or a move to another database)",
    "restore": "load an archive written by dump into an empty database",
}
PURE_COMMANDS = {
    "catalogue": "list the U4SSC indicators, or show one (no database needed)",
    "score": "score a tidy CSV file through every lens (no database needed)",
}


def usage() -> str:
    lines = [
        f"berekraft {__version__}: municipal sustainability measurement (U4SSC KPIs, UN SDGs)",
        "",
        "usage: berekraft COMMAND [options]   (berekraft COMMAND --help for its options)",
        "",
        "commands:",
    ]
    for name, text in {**DJANGO_COMMANDS, **PURE_COMMANDS}.items():
        lines.append(f"  {name:<16} {text}")
    return "\n".join(lines)


def _quiet_on_closed_pipe(run: Callable[[], int]) -> int:
    """Run a command whose output may go to ``| head``: when the reader closes the pipe, end
    quietly with status 1 instead of a traceback (the recipe in Python's ``signal`` docs, "Note on
    SIGPIPE": point stdout at devnull so the interpreter's final flush cannot fail again)."""
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if args[0] == "--version":
        print(__version__)
        return 0
    command, rest = args[0], args[1:]
    if command in PURE_COMMANDS:
        from berekraft import analysis

        return _quiet_on_closed_pipe(lambda: analysis.main(command, rest))
    if command not in DJANGO_COMMANDS:
        print(f"berekraft: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["berekraft", command.replace("-", "_"), *rest])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
