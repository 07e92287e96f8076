"""What the API answers about the action registers: projects, organisations, citizen involvement
and a member's priorities, published records only. Codes, not labels, for every choice (status,
kind, role, method, group, funding source); the labels are on the pages.

Plain pydantic models, as in ``schemas.py``; ``url`` is the record's page on the site."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel as Schema

from berekraft.api.pagination import Page


class ProjectOut(Schema):
    id: int
    title: str
    summary: str
    member: str  # the member's place code
    member_name: str
    status: str  # planned, ongoing, completed or stopped
    progress: int  # 0–100 %
    start_date: date | None
    end_date: date | None
    budget_nok: int | None
    goals: list[int]  # named, or through one of its SDG targets
    url: str
    demonstration_data: bool


class ProjectPage(Page[ProjectOut]):
    count: int  # every project that passes the filters, as the page counts them


class ProjectTargetOut(Schema):
    goal: int
    code: str  # e.g. "11.6"
    text: str  # official text in the reader's language (English where none was published)


class KpiPointOut(Schema):
    year: int
    value: float | None
    achievement: float | None  # % of target
    band: int | None
    trend: str
    median: float | None  # the network's


class ProjectKpiOut(Schema):
    series: str  # code
    slug: str
    indicator: str  # code
    name: str
    unit: str
    direction: str  # of the KPI: which way is better
    expected: str  # which way the project should move it: up, down or hold
    expected_value: float | None
    expected_year: int | None
    # The member's published values from the year before the project started (its baseline).
    points: list[KpiPointOut]


class DeliverableOut(Schema):
    what: str
    due_date: date
    status: str


class PartnerOut(Schema):
    organisation: int  # id: /api/v1/organisations/{id}
    name: str
    kind: str
    role: str
    note: str
    deliverables: list[DeliverableOut]


class FundingOut(Schema):
    source: str
    amount_nok: int | None
    note: str


class LinkOut(Schema):
    title: str
    url: str


class TimelineOut(Schema):
    date: date
    text: str


class InvolvementRefOut(Schema):
    id: int
    title: str
    method: str
    start_date: date
    participants: int | None


class ContactOut(Schema):
    name: str
    email: str


class ProjectDetailOut(ProjectOut):
    description: str
    responsible_unit: str
    contact: ContactOut | None  # only where the member chose to show it
    sdg_targets: list[ProjectTargetOut]
    kpis: list[ProjectKpiOut]
    partners: list[PartnerOut]
    deliverables: list[DeliverableOut]  # owed by no partner in particular
    funding: list[FundingOut]
    links: list[LinkOut]
    timeline: list[TimelineOut]
    involvement: list[InvolvementRefOut]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    org_number: str | None
    website: str
    url: str
    demonstration_data: bool


class OrganisationItemOut(OrganisationOut):
    published_projects: int


class OrganisationProjectOut(ProjectOut):
    roles: list[str]  # its roles in this project


class OrganisationDetailOut(OrganisationOut):
    projects: list[OrganisationProjectOut]


class ProjectRefOut(Schema):
    id: int
    title: str


class InvolvementOut(Schema):
    id: int
    title: str
    member: str
    member_name: str
    method: str
    start_date: date
    end_date: date | None
    participants: int | None
    project: ProjectRefOut | None  # the published project it was for
    url: str
    demonstration_data: bool


class InvolvementDetailOut(InvolvementOut):
    groups: list[str]  # codes of the "leave no one behind" groups it reached
    asked: str
    outcome: str
    changes: str


class PriorityOut(Schema):
    id: int
    goal: int | None  # a goal or a series, never both
    series: str | None
    name: str
    reason: str
    valid_from: date
    valid_until: date | None
    decision_url: str
    url: str
    demonstration_data: bool
