"""The action demo: several labelled projects per member aimed at red or deteriorating KPIs (read
from the stored scores), partners shared across members, involvement with methods and groups;
deterministic and idempotent."""

from __future__ import annotations

import pytest
from django.db.models import Count, Max

from berekraft.action.demo import PROJECTS_PER_MEMBER, action_demo_load
from berekraft.action.models import Involvement, Organisation, Priority, Project
from berekraft.places.models import Network
from berekraft.scores.models import SeriesScore

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[object, ...]]:
    return sorted(
        (p.member.code, p.key, p.title, p.start_date, tuple(p.kpis.values_list("series__code", flat=True)))
        for p in Project.objects.select_related("member")
    )


def test_the_demo_adds_labelled_projects_on_red_or_worsening_kpis_once() -> None:
    network = Network.objects.get(code="baerekraftsnettverket")
    added = action_demo_load(network=network)
    assert added > 0
    projects = list(Project.objects.select_related("member"))
    members = {p.member.code for p in projects}
    assert len(members) >= 10
    per_member = Project.objects.values("member").annotate(n=Count("pk"))
    assert all(row["n"] == PROJECTS_PER_MEMBER for row in per_member)
    for project in projects:
        assert project.is_demo and project.title.startswith("Demo") and project.published_at is not None
        assert "Demonstrasjonsdata" in project.description
        latest = SeriesScore.objects.filter(place=project.member).aggregate(y=Max("year"))["y"]
        for link in project.kpis.all():
            score = SeriesScore.objects.get(place=project.member, series=link.series, year=latest)
            assert score.points == 1 or score.trend == "deterioration"
    assert all(o.is_demo and not o.org_number and "Demo" in o.name for o in Organisation.objects.all())
    shared = Organisation.objects.annotate(members=Count("partnerships__project__member", distinct=True))
    assert shared.filter(kind="academia", members__gte=2).exists()
    assert shared.filter(kind="business", members__gte=2).exists()
    involvement = list(Involvement.objects.all())
    assert involvement and all(i.is_demo and i.groups and i.participants for i in involvement)
    assert {i.method for i in involvement} >= {"workshop", "survey"}
    assert Priority.objects.filter(is_demo=True).exists()

    before = snapshot()
    counts = (Project.objects.count(), Organisation.objects.count(), Involvement.objects.count())
    assert action_demo_load(network=network) == 0
    assert snapshot() == before
    assert (Project.objects.count(), Organisation.objects.count(), Involvement.objects.count()) == counts
