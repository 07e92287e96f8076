"""The rules a register record must meet, checked all at once: a list of Problems, one per field
that is wrong (``column`` is the field's name, ``kpis-0-series`` for a part; see action.inputs).

Text is kept as typed: escaping is the templates' job, so a ``<script>`` in a title is a title.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from berekraft.action.inputs import (
    InvolvementInput,
    OrganisationInput,
    PriorityInput,
    ProjectInput,
)
from berekraft.action.models import (
    Deliverable,
    Funding,
    Involvement,
    Organisation,
    Partnership,
    Project,
    ProjectSeries,
)
from berekraft.catalogue.models import Goal, SdgTarget, Series
from berekraft.core.orgnr import clean_org_number
from berekraft.core.problems import Problem, gettext_noop
from berekraft.core.years import FIRST_YEAR

LAST_EXPECTED_YEAR = 2100  # an expected value "by 2030" or "by 2050"; a year past 2100 is a typo

REQUIRED = gettext_noop("This field is required.")
TOO_LONG = gettext_noop("At most %(limit)s characters (this has %(length)s).")
NOT_A_CHOICE = gettext_noop("Not one of the choices.")
DATES_OUT_OF_ORDER = gettext_noop("The end date is before the start date.")


def problem(column: str, message: str, value: object = "", **params: object) -> Problem:
    return Problem(
        message=message,
        column=column,
        value="" if value is None else str(value)[:200],
        params=tuple(params.items()),
    )


class Checker:
    """Collects problems field by field."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, column: str, message: str, value: object = "", **params: object) -> None:
        self.problems.append(problem(column, message, value, **params))

    def text(self, column: str, value: str, limit: int | None, *, required: bool = False) -> None:
        if required and not value.strip():
            self.add(column, REQUIRED)
        elif limit is not None and len(value) > limit:
            self.add(column, TOO_LONG, value, limit=limit, length=len(value))

    def choice(self, column: str, value: str, choices: Iterable[str]) -> None:
        if not value:
            self.add(column, REQUIRED)
        elif value not in set(choices):
            self.add(column, NOT_A_CHOICE, value)

    def dates(self, column: str, start: date | None, end: date | None) -> None:
        if start is not None and end is not None and end < start:
            self.add(column, DATES_OUT_OF_ORDER, end.isoformat())

    def url(self, column: str, value: str, *, required: bool = False) -> None:
        if not value:
            if required:
                self.add(column, REQUIRED)
            return
        if len(value) > 500:
            self.add(column, TOO_LONG, value, limit=500, length=len(value))
            return
        if urlsplit(value).scheme.lower() not in ("http", "https"):
            self.add(column, gettext_noop("Only web addresses starting with http:// or https://."), value)
            return
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            self.add(column, gettext_noop("Not a web address."), value)

    def email(self, column: str, value: str) -> None:
        if not value:
            return
        try:
            validate_email(value)
        except ValidationError:
            self.add(column, gettext_noop("Not an e-mail address."), value)

    def not_negative(self, column: str, value: int | float | None) -> None:
        if value is not None and value < 0:
            self.add(column, gettext_noop("Cannot be negative."), value)


def _max(model: type, name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)  # type: ignore[attr-defined]


def project_problems(data: ProjectInput) -> list[Problem]:
    """Every problem of a project and its parts."""
    c = Checker()
    c.text("title", data.title, _max(Project, "title"), required=True)
    for name in ("summary", "responsible_unit", "contact_name"):
        c.text(name, getattr(data, name), _max(Project, name))
    c.choice("status", data.status, Project.Status.values)
    if not 0 <= data.progress <= 100:
        c.add("progress", gettext_noop("Progress is a percentage from 0 to 100."), data.progress)
    c.dates("end_date", data.start_date, data.end_date)
    c.email("contact_email", data.contact_email)
    if data.contact_public and not (data.contact_name or data.contact_email):
        c.add("contact_public", gettext_noop("There is no contact to show: give a name or an e-mail."))
    c.not_negative("budget_nok", data.budget_nok)

    known_goals = set(Goal.objects.filter(number__in=data.goals).values_list("number", flat=True))
    for number in data.goals:
        if number not in known_goals:
            c.add(
                "goals", gettext_noop("There is no SDG %(goal)s (the goals are 1–17)."), number, goal=number
            )
    codes = set(SdgTarget.objects.filter(code__in=data.sdg_targets).values_list("code", flat=True))
    for code in data.sdg_targets:
        if code not in codes:
            c.add(
                "sdg_targets",
                gettext_noop("There is no SDG target %(code)s (targets are written like 11.6)."),
                code,
                code=code,
            )

    series = set(Series.objects.filter(code__in=[k.series for k in data.kpis]).values_list("code", flat=True))
    seen: set[str] = set()
    for i, kpi in enumerate(data.kpis):
        at = f"kpis-{i}-"
        if not kpi.series:
            c.add(at + "series", REQUIRED)
        elif kpi.series not in series:
            c.add(
                at + "series", gettext_noop("There is no KPI series %(code)s."), kpi.series, code=kpi.series
            )
        elif kpi.series in seen:
            c.add(at + "series", gettext_noop("This KPI is listed twice."), kpi.series)
        seen.add(kpi.series)
        c.choice(at + "expected", kpi.expected, ProjectSeries.Expected.values)
        if kpi.expected_year is not None and not FIRST_YEAR <= kpi.expected_year <= LAST_EXPECTED_YEAR:
            c.add(
                at + "expected_year",
                gettext_noop("year %(year)s is outside %(first)s–%(last)s"),
                kpi.expected_year,
                year=kpi.expected_year,
                first=FIRST_YEAR,
                last=LAST_EXPECTED_YEAR,
            )
        if kpi.expected_value is not None and kpi.expected_year is None:
            c.add(at + "expected_year", gettext_noop("An expected value needs the year it is expected by."))

    organisations = set(
        Organisation.objects.filter(pk__in=[p.organisation for p in data.partners]).values_list(
            "pk", flat=True
        )
    )
    pairs: set[tuple[int, str]] = set()
    for i, partner in enumerate(data.partners):
        at = f"partners-{i}-"
        if partner.organisation not in organisations:
            c.add(at + "organisation", gettext_noop("There is no such organisation."), partner.organisation)
        c.choice(at + "role", partner.role, Partnership.Role.values)
        if (partner.organisation, partner.role) in pairs:
            c.add(at + "role", gettext_noop("This partner is listed twice in the same role."), partner.role)
        pairs.add((partner.organisation, partner.role))
        c.text(at + "note", partner.note, _max(Partnership, "note"))

    partner_ids = {p.organisation for p in data.partners}
    for i, deliverable in enumerate(data.deliverables):
        at = f"deliverables-{i}-"
        c.text(at + "what", deliverable.what, _max(Deliverable, "what"), required=True)
        if deliverable.due_date is None:
            c.add(at + "due_date", REQUIRED)
        c.choice(at + "status", deliverable.status, Deliverable.Status.values)
        if deliverable.organisation is not None and deliverable.organisation not in partner_ids:
            c.add(at + "organisation", gettext_noop("Only a partner of the project can owe a deliverable."))

    for i, funding in enumerate(data.funding):
        at = f"funding-{i}-"
        c.choice(at + "source", funding.source, Funding.Source.values)
        c.not_negative(at + "amount_nok", funding.amount_nok)
        c.text(at + "note", funding.note, _max(Funding, "note"))

    for i, link in enumerate(data.links):
        c.text(f"links-{i}-title", link.title, 200, required=True)
        c.url(f"links-{i}-url", link.url, required=True)

    for i, entry in enumerate(data.timeline):
        if entry.date is None:
            c.add(f"timeline-{i}-date", REQUIRED)
        c.text(f"timeline-{i}-text", entry.text, 500, required=True)
    return c.problems


def org_number_or_problem(text: str) -> tuple[str | None, Problem | None]:
    """The cleaned organisation number (None when blank), or the problem with it."""
    if not text.strip():
        return None, None
    try:
        return clean_org_number(text), None
    except ValueError as exc:
        return None, problem("org_number", str(exc), text)


def organisation_problems(data: OrganisationInput, *, existing: Organisation | None = None) -> list[Problem]:
    """Every problem of an organisation; a number already registered points to that record."""
    c = Checker()
    c.text("name", data.name, _max(Organisation, "name"), required=True)
    c.choice("kind", data.kind, Organisation.Kind.values)
    c.url("website", data.website)
    number, wrong = org_number_or_problem(data.org_number)
    if wrong is not None:
        c.problems.append(wrong)
    elif number is not None:
        other = Organisation.objects.filter(org_number=number).exclude(pk=existing.pk if existing else 0)
        found = other.first()
        if found is not None:
            c.add(
                "org_number",
                gettext_noop(
                    "Organisation number %(number)s is already registered as “%(name)s” (no. %(id)s): "
                    "choose that organisation instead."
                ),
                data.org_number,
                number=number,
                name=found.name,
                id=found.pk,
            )
    return c.problems


def involvement_problems(data: InvolvementInput, *, member_id: int) -> list[Problem]:
    c = Checker()
    c.text("title", data.title, _max(Involvement, "title"), required=True)
    c.choice("method", data.method, Involvement.Method.values)
    if data.start_date is None:
        c.add("start_date", REQUIRED)
    c.dates("end_date", data.start_date, data.end_date)
    c.not_negative("participants", data.participants)
    for group in data.groups:
        if group not in Involvement.Group.values:
            c.add("groups", NOT_A_CHOICE, group)
    if data.project is not None and not Project.objects.filter(pk=data.project, member_id=member_id).exists():
        c.add("project", gettext_noop("Choose a project of the same member."), data.project)
    return c.problems


def priority_problems(data: PriorityInput) -> list[Problem]:
    c = Checker()
    c.text("reason", data.reason, None, required=True)
    if data.valid_from is None:
        c.add("valid_from", REQUIRED)
    c.dates("valid_until", data.valid_from, data.valid_until)
    c.url("decision_url", data.decision_url)
    if (data.goal is None) == (not data.series):
        c.add("goal", gettext_noop("A priority is either a goal or a KPI series: choose one of them."))
    elif data.goal is not None and not Goal.objects.filter(number=data.goal).exists():
        c.add(
            "goal", gettext_noop("There is no SDG %(goal)s (the goals are 1–17)."), data.goal, goal=data.goal
        )
    elif data.series and not Series.objects.filter(code=data.series).exists():
        c.add("series", gettext_noop("There is no KPI series %(code)s."), data.series, code=data.series)
    return c.problems
