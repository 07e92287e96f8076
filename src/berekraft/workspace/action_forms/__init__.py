"""Forms of the action registers in the workspace. They parse what was typed into the typed inputs
of action.inputs; action.services validates (every rule, at once) and decides. A problem the
service reports is put back at its field here (``kpis-0-series`` → the first KPI's series).

One module per thing edited: ``projects`` (the project form, to and from ProjectInput, and the
spreadsheet upload), ``project_parts`` (the parts' form sets and the new-partner form),
``organisations``, ``involvement`` and ``priorities``; ``fields`` holds what they share and
``problems`` puts the services' problems back at their fields. This package re-exports what the
views use, so they write ``from berekraft.workspace import action_forms as f`` and ``f.ProjectForm``.
"""

from __future__ import annotations

from berekraft.workspace.action_forms.fields import (
    DATE,
    VersionForm,
    goal_choices,
    organisation_choices,
    series_choices,
)
from berekraft.workspace.action_forms.involvement import InvolvementForm
from berekraft.workspace.action_forms.organisations import OrganisationForm
from berekraft.workspace.action_forms.priorities import PriorityForm
from berekraft.workspace.action_forms.problems import place_problems
from berekraft.workspace.action_forms.project_parts import (
    PART_LABELS,
    PARTS,
    DeliverableForm,
    FundingForm,
    KpiForm,
    LinkForm,
    NewPartnerForm,
    PartnerForm,
    TimelineForm,
    part_formsets,
)
from berekraft.workspace.action_forms.projects import (
    ProjectForm,
    ProjectsUploadForm,
    TargetSelect,
    project_initial,
    project_input,
)

__all__ = [
    "DATE",
    "PARTS",
    "PART_LABELS",
    "DeliverableForm",
    "FundingForm",
    "InvolvementForm",
    "KpiForm",
    "LinkForm",
    "NewPartnerForm",
    "OrganisationForm",
    "PartnerForm",
    "PriorityForm",
    "ProjectForm",
    "ProjectsUploadForm",
    "TargetSelect",
    "TimelineForm",
    "VersionForm",
    "goal_choices",
    "organisation_choices",
    "part_formsets",
    "place_problems",
    "project_initial",
    "project_input",
    "series_choices",
]
