from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The reference data and the demo network, loaded once per test database (tests roll back)."""
    from berekraft.catalogue.services import catalogue_load
    from berekraft.core.catalogue import load_catalogue
    from berekraft.observations.services import demo_load
    from berekraft.places.models import Network
    from berekraft.places.services import geography_load
    from berekraft.scores.services import scores_recompute

    with django_db_blocker.unblock():
        catalogue_load(catalogue=load_catalogue())
        geography_load()
        demo_load(network=Network.objects.get(code="baerekraftsnettverket"))
        scores_recompute()
