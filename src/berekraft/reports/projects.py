"""Where the action registers (issue 8: projects linked to SDG targets and KPIs) plug into the
reports. Until they exist these hooks find no projects, and each report says so in its section."""

from __future__ import annotations

from dataclasses import dataclass

from berekraft.places.models import Place


@dataclass(frozen=True)
class ProjectRef:
    """A project as a report names it: its title, the goals and series it is linked to, and who
    runs it with whom."""

    title: str
    goals: tuple[int, ...]
    series_codes: tuple[str, ...]
    partners: tuple[str, ...] = ()


def member_projects(*, place: Place, series_codes: set[str]) -> list[ProjectRef]:
    """The member's projects linked to any of ``series_codes`` (none until issue 8 lands)."""
    return []


def network_projects_by_goal(*, places: list[Place]) -> dict[int, list[ProjectRef]]:
    """The members' projects per SDG (none until issue 8 lands)."""
    return {}
