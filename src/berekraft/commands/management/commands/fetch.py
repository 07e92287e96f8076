from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import yaml
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.errors import BerekraftError, InputError
from berekraft.importers.ssb import fetch_mapped
from berekraft.importers.ssb_mapping import MappingError, default_mapping, parse_mapping
from berekraft.observations.imports import import_table
from berekraft.observations.models import Observation
from berekraft.observations.reporting import console_for, print_problems, print_report

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# Tests put an httpx.MockTransport here; None is the real network.
TRANSPORT: httpx.BaseTransport | None = None


class Command(BaseCommand):
    help = (
        "Fetch a Statistics Norway table through PxWebApi v2 (within SSB's cell and rate limits, with "
        "retries) and import it through the series mapping, as one batch. Example: "
        "berekraft fetch ssb 07849 --years 2022 2023"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=["ssb"], help="where to fetch from (ssb: Statistics Norway)")
        parser.add_argument("table", help="the Statbank table id, e.g. 07849")
        parser.add_argument("--mapping", help="a mapping YAML file (default: the packaged mapping)")
        parser.add_argument("--years", nargs="*", default=None, help="years to fetch (default: the latest)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument(
            "--publish", action="store_true", help="mark the values verified and recompute scores"
        )
        parser.add_argument("--user", help="record the import as done by this user")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        try:
            mapping = (
                parse_mapping(yaml.safe_load(Path(options["mapping"]).read_text(encoding="utf-8")))
                if options["mapping"]
                else default_mapping()
            )
        except (OSError, yaml.YAMLError, MappingError) as exc:
            raise CommandError(f"the mapping cannot be used: {exc}", returncode=2) from exc
        user = User.objects.filter(username=options["user"]).first() if options["user"] else None
        table_id = options["table"]
        try:
            with httpx.Client(
                transport=TRANSPORT, timeout=TIMEOUT, headers={"User-Agent": "berekraft"}
            ) as client:
                table = fetch_mapped(table_id, mapping, options["years"], client)
            digest = hashlib.sha256(json.dumps(table.to_dicts(), sort_keys=True).encode()).hexdigest()
            report = import_table(
                table,
                file_name=f"SSB {table_id}",
                checksum=digest,
                reader="ssb",
                user=user,
                dry_run=options["dry_run"],
                publish=options["publish"],
                origin=Observation.Origin.SSB,
            )
        except InputError as exc:
            print_problems(console, exc.problems)
            first = "; ".join(str(p) for p in exc.problems[:3])
            raise CommandError(f"SSB {table_id}: {first or exc}; nothing was written", returncode=2) from exc
        except BerekraftError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except httpx.HTTPError as exc:
            raise CommandError(f"could not reach Statistics Norway: {exc}", returncode=2) from exc
        print_report(console, report)
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s); nothing was written", returncode=2)
