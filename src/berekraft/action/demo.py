"""Demonstration projects, partners, citizen involvement and priorities for the network's members,
so that a newcomer sees the action registers at once.

Everything here is invented and labelled so (``is_demo``, "Demo" in every name and title, a
sentence in every description); no organisation gets an organisation number. Each member's
projects aim at KPI series that are red (band 1) or deteriorating in the demo's stored scores,
read from the database after the demo's score run. Deterministic (seeded by the member's code) and
idempotent: records are found again by their key or name, so a second run adds nothing. Written
through action.services, as an editor's records are.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q

from berekraft.action import services
from berekraft.action.inputs import (
    DeliverableInput,
    FundingInput,
    InvolvementInput,
    KpiInput,
    OrganisationInput,
    PartnerInput,
    PriorityInput,
    ProjectInput,
    TimelineInput,
)
from berekraft.action.models import Involvement, Organisation, Priority, Project
from berekraft.catalogue.models import SdgTarget, Series
from berekraft.places.models import Network, Place
from berekraft.scores.models import SeriesScore

PROJECTS_PER_MEMBER = 3
LABEL = (
    "Demonstrasjonsdata: dette prosjektet er laget for å vise hvordan registeret virker. "
    "Det er ikke et ekte tiltak hos medlemmet."
)
# Invented partners, shared across members (a university and a business in several members'
# projects) — fictitious names, no organisation numbers.
SHARED = (
    ("Demo-universitetet for bærekraft (fiktivt)", "academia"),
    ("Demo Grønn Energi AS (fiktivt)", "business"),
    ("Demo Frivilligsentral (fiktiv)", "voluntary"),
)
TITLES = (
    "Demo: handlingsplan for {name}",
    "Demo: pilotprosjekt – {name}",
    "Demo: samarbeid om {name}",
)
METHODS = (
    ("workshop", ("children_youth", "immigrants")),
    ("survey", ("elderly", "low_income")),
    ("citizen_panel", ("disabilities", "children_youth")),
    ("youth", ("children_youth",)),
    ("digital_consultation", ("other",)),
)


def _red_or_worsening(member: Place) -> list[Series]:
    """The member's series that are in band 1 or deteriorating in its latest scored year."""
    latest = SeriesScore.objects.filter(place=member).aggregate(year=Max("year"))["year"]
    if latest is None:
        return []
    ids = (
        SeriesScore.objects.filter(place=member, year=latest)
        .filter(Q(points=1) | Q(trend="deterioration"))
        .order_by("series__code")
        .values_list("series_id", flat=True)
    )
    return list(Series.objects.filter(pk__in=list(ids)).select_related("indicator").order_by("code"))


def _organisation(name: str, kind: str) -> Organisation:
    found = Organisation.objects.filter(name=name, is_demo=True).first()
    if found is not None:
        return found
    return services.organisation_create(
        data=OrganisationInput(name=name, kind=kind), user=None, publish=True, is_demo=True
    )


def _goals_and_targets(series: list[Series]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    goals = sorted({g for s in series for g in s.indicator.goals.values_list("number", flat=True)})[:3]
    targets = [
        code
        for number in goals
        for code in SdgTarget.objects.filter(goal__number=number)
        .order_by("order")
        .values_list("code", flat=True)[:1]
    ]
    return tuple(goals), tuple(targets)


def _project(
    member: Place, n: int, series: list[Series], partners: list[PartnerInput], rng: random.Random
) -> ProjectInput:
    start = date(2023 + rng.randrange(3), rng.randrange(1, 13), 1)
    status = "ongoing" if start.year < 2025 else "planned"
    goals, targets = _goals_and_targets(series)
    name = (series[0].name_nb or series[0].name_en).lower() if series else "bærekraft"
    lead = partners[0].organisation if partners else None
    focus = series[0].code if series else "et område"
    return ProjectInput(
        title=TITLES[n % len(TITLES)].format(name=name)[:200],
        summary=f"Demo: et tiltak i {member.name_nb} for å snu utviklingen på {focus}.",
        description=LABEL
        + "\n\n"
        + "KPI-ene prosjektet retter seg mot er røde eller forverres i demonstrasjonsdataene. "
        + "En trend viser endring, ikke årsak.",
        status=status,
        progress=rng.randrange(10, 70) if status == "ongoing" else 0,
        start_date=start,
        end_date=start + timedelta(days=365 * rng.randrange(2, 4)),
        responsible_unit="Demo: kommunalsektor for samfunnsutvikling",
        budget_nok=rng.randrange(5, 80) * 100_000,
        goals=goals,
        sdg_targets=targets,
        kpis=tuple(
            KpiInput(series=s.code, expected="down" if s.direction == "lower" else "up") for s in series
        ),
        partners=tuple(partners),
        deliverables=(
            DeliverableInput(
                what="Demo: kartlegging og plan vedtatt",
                due_date=start + timedelta(days=180),
                organisation=lead,
            ),
            DeliverableInput(what="Demo: evaluering av tiltaket", due_date=start + timedelta(days=700)),
        ),
        funding=(
            FundingInput(source="own", amount_nok=rng.randrange(2, 20) * 100_000),
            FundingInput(
                source=rng.choice(["state", "county", "eu"]), amount_nok=rng.randrange(2, 20) * 100_000
            ),
        ),
        timeline=(TimelineInput(date=start, text="Demo: oppstart"),),
    )


def _members(network: Network) -> list[Place]:
    return list(
        Place.objects.filter(memberships__network=network, memberships__left__isnull=True)
        .distinct()
        .order_by("code")
    )


@transaction.atomic
def action_demo_load(*, network: Network) -> int:
    """Add the demonstration records that are not there yet; return how many were added."""
    added = 0
    organisations_before = Organisation.objects.filter(is_demo=True).count()
    shared = [_organisation(name, kind) for name, kind in SHARED]
    for index, member in enumerate(_members(network)):
        rng = random.Random(f"action-demo-{member.code}")
        series = _red_or_worsening(member)
        rng.shuffle(series)
        local = _organisation(f"Demo Næringsforum {member.name_nb} (fiktivt)", "business")
        projects: list[Project] = []
        for n in range(PROJECTS_PER_MEMBER):
            key = f"demo-{n + 1}"
            found = Project.objects.filter(member=member, key=key).first()
            if found is not None:
                projects.append(found)
                continue
            chosen = series[n * 2 : n * 2 + 2] or series[:1]
            if n == 0 and index < 3:  # the first three members share a university and a business
                partners = [
                    PartnerInput(organisation=shared[0].pk, role="research"),
                    PartnerInput(organisation=shared[1].pk, role="supplier"),
                ]
            elif n == 1:
                partners = [
                    PartnerInput(organisation=local.pk, role="lead"),
                    PartnerInput(organisation=shared[2].pk, role="co_creator"),
                ]
            else:
                partners = [PartnerInput(organisation=local.pk, role="funder")]
            data = _project(member, n, chosen, partners, rng)
            projects.append(
                services.project_create(
                    member=member, data=data, user=None, publish=True, is_demo=True, key=key
                )
            )
            added += 1
        for n, (method, groups) in enumerate(METHODS[index % 3 : index % 3 + 2]):
            title = f"Demo: medvirkning {n + 1} i {member.name_nb}"
            if Involvement.objects.filter(member=member, title=title, is_demo=True).exists():
                continue
            start = date(2024, rng.randrange(1, 13), rng.randrange(1, 28))
            services.involvement_create(
                member=member,
                data=InvolvementInput(
                    title=title,
                    method=method,
                    start_date=start,
                    end_date=start + timedelta(days=rng.randrange(0, 60)),
                    project=projects[0].pk if n == 0 and projects else None,
                    participants=rng.randrange(15, 400),
                    groups=groups,
                    asked="Demo: hva bør kommunen prioritere for å nå målet?",
                    outcome="Demo: innspill om tryggere skoleveier og flere møteplasser.",
                    changes="Demo: to innspill er tatt inn i handlingsplanen.",
                ),
                user=None,
                publish=True,
                is_demo=True,
            )
            added += 1
        goals = [g for p in projects[:1] for g in p.goals.values_list("number", flat=True)][:1]
        if goals and not Priority.objects.filter(member=member, is_demo=True).exists():
            services.priority_create(
                member=member,
                data=PriorityInput(
                    reason="Demo: målet er prioritert i kommuneplanens samfunnsdel (demonstrasjonsdata).",
                    valid_from=date(2024, 1, 1),
                    goal=goals[0],
                    valid_until=date(2027, 12, 31),
                ),
                user=None,
                publish=True,
                is_demo=True,
            )
            added += 1
    return added + Organisation.objects.filter(is_demo=True).count() - organisations_before
