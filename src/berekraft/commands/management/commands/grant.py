from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.accounts.services import role_grant
from berekraft.errors import InputError
from berekraft.places.models import Network, Place


class Command(BaseCommand):
    help = "Give a user a role: admin, verifier, or editor of one or more members (--member CODE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=["admin", "verifier", "editor"])
        parser.add_argument("--member", action="append", default=[], help="member code (repeat for several)")
        parser.add_argument("--network", default="baerekraftsnettverket", help="network code")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"no user {options['username']!r}: create it with `berekraft createsuperuser` or the admin"
            )
        network = Network.objects.filter(code=options["network"]).first()
        if network is None:
            raise CommandError(f"no network {options['network']!r}: run `berekraft load-reference` first")
        places = list(Place.objects.filter(code__in=options["member"]))
        missing = set(options["member"]) - {p.code for p in places}
        if missing:
            raise CommandError(f"no place with code {', '.join(sorted(missing))}")
        try:
            role = role_grant(user=user, kind=options["role"], network=network, places=places)
        except InputError as exc:
            raise CommandError("; ".join(str(p) for p in exc.problems)) from exc
        self.stdout.write(f"{user.username} is now {role.get_kind_display()} in {network.name}")
