from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.server import DEFAULT_THREADS, run_gunicorn


class Command(BaseCommand):
    help = "Run the production web server (gunicorn with static files served by whitenoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help=f"threads per worker (default {DEFAULT_THREADS}, gthread; 1: gunicorn's sync worker)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["threads"] < 1:
            raise CommandError(f"--threads must be 1 or more, not {options['threads']}")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/ (Ctrl+C stops)")
        run_gunicorn(
            host=options["host"], port=options["port"], workers=options["workers"], threads=options["threads"]
        )
