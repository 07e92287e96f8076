"""Register records made directly with the ORM, for the reading side's tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from berekraft.action.models import Involvement, Organisation, Partnership, Project, ProjectSeries
from berekraft.catalogue.models import Goal, SdgTarget, Series
from berekraft.places.models import Place


def project(
    member: str = "5001",
    *,
    published: bool = True,
    goals: tuple[int, ...] = (),
    targets: tuple[str, ...] = (),
    series: tuple[str, ...] = (),
    **fields: Any,
) -> Project:
    fields.setdefault("title", "Sykkelveier i sentrum")
    fields.setdefault("start_date", date(2022, 3, 1))
    made = Project.objects.create(
        member=Place.objects.get(code=member),
        published_at=timezone.now() if published else None,
        **fields,
    )
    made.goals.set(Goal.objects.filter(number__in=goals))
    made.sdg_targets.set(SdgTarget.objects.filter(code__in=targets))
    for code in series:
        ProjectSeries.objects.create(project=made, series=Series.objects.get(code=code), expected="down")
    return made


def organisation(
    name: str = "Sintef", *, kind: str = "academia", published: bool = True, **fields: Any
) -> Organisation:
    return Organisation.objects.create(
        name=name, kind=kind, published_at=timezone.now() if published else None, **fields
    )


def partner(on: Project, org: Organisation, role: str = "lead") -> Partnership:
    return Partnership.objects.create(project=on, organisation=org, role=role)


def involvement(
    member: str = "5001", *, on: Project | None = None, published: bool = True, **fields: Any
) -> Involvement:
    fields.setdefault("title", "Verksted om sykkelvei")
    fields.setdefault("method", "workshop")
    fields.setdefault("start_date", date(2023, 5, 2))
    return Involvement.objects.create(
        member=Place.objects.get(code=member),
        project=on,
        published_at=timezone.now() if published else None,
        **fields,
    )
