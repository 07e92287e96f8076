from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings

# No per-example deadline: CI machines have two cores shared with a browser and two databases, and
# a slow example is not a failure of the rule under test. Properties still run their full count.
settings.register_profile("default", deadline=None)
settings.load_profile("default")


def load_shared_data() -> None:
    """The reference data and the demo network, with their scores."""
    from berekraft.catalogue.services import catalogue_load, sdg_targets_load
    from berekraft.core.catalogue import load_catalogue
    from berekraft.observations.services import demo_load
    from berekraft.places.models import Network
    from berekraft.places.services import geography_load
    from berekraft.scores.services import scores_recompute

    catalogue_load(catalogue=load_catalogue())
    sdg_targets_load()
    geography_load()
    demo_load(network=Network.objects.get(code="baerekraftsnettverket"))
    scores_recompute()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The shared data, loaded once per test database (tests roll back; tests/db/conftest.py loads
    it again after a test whose transactions commit)."""
    with django_db_blocker.unblock():
        load_shared_data()


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    """One user per role: admin, verifier, editor of Trondheim (5001), editor of Molde (1506), and a
    logged-in user with no role ("public")."""
    from django.contrib.auth.models import User

    from berekraft.accounts.services import role_grant
    from berekraft.places.models import Network, Place

    network = Network.objects.get(code="baerekraftsnettverket")
    made: dict[str, Any] = {}
    for name, kind, places in (
        ("admin", "admin", []),
        ("verifier", "verifier", []),
        ("editor_a", "editor", ["5001"]),
        ("editor_b", "editor", ["1506"]),
    ):
        made[name] = User.objects.create_user(name)
        role_grant(
            user=made[name], kind=kind, network=network, places=list(Place.objects.filter(code__in=places))
        )
    made["public"] = User.objects.create_user("public")
    return made
