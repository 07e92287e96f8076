from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from berekraft.errors import BerekraftError
from berekraft.observations.models import ImportBatch
from berekraft.observations.undo import import_undo


class Command(BaseCommand):
    help = (
        "Undo an import as a whole: every value it wrote goes back to what it was (see `berekraft history`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch", type=int, help="the import's number")
        parser.add_argument(
            "--user", help="record the undo as done by this user (and check that user's role)"
        )
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="needed when the undo changes published values (it re-publishes the previous ones)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = ImportBatch.objects.filter(pk=options["batch"]).first()
        if batch is None:
            raise CommandError(f"no import {options['batch']}", returncode=2)
        user = User.objects.filter(username=options["user"]).first() if options["user"] else None
        try:
            count = import_undo(batch=batch, user=user, confirm=options["confirm"])
        except BerekraftError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"Undid import {batch.pk} ({batch.file_name}): {count} value(s) restored")
