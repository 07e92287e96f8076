from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from berekraft.catalogue.services import catalogue_load, sdg_targets_load
from berekraft.core.catalogue import load_catalogue
from berekraft.places.services import geography_load


class Command(BaseCommand):
    help = "Load the packaged U4SSC catalogue, SDGs, default targets, Norwegian geography and the network."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {**catalogue_load(catalogue=load_catalogue()), **sdg_targets_load(), **geography_load()}
        self.stdout.write("Reference data loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
