from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    """Each test starts with empty rate-limit counters."""
    cache.clear()


@pytest.fixture
def tokens(people: dict[str, Any]) -> dict[str, str]:
    """A personal token for each of the people (admin, verifier, editor_a of 5001, editor_b of
    1506, public: logged in without a role)."""
    from berekraft.accounts.tokens import token_create

    return {name: token_create(user=user, name="test", days=30)[1] for name, user in people.items()}


def as_caller(secret: str | None) -> Client:
    headers = {"Accept-Language": "en"}
    if secret:
        headers["Authorization"] = f"Bearer {secret}"
    return Client(headers=headers)


@pytest.fixture
def registers(db: None) -> dict[str, Any]:
    """The demo's projects, partners, involvement and priorities for every member (three projects
    each: more than one page of the project list), and in Molde (1506) a published project with
    everything, its contact kept private, beside a draft of each kind of record."""
    from datetime import date

    from django.utils import timezone

    from berekraft.action.demo import action_demo_load
    from berekraft.action.models import Deliverable, Funding, Priority, ProjectLink, TimelineEntry
    from berekraft.catalogue.models import Goal, Series
    from berekraft.places.models import Network, Place
    from tests.action import factories as f

    action_demo_load(network=Network.objects.get(code="baerekraftsnettverket"))
    series = list(Series.objects.order_by("order").values_list("code", flat=True)[:2])
    project = f.project(
        "1506",
        title="Renere fjord",
        summary="Mindre avrenning",
        description="Første avsnitt.\n\nAndre avsnitt.",
        goals=(14,),
        targets=("11.6", "14.1"),
        series=tuple(series),
        contact_name="Kari Nordmann",
        contact_email="kari@example.org",
        budget_nok=1_250_000,
        progress=40,
        status="ongoing",
        start_date=date(2021, 4, 1),
        end_date=date(2025, 12, 31),
        responsible_unit="Miljøavdelingen",
    )
    org = f.organisation("NIVA", kind="academia", org_number="971549254", website="https://www.niva.no/")
    partnership = f.partner(project, org, role="research")
    Deliverable.objects.create(
        project=project, partnership=partnership, what="Måleprogram", due_date=date(2024, 6, 1)
    )
    Deliverable.objects.create(
        project=project, what="Sluttrapport", due_date=date(2025, 12, 1), status="ongoing"
    )
    Funding.objects.create(project=project, source="state", amount_nok=500_000, note="Klimasats")
    ProjectLink.objects.create(project=project, title="Om fjorden", url="https://example.org/fjord")
    TimelineEntry.objects.create(project=project, date=date(2022, 1, 15), text="Oppstartsmøte")
    involvement = f.involvement(
        "1506",
        on=project,
        title="Folkemøte om fjorden",
        method="public_meeting",
        participants=1234,
        groups=["children_youth", "immigrants"],
        asked="Hva er viktigst?",
        outcome="Renere strender.",
        changes="Ny rute for prøvetaking.",
    )
    draft = f.project("1506", title="Utkast", goals=(14,), series=tuple(series), published=False)
    hidden_org = f.organisation("Skjult AS", kind="business", published=False)
    f.partner(draft, hidden_org, role="supplier")  # on no published project: not public
    hidden_involvement = f.involvement("1506", on=project, title="Skjult høring", published=False)
    draft_involvement = f.involvement("1506", on=draft, title="Høring om utkastet")  # for a draft project
    hidden_priority = Priority.objects.create(
        member=Place.objects.get(code="1506"),
        goal=Goal.objects.get(number=15),
        reason="Skjult prioritering",
        valid_from=date(2025, 1, 1),
    )
    published_priority = Priority.objects.create(
        member=Place.objects.get(code="1506"),
        series=Series.objects.get(code=series[0]),
        reason="Vedtatt i kommunestyret",
        valid_from=date(2025, 1, 1),
        decision_url="https://example.org/vedtak",
        published_at=timezone.now(),
    )
    return {
        "project": project,
        "org": org,
        "involvement": involvement,
        "draft": draft,
        "hidden_org": hidden_org,
        "hidden_involvement": hidden_involvement,
        "draft_involvement": draft_involvement,
        "hidden_priority": hidden_priority,
        "priority": published_priority,
        "series": series,
    }
