from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from berekraft.accounts.demo import demo_accounts
from berekraft.observations.services import demo_load
from berekraft.places.models import Network
from berekraft.scores.selectors import scores_are_current
from berekraft.server import run_gunicorn
from berekraft.settings import DATABASES


class Command(BaseCommand):
    help = (
        "Prepare the demo: migrate, load reference data, generate DEMONSTRATION observations for the "
        "network's members, compute scores, then serve. Safe and quick to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="prepare the database, do not serve")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Database: {DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        network = Network.objects.get(code="baerekraftsnettverket")
        added = demo_load(network=network)
        self.stdout.write(f"Demonstration observations added: {added}")
        accounts = demo_accounts(network=network)
        self.stdout.write(
            "Demo accounts (user password) for the workspace at /workspace/: "
            + "; ".join(accounts.read_text(encoding="utf-8").strip().splitlines())
            + f" (kept in {accounts})"
        )
        if added or not scores_are_current():
            call_command("recompute", stdout=self.stdout)
        else:
            self.stdout.write("Scores are up to date.")
        from berekraft.action.demo import action_demo_load

        self.stdout.write(
            f"Demonstration projects, partners and involvement added: {action_demo_load(network=network)}"
        )
        if not options["no_serve"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(
                f"Serving the demo on http://{options['host']}:{options['port']}/ (Ctrl+C stops)"
            )
            run_gunicorn(host=options["host"], port=options["port"], workers=2)
