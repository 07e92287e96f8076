"""Writing projects: a project and all its parts (KPIs, goals, SDG targets, partners,
deliverables, funding, links, timeline) saved in one transaction, all or nothing, with every
problem reported at once; the largest of the services, so it has a module of its own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.action import validation
from berekraft.action.history import history_write, snapshot
from berekraft.action.inputs import ProjectInput
from berekraft.action.models import (
    ActionHistory,
    Deliverable,
    Funding,
    Partnership,
    Project,
    ProjectLink,
    ProjectSeries,
    TimelineEntry,
)
from berekraft.action.services.access import refuse_member
from berekraft.action.services.versions import Unchanged, locked, same, write
from berekraft.catalogue.models import Goal, SdgTarget, Series
from berekraft.errors import InputError
from berekraft.places.models import Place

Change = ActionHistory.Change


def _project_fields(data: ProjectInput) -> dict[str, Any]:
    return {
        "title": data.title,
        "summary": data.summary,
        "description": data.description,
        "status": data.status,
        "progress": data.progress,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "responsible_unit": data.responsible_unit,
        "contact_name": data.contact_name,
        "contact_email": data.contact_email,
        "contact_public": data.contact_public,
        "budget_nok": data.budget_nok,
    }


def _project_parts(project: Project, data: ProjectInput) -> None:
    """Replace every part of ``project`` with those of ``data`` (already validated)."""
    project.goals.set(Goal.objects.filter(number__in=data.goals))
    project.sdg_targets.set(SdgTarget.objects.filter(code__in=data.sdg_targets))
    project.kpis.all().delete()
    project.deliverables.all().delete()
    project.partnerships.all().delete()
    project.funding.all().delete()
    project.links.all().delete()
    project.timeline.all().delete()
    series = dict(Series.objects.filter(code__in=[k.series for k in data.kpis]).values_list("code", "pk"))
    ProjectSeries.objects.bulk_create(
        ProjectSeries(
            project=project,
            series_id=series[k.series],
            expected=k.expected,
            expected_value=k.expected_value,
            expected_year=k.expected_year,
        )
        for k in data.kpis
    )
    partnerships: dict[int, Partnership] = {}
    for p in data.partners:
        made = Partnership.objects.create(
            project=project, organisation_id=p.organisation, role=p.role, note=p.note
        )
        partnerships.setdefault(p.organisation, made)
    Deliverable.objects.bulk_create(
        Deliverable(
            project=project,
            what=d.what,
            due_date=d.due_date,  # type: ignore[misc]
            status=d.status,
            partnership=partnerships.get(d.organisation) if d.organisation is not None else None,
        )
        for d in data.deliverables
    )
    Funding.objects.bulk_create(
        Funding(project=project, source=f.source, amount_nok=f.amount_nok, note=f.note) for f in data.funding
    )
    ProjectLink.objects.bulk_create(
        ProjectLink(project=project, title=x.title, url=x.url) for x in data.links
    )
    TimelineEntry.objects.bulk_create(
        TimelineEntry(project=project, date=t.date, text=t.text)  # type: ignore[misc]
        for t in data.timeline
    )


def _check_project(data: ProjectInput) -> None:
    problems = validation.project_problems(data)
    if problems:
        raise InputError(problems, summary=_("the project was not saved"))


@transaction.atomic
def project_create(
    *,
    member: Place,
    data: ProjectInput,
    user: User | None,
    publish: bool = False,
    is_demo: bool = False,
    key: str = "",
    note: str = "",
) -> Project:
    """A new project of ``member`` with all its parts; a draft unless ``publish``. ``key`` is the
    project's key in a project spreadsheet (see action.bulk)."""
    refuse_member(user, member)
    _check_project(data)
    project = Project.objects.create(
        member=member,
        key=key,
        created_by=user,
        updated_by=user,
        is_demo=is_demo,
        published_at=timezone.now() if publish else None,
        **_project_fields(data),
    )
    _project_parts(project, data)
    history_write(project, Change.CREATE, before=None, after=snapshot(project), user=user, note=note)
    return project


def project_update_changed(
    *, project: Project, data: ProjectInput, expected_version: int | None, user: User | None, note: str = ""
) -> tuple[Project, bool]:
    """``project_update``, and whether anything changed (a save of the same data writes nothing)."""
    refuse_member(user, project.member)
    _check_project(data)
    with transaction.atomic():
        current = locked(project, expected_version)
        before = snapshot(current)
        try:
            with transaction.atomic():
                write(current, _project_fields(data), user)
                _project_parts(current, data)
                after = snapshot(current)
                if same(before, after):
                    raise Unchanged
        except Unchanged:
            current.refresh_from_db()
            return current, False
        history_write(current, Change.UPDATE, before=before, after=after, user=user, note=note)
        return current, True


def project_update(
    *, project: Project, data: ProjectInput, expected_version: int | None, user: User | None
) -> Project:
    """Replace a project and all its parts with ``data``, if nobody changed it since
    ``expected_version`` (None: the command line, last writer wins under the lock)."""
    return project_update_changed(project=project, data=data, expected_version=expected_version, user=user)[0]
