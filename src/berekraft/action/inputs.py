"""What an editor hands to the action services: plain, typed values, parsed from a form or a row of
a project spreadsheet. The services validate them (every problem at once) and write them.

A problem about a part of a project names its field as a form-set field would be named:
``kpis-0-series`` is the series of the first KPI, so the workspace shows it at that field and the
bulk import maps it to a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class KpiInput:
    """A KPI series the project aims to move (by the series' code)."""

    series: str
    expected: str
    expected_value: float | None = None
    expected_year: int | None = None


@dataclass(frozen=True, slots=True)
class PartnerInput:
    """An organisation's part in the project (by the organisation's id)."""

    organisation: int
    role: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class DeliverableInput:
    """A SMART deliverable; ``organisation`` (an id among the partners) is the partner that owes it."""

    what: str
    due_date: date | None
    status: str = "planned"
    organisation: int | None = None


@dataclass(frozen=True, slots=True)
class FundingInput:
    source: str
    amount_nok: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class LinkInput:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class TimelineInput:
    date: date | None
    text: str


@dataclass(frozen=True, slots=True)
class ProjectInput:
    """A whole project with its parts; saving it replaces every part (all or nothing)."""

    title: str
    summary: str = ""
    description: str = ""
    status: str = "planned"
    progress: int = 0
    start_date: date | None = None
    end_date: date | None = None
    responsible_unit: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_public: bool = False
    budget_nok: int | None = None
    goals: tuple[int, ...] = ()  # SDG numbers 1–17
    sdg_targets: tuple[str, ...] = ()  # "11.6"
    kpis: tuple[KpiInput, ...] = ()
    partners: tuple[PartnerInput, ...] = ()
    deliverables: tuple[DeliverableInput, ...] = ()
    funding: tuple[FundingInput, ...] = ()
    links: tuple[LinkInput, ...] = ()
    timeline: tuple[TimelineInput, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class OrganisationInput:
    name: str
    kind: str
    org_number: str = ""  # as typed: spaces allowed, cleaned by core.orgnr
    website: str = ""


@dataclass(frozen=True, slots=True)
class InvolvementInput:
    title: str
    method: str
    start_date: date | None
    end_date: date | None = None
    project: int | None = None  # a project of the same member, by id
    participants: int | None = None
    groups: tuple[str, ...] = ()
    asked: str = ""
    outcome: str = ""
    changes: str = ""


@dataclass(frozen=True, slots=True)
class PriorityInput:
    """A goal (its number) or a KPI series (its code): exactly one of them."""

    reason: str
    valid_from: date | None
    goal: int | None = None
    series: str = ""
    valid_until: date | None = None
    decision_url: str = ""
