"""What the workspace lists of the action registers: a member's own records, drafts included
(the public pages read published records only, through action.selectors)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from berekraft.action.models import Involvement, Organisation, Priority, Project
from berekraft.places.models import Place


@dataclass(frozen=True)
class MemberRegisters:
    member: Place
    projects: list[Project]
    involvements: list[Involvement]
    priorities: list[Priority]


def member_registers(*, places: list[Place]) -> list[MemberRegisters]:
    """Each member's projects, involvement and priorities, newest change first (four queries)."""
    ids = [p.pk for p in places]
    projects = Project.objects.filter(member_id__in=ids).order_by("-updated_at", "pk")
    involvements = (
        Involvement.objects.filter(member_id__in=ids).select_related("project").order_by("-updated_at")
    )
    priorities = (
        Priority.objects.filter(member_id__in=ids).select_related("goal", "series").order_by("-updated_at")
    )
    by_member: dict[int, MemberRegisters] = {
        p.pk: MemberRegisters(member=p, projects=[], involvements=[], priorities=[]) for p in places
    }
    for project in projects:
        by_member[project.member_id].projects.append(project)
    for involvement in involvements:
        by_member[involvement.member_id].involvements.append(involvement)
    for priority in priorities:
        by_member[priority.member_id].priorities.append(priority)
    return list(by_member.values())


def organisations_for(*, places: list[Place], admin: bool) -> list[Organisation]:
    """The organisations the user may edit: those its members registered (every one for the admin),
    with the number of projects each takes part in."""
    found = Organisation.objects.annotate(projects=Count("partnerships__project", distinct=True))
    if not admin:
        found = found.filter(registered_by__in=places)
    return list(found.select_related("registered_by").order_by("name", "pk"))
